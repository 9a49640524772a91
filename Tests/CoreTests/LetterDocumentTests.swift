import Testing

@testable import Core

/// A measurer with fixed metrics (every character half the font size wide, bold a tenth wider): layout logic is
/// tested on its own; the real metrics are cairo's, tested in KioskTests.
struct FixedWidthMeasurer: TextMeasurer {
    func width(of text: String, in font: Font) -> Double {
        Double(text.count) * font.size * (font.bold ? 0.55 : 0.5)
    }

    func xHeight(of font: Font) -> Double { font.size * 0.5 }
}

@Suite("Letter composition, numbering, seal and layout")
struct LetterDocumentTests {
    static let village = Fixtures.village
    static let head = Letterhead(
        regency: "Pesawaran", district: "Gedong Tataan", village: "Hanura", address: "Jl. Raya Hanura No. 1")
    static let date = CalendarDate(year: 2026, month: 11, day: 24)!
    static let template = try! LetterTemplate(
        "Orang tersebut di atas adalah benar warga Desa {{desa}} yang berdomisili di {{alamat}}.\n"
            + "Surat ini berlaku sampai dengan {{berlaku}}.")

    static func request(_ resident: Resident = Fixtures.woman) -> LetterRequest {
        LetterRequest(kind: Fixtures.domicile, purpose: "Melamar pekerjaan", resident: resident, card: nil)
    }

    static func letter(_ resident: Resident = Fixtures.woman, body: LetterTemplate = template) -> Letter {
        Letter(
            request: request(resident), number: Fixtures.number, issuedOn: date, letterhead: head,
            template: body, nikStyle: .full, seal: "VK1:TEST")
    }

    // MARK: Numbering

    @Test("a kiosk's station marks its sub-series in the number, and parses back")
    func stationNumbers() throws {
        let number = LetterNumber(kindCode: "S-41", serial: 7, station: 2, village: Self.village, month: 11, year: 2026)
        #expect(number.formatted == "S-41/007-K2/1809072001/XI/2026")
        #expect(LetterNumber(number.formatted) == number)
        let single = LetterNumber(kindCode: "S-41", serial: 7, village: Self.village, month: 11, year: 2026)
        #expect(single.formatted == "S-41/007/1809072001/XI/2026")
        #expect(single != number, "one serial at two stations is two numbers")
    }

    @Test(
        "damaged station marks do not parse",
        arguments: [
            "S-41/007-K0/1809072001/XI/2026", "S-41/007-K100/1809072001/XI/2026", "S-41/007-2/1809072001/XI/2026",
            "S-41/007-K/1809072001/XI/2026", "S-41/007-K02/1809072001/XI/2026", "S-41/-K2/1809072001/XI/2026",
        ])
    func badStations(text: String) {
        #expect(LetterNumber(text) == nil)
    }

    // MARK: Templates

    @Test("templates fill the fields as plain text, one paragraph per line")
    func templateRendering() throws {
        var resident = Fixtures.woman
        resident.address = "Jl. Mawar & Melati <5>"
        let letter = Self.letter(resident)
        #expect(letter.body.count == 2)
        #expect(letter.body[0].contains("Jl. Mawar & Melati <5>"), "nothing is HTML-escaped")
        #expect(letter.body[0].contains("Desa Hanura"))
        #expect(letter.body[1] == "Surat ini berlaku sampai dengan 24 Desember 2026.")
    }

    @Test("an unknown field is an error when the template loads, naming it")
    func unknownField() {
        #expect(throws: LetterTemplateError.unknownFields(["nmaa", "umur"])) {
            try LetterTemplate("{{nmaa}} lahir {{tanggal_lahir}}, {{#umur}}x{{/umur}}")
        }
    }

    @Test("a syntax error says where", arguments: [("Halo {{nama", 1), ("baris satu\n{{#nama}} tanpa penutup", 2)])
    func syntaxError(text: String, line: Int) throws {
        let error = try #require(throws: LetterTemplateError.self) { try LetterTemplate(text) }
        guard case .syntax(let found, _, _) = error else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        #expect(found == line)
        #expect("\(error)".contains("line \(line)"))
    }

    @Test("dates in Indonesian, validity from the kind, NIK full or masked as configured")
    func fields() {
        let full = LetterFields(
            request: Self.request(), number: Fixtures.number, issuedOn: Self.date, letterhead: Self.head,
            nikStyle: .full)
        #expect(full["tanggal"] == "24 November 2026")
        #expect(full["berlaku"] == "24 Desember 2026")
        #expect(full["nik"] == Fixtures.woman.nik.digits)
        #expect(full["nomor"] == "S-41/007/1809072001/XI/2026")
        let masked = LetterFields(
            request: Self.request(), number: Fixtures.number, issuedOn: Self.date, letterhead: Self.head,
            nikStyle: .masked)
        #expect(masked["nik"] == Fixtures.woman.nik.masked)
    }

    // MARK: Line breaking

    @Test("lines never exceed the width; a word longer than a line is cut between characters")
    func lineBreaking() {
        let breaker = LineBreaker(measurer: FixedWidthMeasurer())
        let font = Font(.serif, size: 10)
        let text = "SITI " + String(repeating: "NURHALIZAH", count: 20) + " BINTI ABDULLAH"
        let lines = breaker.lines(text, font: font, width: 100)
        #expect(lines.allSatisfy { FixedWidthMeasurer().width(of: $0, in: font) <= 100 })
        #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " }, "no character lost")
        #expect(breaker.lines("", font: font, width: 100) == [""])
    }

    // MARK: Layout

    /// Every text run starts inside the margins and ends inside them; every baseline is on the page.
    static func expectInsideMargins(
        _ list: DisplayList, paper: Paper, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let measurer = FixedWidthMeasurer()
        let m = paper.margins
        for page in list.pages {
            for case .text(let run) in page.items {
                let right = run.origin.x + measurer.width(of: run.text, in: run.font)
                #expect(
                    run.origin.x >= m.left - 0.01, "\(run.text) starts left of the margin",
                    sourceLocation: sourceLocation)
                #expect(
                    right <= paper.size.width - m.right + 0.01, "\(run.text) overflows", sourceLocation: sourceLocation)
                #expect(run.origin.y > 0 && run.origin.y < paper.size.height, sourceLocation: sourceLocation)
            }
        }
    }

    @Test("one page with letterhead, title, number, fields, body, signatures, QR and footer", arguments: Paper.allCases)
    func onePage(paper: Paper) throws {
        let list = LetterLayout(paper: paper, measurer: FixedWidthMeasurer()).layout(Self.letter())
        #expect(list.pages.count == 1)
        let page = try #require(list.pages.first)
        #expect(page.size == paper.size)
        for expected in [
            "PEMERINTAH KABUPATEN PESAWARAN", "DESA HANURA", "SURAT KETERANGAN DOMISILI",
            "Nomor : S-41/007/1809072001/XI/2026", "Pemegang Surat", "Kepala Desa Hanura", "Halaman 1 dari 1",
        ] {
            #expect(page.texts.contains(expected), "missing \(expected)")
        }
        #expect(page.texts.contains(Fixtures.woman.nik.digits))
        #expect(page.texts.contains { $0.hasPrefix("DRAF") }, "a draft says so")
        #expect(
            page.items.contains(
                .qr(
                    payload: "VK1:TEST",
                    frame: page.items.compactMap {
                        if case .qr(_, let frame) = $0 { frame } else { nil }
                    }.first!)))
        Self.expectInsideMargins(list, paper: paper)
    }

    @Test("names and addresses of 200 characters wrap inside the page", arguments: Paper.allCases)
    func longFields(paper: Paper) {
        var resident = Fixtures.man
        resident.name = String(repeating: "BAMBANG SURYO ", count: 15).prefix(200).description
        resident.address = String(repeating: "JALANPANJANGSEKALITANPASPASI", count: 8).prefix(200).description
        resident.birthPlace = String(repeating: "Tanjungkarang ", count: 14)
        let list = LetterLayout(paper: paper, measurer: FixedWidthMeasurer()).layout(Self.letter(resident))
        Self.expectInsideMargins(list, paper: paper)
        let all = list.pages.flatMap(\.texts).joined()
        #expect(all.filter { !$0.isWhitespace }.contains(resident.address.filter { !$0.isWhitespace }))
    }

    @Test("a letter too long for one page flows onto a second, which repeats the letterhead and the number")
    func secondPage() throws {
        let long = try LetterTemplate(
            Array(
                repeating: "Keterangan tambahan {{keperluan}} untuk {{nama}} di Desa {{desa}} yang panjang sekali.",
                count: 16
            ).joined(separator: "\n"))
        let list = LetterLayout(paper: .a4, measurer: FixedWidthMeasurer()).layout(Self.letter(body: long))
        #expect(list.pages.count == 2)
        let second = list.pages[1]
        #expect(second.texts.contains("PEMERINTAH KABUPATEN PESAWARAN"))
        #expect(second.texts.contains("Nomor : S-41/007/1809072001/XI/2026 (lanjutan)"))
        #expect(second.texts.contains("Halaman 2 dari 2"))
        #expect(list.pages[0].texts.contains("Halaman 1 dari 2"))
        #expect(second.texts.contains("Pemegang Surat"), "the signature block moved whole to the second page")
        // The signature block is never split: the holder's name and the QR are on one page.
        let qrPage = try #require(
            list.pages.firstIndex { $0.items.contains { if case .qr = $0 { true } else { false } } })
        #expect(list.pages[qrPage].texts.contains("Pemegang Surat"))
        Self.expectInsideMargins(list, paper: .a4)
    }

    // MARK: Seal

    static let seal = LetterSeal(
        number: LetterNumber(kindCode: "S-41", serial: 7, station: 2, village: village, month: 11, year: 2026),
        issuedOn: date, kioskID: "LPG-PSW-HANURA-01", salt: Array(1...8),
        holderDigest: Array(repeating: 0xAB, count: 16),
        signature: Array(repeating: 0x5C, count: 64))

    @Test("the QR payload parses back to the same seal, in QR's alphanumeric character set")
    func sealRoundTrip() throws {
        let payload = Self.seal.payload
        #expect(payload.hasPrefix("VK1:S-41/007-K2/1809072001/XI/2026:20261124:LPG-PSW-HANURA-01:0102030405060708:"))
        #expect(try LetterSeal(payload: payload) == Self.seal)
        let alphanumeric = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        #expect(payload.allSatisfy(alphanumeric.contains))
        #expect(payload.count < 260, "small enough for a 25 mm QR")
    }

    /// The letter-qr fuzz target's round-trip check: a payload dated in a year below 1000 parsed, but the seal
    /// printed its years unpadded (`999`, `9991231`), a payload that no longer parsed.
    @Test("a seal dated before the year 1000 still round-trips through its payload")
    func sealOfAShortYear() throws {
        let payload = "VK1:470/001/1809072001/XII/0999:09991231:KIOSK-01:0102030405060708:"
            + String(repeating: "AB", count: 16) + ":" + String(repeating: "5C", count: 64)
        let seal = try LetterSeal(payload: payload)
        #expect(try LetterSeal(payload: seal.payload) == seal)
        #expect(seal.payload == payload)
    }

    @Test("truncated, cut or foreign payloads are refused with the reason")
    func damagedSeals() {
        let payload = Self.seal.payload
        #expect(throws: LetterSealError.notASeal) { try LetterSeal(payload: "https://example.com/v/abc") }
        for cut in [10, 60, 100, payload.count - 1] {
            #expect(throws: LetterSealError.self) { try LetterSeal(payload: payload.prefix(cut)) }
        }
        let badDate = payload.replacingOccurrences(of: ":20261124:", with: ":20261324:")
        #expect(throws: LetterSealError.malformed("the date is not valid")) { try LetterSeal(payload: badDate) }
    }

    @Test("the QR links to the verification page with the payload as is, and the payload comes back out of it")
    func verificationLink() throws {
        let payload = Self.seal.payload
        let link = Self.seal.qrText(verifyURL: "https://verifikasi.lampungprov.go.id/surat")
        #expect(link == "https://verifikasi.lampungprov.go.id/surat?s=" + payload)
        #expect(Self.seal.qrText(verifyURL: "https://x.id/cek?desa=1") == "https://x.id/cek?desa=1&s=" + payload)
        #expect(Self.seal.qrText(verifyURL: nil) == payload)
        #expect(Self.seal.qrText(verifyURL: "") == payload)
        // What URL parsers accept in a query unescaped: nothing of the payload needs percent-encoding.
        let unreserved = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-./:")
        #expect(payload.allSatisfy { unreserved.contains($0) })
        #expect(try LetterSeal(scanned: link) == Self.seal)
        #expect(try LetterSeal(scanned: "  \(payload)\n") == Self.seal)
        // A browser or a scanner app may re-encode the query; the payload survives it.
        let encoded = link.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: "/", with: "%2F")
            .replacingOccurrences(of: "https%3A%2F%2F", with: "https://").replacingOccurrences(
                of: ".id%2Fsurat", with: ".id/surat")
        #expect(try LetterSeal(scanned: encoded) == Self.seal)
        #expect(try LetterSeal(scanned: link + "#bagian") == Self.seal)
        #expect(try LetterSeal(scanned: "https://x.id/cek?desa=1&s=" + payload + "&lang=id") == Self.seal)
    }

    @Test("a link without a payload, with a broken escape or a cut payload is refused, never guessed")
    func damagedLinks() {
        #expect(throws: LetterSealError.notASeal) { try LetterSeal(scanned: "https://x.id/surat") }
        #expect(throws: LetterSealError.notASeal) { try LetterSeal(scanned: "https://x.id/surat?q=VK1:A") }
        #expect(throws: LetterSealError.notASeal) { try LetterSeal(scanned: "https://x.id/surat?s=VK1%3") }
        #expect(throws: LetterSealError.notASeal) { try LetterSeal(scanned: "") }
        #expect(throws: LetterSealError.self) {
            try LetterSeal(scanned: "https://x.id/surat?s=" + Self.seal.payload.prefix(80))
        }
    }
}

@Suite("Slips")
struct SlipTests {
    @Test("queue numbers are OpenSID's ddmmyy-NNN")
    func queueNumber() {
        #expect(Slip.queueNumber(day: CalendarDate(year: 2026, month: 11, day: 5)!, counter: 7) == "051126-007")
        #expect(Slip.queueNumber(day: CalendarDate(year: 2030, month: 1, day: 31)!, counter: 123) == "310130-123")
    }

    @Test("pengantar and receipt show the NIK masked, never whole")
    func masked() {
        let request = LetterRequest(
            kind: Fixtures.domicile, purpose: "Lainnya", resident: Fixtures.woman, card: nil)
        let date = CalendarDate(year: 2026, month: 11, day: 24)!
        let head = Letterhead(regency: "Pesawaran", district: "Gedong Tataan", village: "Hanura", address: "x")
        for slip in [
            Slip.pengantar(request: request, number: Fixtures.number, issuedOn: date, letterhead: head, seal: "VK1:X"),
            Slip.receipt(request: request, number: Fixtures.number, issuedOn: date, village: "Hanura"),
        ] {
            #expect(slip.lines.contains(.field("NIK", Fixtures.woman.nik.masked)))
            #expect(!"\(slip.lines)".contains(Fixtures.woman.nik.digits))
        }
    }
}
