import Testing

@testable import Core

@Suite("e-KTP chip biodata (EF 6FF1)")
struct EKTPBiodataTests {
    static let fields = [
        "1809072107790013", "JL. RAYA HANURA NO. 13", "001", "002", "BANDAR LAMPUNG", "TELUK PANDAN", "HANURA",
        "PESAWARAN", "LAKI-LAKI", "O", "HINDU", "KAWIN", "PERDAGANGAN", "I KETUT WIRAWAN", "21-07-1979", "LAMPUNG",
        "", "", "SEUMUR HIDUP", "WNI", "",
    ]

    static func file(_ fields: [String], padding: Int = 0) -> [UInt8] {
        Array(("\"" + fields.joined(separator: "\",\"") + "\"").utf8) + [UInt8](repeating: 0xFF, count: padding)
    }

    @Test func aBiodataFileBecomesAResident() throws {
        let resident = try EKTPBiodata.resident(from: Self.file(Self.fields, padding: 40))
        #expect(resident.nik.digits == "1809072107790013")
        #expect(resident.name == "I KETUT WIRAWAN")
        #expect(resident.birthDate == CalendarDate(year: 1979, month: 7, day: 21))
        #expect(resident.sex == .male)
        #expect(resident.rt == "001")
        #expect(resident.rw == "002")
        #expect(resident.religion == "HINDU")
        #expect(resident.nationality == "WNI")
    }

    @Test(arguments: [
        (0, "18090721077900", "NIK is invalid"),
        (8, "PEREMPUAN", "does not match the NIK"),
        (8, "X", "jenis kelamin"),
        (14, "1979-07-21", "tanggal lahir"),
        (14, "31-02-1979", "tanggal lahir"),
        (13, "", "nama"),
    ])
    func badFieldsAreNamedWithoutTheirContent(index: Int, value: String, message: String) {
        var fields = Self.fields
        fields[index] = value
        #expect {
            _ = try EKTPBiodata.resident(from: Self.file(fields))
        } throws: { error in
            "\(error)".contains(message) && !"\(error)".contains("WIRAWAN") && !"\(error)".contains("180907")
        }
    }

    @Test func theFieldCountAndQuotingAreChecked() {
        #expect(throws: EKTPBiodataError.wrongFieldCount(found: 20)) {
            try EKTPBiodata.fields(from: Self.file(Array(Self.fields.prefix(20))))
        }
        #expect(throws: EKTPBiodataError.notQuoted) { try EKTPBiodata.fields(from: Array("1809072107790013,A".utf8)) }
        #expect(throws: EKTPBiodataError.notASCII) { try EKTPBiodata.fields(from: [0x22, 0xC3, 0xA9, 0x22]) }
    }

    @Test func fuzzedFilesNeverCrash() {
        var generator = SplitMix64(seed: 0x6FF1)
        let valid = Self.file(Self.fields)
        for round in 0..<5_000 {
            var bytes = valid
            // Mutate a valid file (flip, drop, duplicate bytes) or use noise.
            if round % 5 == 0 {
                bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let i = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0...2, using: &generator) {
                    case 0: bytes[i] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: i)
                    default: bytes.insert(bytes[i], at: i)
                    }
                    if bytes.isEmpty { break }
                }
            }
            if let resident = try? EKTPBiodata.resident(from: bytes) {
                #expect(resident.nik.digits.count == 16)
                #expect(!resident.name.isEmpty)
            }
        }
    }
}
