import Core
import Crypto
import Drivers
import Foundation
import TestSupport
import Testing

@testable import Kiosk
@testable import KioskKit

/// Letters through the real renderer (cairo, the Liberation fonts, libqrencode) and read back with the tools a
/// verifier would use: poppler's `pdftotext`, zbar's `zbarimg`.
@Suite("Letters printed to PDF and verified")
struct LetterPrintTests {
    static let settings = try! SampleConfig.parse(SampleConfig.valid)
    static let woman = try! OpenSIDExport.read(path: TestPaths.residents).residents.first { $0.sex == .female }!

    static func request(_ resident: Resident = woman, code: String = "S-41") -> LetterRequest {
        LetterRequest(kind: settings.catalogue[code]!, purpose: "Melamar pekerjaan", resident: resident, card: nil)
    }

    static let issued = IssuedLetter(
        recordID: RecordID("01KAVZ2W3C0000000000000000")!,
        number: LetterNumber(kindCode: "S-41", serial: 7, station: 2, village: settings.village, month: 11, year: 2025))

    /// Writes the PDF of one letter and returns its text.
    static func printed(
        _ request: LetterRequest, nikStyle: LetterFields.NIKStyle = .full, in directory: borrowing TemporaryDirectory
    ) throws -> (pdf: String, text: String) {
        let pdf = try TestLetters.composer(settings: settings, nikStyle: nikStyle).pdf(request, issued)
        let path = directory.path + "/letter.pdf"
        try Data(pdf).write(to: URL(fileURLWithPath: path))
        return (path, try TestLetters.text(ofPDF: path))
    }

    @Test("the PDF carries the letterhead, the title, the number, the holder's fields and the body")
    func pdfText() throws {
        let directory = try TemporaryDirectory()
        let (_, text) = try Self.printed(Self.request(), in: directory)
        for expected in [
            "PEMERINTAH KABUPATEN PESAWARAN", "KECAMATAN GEDONG TATAAN", "DESA HANURA", "SURAT KETERANGAN DOMISILI",
            "S-41/007-K2/1809072001/XI/2025", Self.woman.name, Self.woman.nik.digits, "Melamar pekerjaan",
            "Pemegang Surat", "Kepala Desa Hanura", "Halaman 1 dari 1", "DRAF",
        ] {
            #expect(text.contains(expected), "the letter's text lacks \(expected)")
        }
    }

    @Test("with nik = \"masked\" the letter never shows the whole NIK")
    func maskedNIK() throws {
        let directory = try TemporaryDirectory()
        let (_, text) = try Self.printed(Self.request(), nikStyle: .masked, in: directory)
        #expect(text.contains(Self.woman.nik.masked))
        #expect(!text.contains(Self.woman.nik.digits))
    }

    @Test(
        "names outside Latin-1 and of 200 characters print whole",
        arguments: ["NGUYỄN THỊ ÁNH ŁUKASZ ŞTEFAN", String(repeating: "KARTIKASARIWULANDARI ", count: 10)])
    func unusualNames(name: String) throws {
        var resident = Self.woman
        resident.name = name
        let directory = try TemporaryDirectory()
        let (_, text) = try Self.printed(Self.request(resident), in: directory)
        let squeezed = text.filter { !$0.isWhitespace }
        #expect(squeezed.contains(name.filter { !$0.isWhitespace }))
    }

    @Test("the QR on the printed page scans back to a seal the kiosk's key verifies, binding the holder")
    func qrScansAndVerifies() throws {
        let composer = try TestLetters.composer(settings: Self.settings)
        let list = try composer.layout(Self.request(), Self.issued)
        let directory = try TemporaryDirectory()
        let png = directory.path + "/page1.png"
        try Data(try composer.renderer.png(list.pages[0], scale: 150.0 / 72)).write(to: URL(fileURLWithPath: png))
        let scanned = try DebianTool.run(
            "zbarimg", ["--quiet", "--raw", "-Sqrcode.enable", png], package: "zbar-tools"
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        let verifier = LetterVerifier(keys: [Self.settings.kioskID: TestLetters.key.publicKey])
        guard case .valid(let seal) = verifier.verify(payload: scanned) else {
            Issue.record("expected a valid seal, got \(verifier.verify(payload: scanned))")
            return
        }
        #expect(seal.number == Self.issued.number)
        #expect(LetterVerifier.binds(seal, nik: Self.woman.nik, name: Self.woman.name.lowercased()))
        #expect(!LetterVerifier.binds(seal, nik: try NIK("1809074107900003"), name: Self.woman.name))
        #expect(!scanned.contains(Self.woman.nik.digits), "the QR does not carry the NIK")
    }

    @Test(
        "a link's QR has modules of at least 0.6 mm: a page scanned at 150 dpi decodes behind the longest verify_url",
        arguments: [
            "https://api.smartvillage.lampungprov.go.id/surat",
            "https://verifikasi-surat.smartvillage.lampungprov.go.id/" + String(repeating: "a", count: 138) + "/surat",
        ])
    func linkQRModulesAndScan(verifyURL: String) throws {
        var composer = try TestLetters.composer(settings: Self.settings)
        composer.verifyURL = verifyURL
        let list = try composer.layout(Self.request(), Self.issued)
        let found = list.pages.flatMap(\.items).compactMap { item -> (String, Rect)? in
            if case .qr(let payload, let frame) = item { return (payload, frame) } else { return nil }
        }
        let (payload, frame) = try #require(found.first)
        #expect(payload.hasPrefix(verifyURL + "?s=VK1:"))
        let modules = try #require(composer.renderer.qrModules(for: payload))
        let moduleMM = frame.size.width / Double(modules + 8) * 25.4 / 72
        #expect(moduleMM >= 0.599, "\(modules) modules in \(frame.size.width) pt: \(moduleMM) mm a module")
        #expect(frame.size.width <= 200, "the QR leaves room on the page")

        let directory = try TemporaryDirectory()
        let png = directory.path + "/page1.png"
        try Data(try composer.renderer.png(list.pages[0], scale: 150.0 / 72)).write(to: URL(fileURLWithPath: png))
        let scanned = try DebianTool.run(
            "zbarimg", ["--quiet", "--raw", "-Sqrcode.enable", png], package: "zbar-tools")
        #expect(scanned.trimmingCharacters(in: .whitespacesAndNewlines) == payload)
        let verifier = LetterVerifier(keys: [Self.settings.kioskID: TestLetters.key.publicKey])
        guard case .valid = verifier.verify(payload: scanned) else {
            Issue.record("the scanned link does not verify: \(verifier.verify(payload: scanned))")
            return
        }
    }

    static func sealPayload() throws -> String {
        let signer = LetterSigner(kioskID: settings.kioskID, key: TestLetters.key)
        return try signer.seal(issued.number, issuedOn: issued.recordID.timestamp.date(), to: woman).payload
    }

    @Test("forged, altered, truncated and unknown-kiosk QRs are told apart")
    func verdicts() throws {
        let payload = try Self.sealPayload()
        let keys = [Self.settings.kioskID: TestLetters.key.publicKey]
        let verifier = LetterVerifier(keys: keys)

        // Signed by another key that claims to be this kiosk.
        let forger = LetterSigner(kioskID: Self.settings.kioskID, key: DeviceKey.generate())
        let forged = try forger.seal(
            Self.issued.number, issuedOn: Self.issued.recordID.timestamp.date(), to: Self.woman)
        #expect(verifier.verify(payload: forged.payload) == .forged(kioskID: Self.settings.kioskID))

        // A genuine QR with its serial changed.
        let changed = payload.replacingOccurrences(of: "S-41/007-K2", with: "S-41/008-K2")
        #expect(verifier.verify(payload: changed) == .forged(kioskID: Self.settings.kioskID))

        // Truncated anywhere.
        for cut in [5, 40, payload.count - 3] {
            guard case .malformed = verifier.verify(payload: String(payload.prefix(cut))) else {
                Issue.record("a payload cut at \(cut) is not reported as damaged")
                continue
            }
        }

        // A kiosk whose key the verifier lacks.
        #expect(LetterVerifier(keys: [:]).verify(payload: payload) == .unknownKiosk(Self.settings.kioskID))

        // A genuine QR on a letter whose printed number was changed.
        guard
            case .valid = verifier.verify(
                payload: payload,
                documentText:
                    "Nomor : S-41/007-K2/1809072001/XI/2025 \(IndonesianDate.long(Self.issued.recordID.timestamp.date()))"
            )
        else {
            Issue.record("the genuine letter text should verify")
            return
        }
        guard case .altered = verifier.verify(payload: payload, documentText: "Nomor : S-41/009-K2/1809072001/XI/2025")
        else {
            Issue.record("a letter whose printed number differs from its QR must be altered")
            return
        }
    }

    @Test("kiosk test-print composes a sample letter whose PDF kiosk verify accepts, and a changed one it refuses")
    func testPrintAndVerifyCommands() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("kiosk.toml", SampleConfig.withState(in: directory.path + "/state"))
        let pdf = directory.path + "/uji.pdf"
        let printed = try await KioskBinary.run(["test-print", "--config", config, "--no-print", "--pdf", pdf])
        #expect(printed.status == 0, "\(printed.all)")
        #expect(printed.stdout.contains("1 page(s) on F4"))
        let text = try TestLetters.text(ofPDF: pdf)
        #expect(text.contains("SURAT UJI CETAK") && text.contains("PEMERINTAH KABUPATEN PESAWARAN"))

        let verified = try await KioskBinary.run(["verify", "--config", config, "--file", pdf])
        #expect(verified.status == 0, "\(verified.all)")
        #expect(verified.stdout.hasPrefix("VALID: letter UJI/001/1809072001/"))

        // The same QR text with its serial changed, and one cut short.
        let payload = try #require(verified.stdout.isEmpty ? nil : try LetterDocument.read(pdf).payload)
        let changed = try await KioskBinary.run(
            ["verify", "--config", config, payload.replacingOccurrences(of: "UJI/001", with: "UJI/002")])
        #expect(changed.status == 1)
        #expect(changed.stdout.hasPrefix("FORGED"))
        let cut = try await KioskBinary.run(["verify", "--config", config, String(payload.prefix(50))])
        #expect(cut.status == 1)
        #expect(cut.stdout.hasPrefix("REFUSED: damaged letter QR"))
        // Without this kiosk's key (another kiosk's config would not have it) and no key list: a clear error.
        let keys = try directory.write(
            "keys.txt", "# no keys yet\nOTHER-KIOSK \(Data(repeating: 7, count: 32).base64EncodedString())\n")
        let unknown = try await KioskBinary.run(["verify", "--config", "/nonexistent.toml", "--keys", keys, payload])
        #expect(unknown.stdout.hasPrefix("UNKNOWN KIOSK"))
    }

    @Test("a PNG logo is drawn left of the letterhead; a logo that is not PNG is a configuration error")
    func logo() throws {
        let directory = try TemporaryDirectory()
        // Any PNG will do: the golden snapshot is one.
        let logo = TestPaths.repository + "/Tests/KioskTests/Fixtures/letters/s-41-page1.png"
        var settings = Self.settings
        settings.letterhead.logo = logo
        let composer = LetterComposer(
            letterhead: settings.letterhead, letters: settings.letters, renderer: try Renderer(),
            signer: LetterSigner(kioskID: settings.kioskID, key: TestLetters.key))
        let page = try composer.layout(Self.request(), Self.issued).pages[0]
        #expect(page.items.contains { if case .image(logo, _) = $0 { true } else { false } })
        #expect(try composer.renderer.pdf(DisplayList(pages: [page])).count > 1000)

        let jpeg = try directory.write("logo.jpg", "\u{FF}\u{D8}\u{FF} not a png")
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(
                of: "address = \"Jl. Raya Hanura No. 1\"",
                with: "address = \"Jl. Raya Hanura No. 1\"\nlogo = \"\(jpeg)\""))
        #expect(problems.map(\.key) == ["letterhead.logo"])
        #expect(problems.first?.message.contains("is not a PNG image") == true)
    }

    @Test("page 1 matches its snapshot (F4, fixed seal), within a tolerance for font hinting")
    func snapshot() throws {
        let renderer = try Renderer()
        let letter = Letter(
            request: Self.snapshotRequest, number: Self.issued.number,
            issuedOn: CalendarDate(year: 2025, month: 11, day: 24)!,
            letterhead: Self.settings.letterhead, template: Self.settings.letters.templates["S-41"]!, nikStyle: .full,
            seal: "VK1:SNAPSHOT")
        let page = LetterLayout(paper: .f4, measurer: renderer).layout(letter).pages[0]
        let scale = 100.0 / 72
        let image = try renderer.raster(page, scale: scale)
        // Read from the source tree, where `KIOSK_UPDATE_SNAPSHOTS=1 swift test --filter snapshot` rewrites it.
        let golden = TestPaths.repository + "/Tests/KioskTests/Fixtures/letters/s-41-page1.png"
        if ProcessInfo.processInfo.environment["KIOSK_UPDATE_SNAPSHOTS"] == "1" {
            try Data(try renderer.png(page, scale: scale)).write(to: URL(fileURLWithPath: golden))
        }
        let expected = try renderer.raster(png: golden)
        #expect(expected.width == image.width && expected.height == image.height)
        let different = Snapshot.differingPixels(image, expected)
        // Hinting and antialiasing may move edges by a pixel; a changed word, line or QR moves thousands.
        #expect(Double(different) / Double(image.width * image.height) < 0.002, "\(different) pixels differ")
    }

    /// A synthetic resident whose fields do not change with the fixture export.
    static let snapshotRequest = LetterRequest(
        kind: settings.catalogue["S-41"]!, purpose: "Melamar pekerjaan",
        resident: Resident(
            nik: try! NIK("1809075403680011"), name: "SITI AMINAH", birthPlace: "PESAWARAN",
            birthDate: CalendarDate(year: 1968, month: 3, day: 14)!, sex: .female, address: "Jl. Raya Way Layap",
            hamlet: "Sukamaju", rt: "001", rw: "002", religion: "ISLAM", maritalStatus: "KAWIN",
            occupation: "PETANI/PEKEBUN"),
        card: nil)
}

/// Comparing renders with a golden PNG.
enum Snapshot {
    /// Pixels whose grey level differs by more than a quarter.
    static func differingPixels(_ a: RasterImage, _ b: RasterImage) -> Int {
        guard a.width == b.width, a.height == b.height else { return a.width * a.height }
        func grey(_ p: UInt32) -> Int { (Int(p >> 16 & 0xFF) + Int(p >> 8 & 0xFF) + Int(p & 0xFF)) / 3 }
        var count = 0
        for y in 0..<a.height {
            for x in 0..<a.width where abs(grey(a[x, y]) - grey(b[x, y])) > 64 { count += 1 }
        }
        return count
    }
}
