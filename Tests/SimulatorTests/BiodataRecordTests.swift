import Testing

@testable import KioskSimulator

@Suite("biodata record")
struct BiodataRecordTests {
    @Test("the sample has 21 fields in card order, split the way the kiosk will split it")
    func sampleFields() throws {
        let text = String(decoding: BiodataRecord.sample.encoded, as: UTF8.self)
        #expect(text.hasPrefix("\"1809072107790013\",\"JL. RAYA HANURA NO. 13\",\"001\",\"002\",\"BANDAR LAMPUNG\""))
        #expect(text.hasSuffix("\"WNI\",\"-\""))
        let fields = text.dropFirst().dropLast().split(separator: "\",\"", omittingEmptySubsequences: false)
        #expect(fields.count == 21)
        let record = BiodataRecord.sample
        #expect(record[.nik] == "1809072107790013")
        #expect(record[.nama] == "I KETUT WIRAWAN")
        #expect(record[.tanggalLahir] == "21-07-1979")
        #expect(record[.tempatLahir] == "BANDAR LAMPUNG")
        #expect(record[.jenisKelamin] == "LAKI-LAKI")
        #expect(record[.agama] == "HINDU")
        #expect(record[.statusPerkawinan] == "KAWIN")
        #expect(record[.pekerjaan] == "PERDAGANGAN")
        #expect(record[.kelurahan] == "HANURA")
        #expect(record[.kecamatan] == "TELUK PANDAN")
        #expect(record[.kabupaten] == "PESAWARAN")
        #expect(record[.kewarganegaraan] == "WNI")
        #expect(String(fields[19]) == "WNI")
    }

    @Test("a record round-trips through its bytes, empty fields included")
    func roundTrip() throws {
        #expect(try BiodataRecord(decoding: BiodataRecord.sample.encoded) == .sample)
        var fields = BiodataRecord.sample.fields
        fields[9] = ""
        fields[20] = ""
        let record = try BiodataRecord(fields: fields)
        #expect(try BiodataRecord(decoding: record.encoded).fields == fields)
    }

    @Test("records that cannot be framed or read are refused")
    func refused() {
        #expect(throws: BiodataError.wrongFieldCount(found: 20)) {
            try BiodataRecord(fields: Array(BiodataRecord.sample.fields.prefix(20)))
        }
        var quoted = BiodataRecord.sample.fields
        quoted[1] = "JL. \"RAYA\""
        #expect(throws: BiodataError.unencodableField(index: 1)) { try BiodataRecord(fields: quoted) }
        #expect(throws: BiodataError.notQuoted) { try BiodataRecord(decoding: Array("1809072107790013".utf8)) }
        #expect(throws: BiodataError.notASCII) { try BiodataRecord(decoding: [0x22, 0xC3, 0xA9, 0x22]) }
        #expect(throws: BiodataError.wrongFieldCount(found: 2)) {
            try BiodataRecord(decoding: Array("\"a\",\"b\"".utf8))
        }
    }
}
