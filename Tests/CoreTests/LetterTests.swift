import Testing

@testable import Core

@Suite("Letters")
struct LetterTests {
    static let village = try! VillageCode("1809072001")

    // MARK: LetterNumber

    @Test("OpenSID's default pattern, with a three-digit serial and a Roman month")
    func format() {
        let number = LetterNumber(kindCode: "S-41", serial: 7, village: Self.village, month: 11, year: 2026)
        #expect(number.formatted == "S-41/007/1809072001/XI/2026")
        #expect(number.description == number.formatted)
        #expect(
            LetterNumber(kindCode: "471.1", serial: 1234, village: Self.village, month: 4, year: 2027).formatted
                == "471.1/1234/1809072001/IV/2027")
    }

    @Test(
        "format and parse round-trip",
        arguments: [
            ("S-01", 1, 1, 2026), ("S-41", 7, 11, 2026), ("500", 42, 12, 2025), ("471.1", 999, 9, 2030),
            ("S-30", 1000, 6, 2026),
        ])
    func roundTrip(kind: String, serial: Int, month: Int, year: Int) throws {
        let number = LetterNumber(kindCode: kind, serial: serial, village: Self.village, month: month, year: year)
        let parsed = try #require(LetterNumber(number.formatted))
        #expect(parsed == number)
        #expect(parsed.formatted == number.formatted)
    }

    @Test("parse accepts the dotted village code as the canonical digits")
    func parseDottedVillage() throws {
        let parsed = try #require(LetterNumber("S-41/007/18.09.07.2001/XI/2026"))
        #expect(parsed.village.digits == "1809072001")
        #expect(parsed.formatted == "S-41/007/1809072001/XI/2026")
    }

    @Test(
        "parse rejects what is not a letter number",
        arguments: [
            "", "S-41/007/1809072001/XI", "S-41/007/1809072001/XI/2026/1", "/007/1809072001/XI/2026",
            "S-41/07/1809072001/XI/2026", "S-41/000/1809072001/XI/2026", "S-41/abc/1809072001/XI/2026",
            "S-41/007/1809073001/XI/2026", "S-41/007/1809072001/XIII/2026", "S-41/007/1809072001/11/2026",
            "S-41/007/1809072001/XI/26", "S-41/007/1809072001/xi/2026",
        ])
    func parseRejects(text: String) {
        #expect(LetterNumber(text) == nil)
    }

    @Test("a number's series is its kind and year")
    func series() {
        let a = LetterNumber(kindCode: "S-41", serial: 7, village: Self.village, month: 11, year: 2026)
        let b = LetterNumber(kindCode: "S-41", serial: 8, village: Self.village, month: 1, year: 2026)
        let c = LetterNumber(kindCode: "S-41", serial: 1, village: Self.village, month: 1, year: 2027)
        #expect(a.series == b.series)
        #expect(a.series != c.series)
        #expect(a.series == LetterSeries(kindCode: "S-41", year: 2026))
    }

    // MARK: LetterCatalogue

    static func kind(_ code: String, selfService: Bool = true) -> LetterKind {
        LetterKind(
            code: code, title: "Surat \(code)", classification: "470", selfService: selfService, template: "x.mustache",
            purposes: ["Lainnya"])
    }

    @Test("a code used twice is reported")
    func duplicates() {
        #expect(throws: LetterCatalogueError.duplicateCode("S-02")) {
            try LetterCatalogue([Self.kind("S-01"), Self.kind("S-02"), Self.kind("S-03"), Self.kind("S-02")])
        }
        #expect(LetterCatalogueError.duplicateCode("S-02").description.contains("S-02"))
    }

    @Test("lookup by code, and the self-service subset in order")
    func lookupAndSelfService() throws {
        let catalogue = try LetterCatalogue([Self.kind("A"), Self.kind("B", selfService: false), Self.kind("C")])
        #expect(catalogue["B"]?.code == "B")
        #expect(catalogue["Z"] == nil)
        #expect(catalogue.selfService.map(\.code) == ["A", "C"])
        #expect(catalogue.kinds.count == 3)
        #expect(try LetterCatalogue([]).kinds.isEmpty)
    }

    @Test("the default catalogue is OpenSID's self-service set")
    func defaultCatalogue() throws {
        let catalogue = LetterCatalogue.openSIDSelfService
        #expect(catalogue.kinds.count == 15)
        #expect(Set(catalogue.kinds.map(\.code)).count == catalogue.kinds.count)
        #expect(catalogue.selfService == catalogue.kinds)
        #expect(catalogue.kinds.first?.code == "S-01")
        let domicile = try #require(catalogue["S-41"])
        #expect(domicile.title == "Surat Keterangan Domisili")
        #expect(domicile.template == "s-41.mustache")
        #expect(domicile.issueMode == .draft)
        #expect(domicile.validityDays == 30)
        #expect(domicile.id == "S-41")
        #expect(catalogue["471.1"]?.template == "471-1.mustache")
        #expect(catalogue["S-30"]?.purposes == ["Pernikahan"])
        for kind in catalogue.kinds {
            #expect(!kind.purposes.isEmpty, "\(kind.code) has no purposes")
            #expect(!kind.title.isEmpty)
            #expect(kind.template.hasSuffix(".mustache"))
            #expect(!kind.code.contains("/"), "\(kind.code) would break letter numbers")
        }
    }

    @Test(
        "signs and spaces are not digits in a letter number",
        arguments: [
            "S-41/+07/1809072001/XI/2026", "S-41/-07/1809072001/XI/2026", "S-41/007/1809072001/XI/+202",
        ])
    func signedPartsAreRejected(text: String) {
        #expect(LetterNumber(text) == nil)
    }
}
