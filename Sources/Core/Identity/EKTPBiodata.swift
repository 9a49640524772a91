/// The biodata file of an e-KTP chip (EF `6FF1`, read through a Dukcapil SAM): ASCII, 21 double-quoted fields
/// joined by `","`. The field order is OpenAccount's (`SplitBio()`): 0 NIK, 1 address, 2 RT, 3 RW, 4 birth place,
/// 5 district, 6 village, 7 regency, 8 sex, 9 blood type, 10 religion, 11 marital status, 12 occupation, 13 name,
/// 14 birth date (dd-mm-yyyy), 19 nationality; 15-18 and 20 are not mapped.
public enum EKTPBiodata {
    public static let fieldCount = 21

    /// Parses the file's bytes (trailing padding of NUL or 0xFF bytes is ignored) into a resident.
    public static func resident(from bytes: [UInt8]) throws(EKTPBiodataError) -> Resident {
        let fields = try self.fields(from: bytes)
        let nik: NIK
        do { nik = try NIK(fields[0]) } catch { throw .invalidNIK(error) }
        let name = fields[13]
        guard !name.isEmpty else { throw .emptyField(name: "nama", index: 13) }
        let sex: Sex
        switch fields[8].uppercased() {
        case "LAKI-LAKI", "L", "PRIA": sex = .male
        case "PEREMPUAN", "P", "WANITA": sex = .female
        default: throw .invalidField(name: "jenis kelamin", index: 8, expected: "LAKI-LAKI or PEREMPUAN")
        }
        guard sex == nik.sex else { throw .sexDoesNotMatchNIK }
        guard let birthDate = date(fields[14]) else {
            throw .invalidField(name: "tanggal lahir", index: 14, expected: "a real date as dd-mm-yyyy")
        }
        return Resident(
            nik: nik, name: name, birthPlace: fields[4], birthDate: birthDate, sex: sex, address: fields[1],
            hamlet: "", rt: fields[2], rw: fields[3], religion: fields[10], maritalStatus: fields[11],
            occupation: fields[12], nationality: fields[19].isEmpty ? "WNI" : fields[19])
    }

    /// The 21 fields, outer quotes stripped.
    public static func fields(from bytes: [UInt8]) throws(EKTPBiodataError) -> [String] {
        var content = bytes[...]
        while let last = content.last, last == 0 || last == 0xFF { content = content.dropLast() }
        guard content.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw .notASCII }
        let text = String(decoding: content, as: UTF8.self)
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { throw .notQuoted }
        let inner = text.dropFirst().dropLast()
        let fields = inner.split(separator: "\",\"", omittingEmptySubsequences: false).map { String($0) }
        guard fields.count == fieldCount else { throw .wrongFieldCount(found: fields.count) }
        return fields.map { String($0.trimmingWhitespace()) }
    }

    /// `21-07-1979` (also with `/`).
    static func date(_ text: String) -> CalendarDate? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" }).map(String.init)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2])
        else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }
}

/// Why a biodata file could not be read. Messages name the field, never its content.
public enum EKTPBiodataError: Error, Hashable, Sendable, CustomStringConvertible {
    case notASCII
    case notQuoted
    case wrongFieldCount(found: Int)
    case invalidNIK(NIKError)
    case emptyField(name: String, index: Int)
    case invalidField(name: String, index: Int, expected: String)
    case sexDoesNotMatchNIK

    public var description: String {
        switch self {
        case .notASCII: "the biodata file holds bytes that are not printable ASCII"
        case .notQuoted: "the biodata file is not a list of quoted fields"
        case .wrongFieldCount(let n): "the biodata file has \(n) fields, an e-KTP's has 21"
        case .invalidNIK(let error): "the biodata NIK is invalid: \(error)"
        case .emptyField(let name, let index): "the biodata field \(name) (\(index)) is empty"
        case .invalidField(let name, let index, let expected): "the biodata field \(name) (\(index)) is not \(expected)"
        case .sexDoesNotMatchNIK: "the biodata sex does not match the NIK (women have day + 40)"
        }
    }
}
