/// The biodata EF (`6FF1`) as the SAM hands it back: ASCII, 21 double-quoted fields joined by `","`.
///
/// The field order is the one the only public reader (OpenAccount, `SplitBio()`) maps; fields 15-18 and 20 are
/// read there but not named, so the simulator fills them with plausible values (province, validity, place and
/// date of issue) and the kiosk must not rely on them. All data here is synthetic.
struct BiodataRecord: Hashable, Sendable {
    /// The record's 21 fields, in card order.
    private(set) var fields: [String]

    static let fieldCount = 21
    static let separator = "\",\""

    enum Field: Int, CaseIterable, Sendable {
        case nik = 0
        case alamat, rt, rw, tempatLahir, kecamatan, kelurahan, kabupaten, jenisKelamin, golonganDarah, agama
        case statusPerkawinan, pekerjaan, nama, tanggalLahir
        case kewarganegaraan = 19
    }

    /// Fails when there are not 21 fields, or a field is not printable ASCII or holds a double quote, which
    /// would break the record's framing.
    init(fields: [String]) throws(BiodataError) {
        guard fields.count == Self.fieldCount else { throw .wrongFieldCount(found: fields.count) }
        for (index, field) in fields.enumerated() {
            guard field.utf8.allSatisfy({ (0x20...0x7E).contains($0) && $0 != UInt8(ascii: "\"") }) else {
                throw .unencodableField(index: index)
            }
        }
        self.fields = fields
    }

    subscript(field: Field) -> String { fields[field.rawValue] }

    /// The bytes of EF `6FF1`.
    var encoded: [UInt8] { Array(("\"" + fields.joined(separator: Self.separator) + "\"").utf8) }

    /// Reads a record the way the kiosk will: split on `","` and strip the outer quotes.
    init(decoding bytes: [UInt8]) throws(BiodataError) {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { throw .notASCII }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { throw .notQuoted }
        let inner = text.dropFirst().dropLast()
        try self.init(fields: inner.split(separator: Self.separator, omittingEmptySubsequences: false).map(String.init))
    }

    /// I KETUT WIRAWAN of Hanura, Teluk Pandan, Pesawaran: a made-up resident whose NIK agrees with his birth date,
    /// sex and sub-district (18 Lampung, 09 Pesawaran, 07 Teluk Pandan, 210779).
    static let sample = try! BiodataRecord(fields: [
        "1809072107790013",  // 0 NIK
        "JL. RAYA HANURA NO. 13",  // 1 Alamat
        "001",  // 2 RT
        "002",  // 3 RW
        "BANDAR LAMPUNG",  // 4 Tempat lahir
        "TELUK PANDAN",  // 5 Kecamatan
        "HANURA",  // 6 Kelurahan/Desa
        "PESAWARAN",  // 7 Kabupaten
        "LAKI-LAKI",  // 8 Jenis kelamin
        "O",  // 9 Golongan darah
        "HINDU",  // 10 Agama
        "KAWIN",  // 11 Status perkawinan
        "PERDAGANGAN",  // 12 Pekerjaan
        "I KETUT WIRAWAN",  // 13 Nama
        "21-07-1979",  // 14 Tanggal lahir
        "LAMPUNG",  // 15 unmapped: province, plausibly
        "SEUMUR HIDUP",  // 16 unmapped: valid until, plausibly
        "PESAWARAN",  // 17 unmapped: place of issue, plausibly
        "14-06-2012",  // 18 unmapped: date of issue, plausibly
        "WNI",  // 19 Kewarganegaraan
        "-",  // 20 unmapped
    ])
}

enum BiodataError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongFieldCount(found: Int)
    case unencodableField(index: Int)
    case notASCII
    case notQuoted

    var description: String {
        switch self {
        case .wrongFieldCount(let n): "a biodata record has 21 fields, this one has \(n)"
        case .unencodableField(let i): "biodata field \(i) is not printable ASCII without double quotes"
        case .notASCII: "a biodata record is ASCII"
        case .notQuoted: "a biodata record starts and ends with a double quote"
        }
    }
}
