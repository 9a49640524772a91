import Core
import Crypto
import Foundation
import ProvincialAPI
import TestSupport
import Testing

/// A letter printed by `kiosk run`, its QR read back from the page image with zbarimg, and the link it holds opened
/// in a real browser (Debian's `chromium`, headless) against `kiosk-sim api`: what a bank clerk's phone would show
/// for a genuine letter, a forged one, an altered one and one from a kiosk the province does not know. `kiosk
/// verify` checks the same links offline and must agree.
@Suite("Letter verification page in a browser", .serialized)
struct LetterVerificationPageTests {
    static let kiosk = Services.binaries + "/kiosk"
    static let token = "T0KEN-HANURA-VERIFY"
    /// I KETUT WIRAWAN in the OpenSID fixture: his card, his NIK.
    static let card = "04A21B6C9E4F80"
    static let nik = "1809072107790013"

    /// An enrolled kiosk that prints letters as PDF files, and the provincial server that knows its village.
    final class Rig: Sendable {
        let folder: String
        let config: String
        let letters: String
        let server: APIServerProcess

        init() throws {
            folder =
                FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-verify-\(UUID().uuidString)")
                .path
            letters = folder + "/letters"
            try FileManager.default.createDirectory(atPath: letters, withIntermediateDirectories: true)
            // The province's registry of the village: the page shows the holder's name from it, masked.
            let registry = folder + "/registry.json"
            let resident = RegistryResident(
                name: "I KETUT WIRAWAN", birthPlace: "BANDAR LAMPUNG", birthDate: "1979-07-21", sex: "L",
                address: "JL. RAYA HANURA NO. 13", hamlet: "DUSUN II", rt: "002", rw: "001", religion: "HINDU",
                maritalStatus: "KAWIN", occupation: "PERDAGANGAN", nationality: "WNI", cardTag: card)
            struct File: Encodable {
                var villageCode: String
                var changes: [RegistryChange]
            }
            try APIJSON.encoder().encode(
                File(villageCode: "1809072001", changes: [RegistryChange(nik: nik, removed: false, resident: resident)])
            ).write(to: URL(fileURLWithPath: registry))
            server = try APIServerProcess(
                state: folder + "/api",
                options: ["--token", "\(token)=1809072001:Hanura", "--registry", registry])
            config = folder + "/kiosk.toml"
            try """
            [kiosk]
            id = "HANURA-01"
            village_code = "18.09.07.2001"
            village_name = "Hanura"
            state_directory = "\(folder)/state"
            station = 2

            [identity]
            mode = "card"
            supervised = true

            \(KioskTOML.letterhead(templates: Services.repository + "/templates"))

            [registry]
            opensid_export = "\(Services.repository)/Tests/KioskTests/Fixtures/opensid-residents.csv"

            [printing]
            letters = "file"
            letter_output = "\(letters)"

            [display]
            backend = "terminal"

            [card_reader]
            backend = "script"

            [api]
            url = "\(server.url)"

            \(KioskTOML.domicileLetter)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(atPath: folder)
        }

        func kiosk(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            try await Services.run(LetterVerificationPageTests.kiosk, arguments + ["--config", config])
        }

        /// Enrolls, lets I KETUT WIRAWAN print a domicile letter, uploads its record; returns the letter's PDF.
        func printLetter() async throws -> String {
            let enrolled = try await Services.run(
                LetterVerificationPageTests.kiosk,
                [
                    "enroll", "--url", server.url, "--token-file",
                    try ProvincialAPIIntegrationTests.tokenFile(token, in: folder), "--config", config,
                ])
            #expect(enrolled.status == 0, "\(enrolled.output)")
            let script = folder + "/session.txt"
            try """
            await idle
            tap \(card)
            press Surat Keterangan Domisili
            press Melamar pekerjaan
            await confirm
            press Cetak
            await done
            """.write(toFile: script, atomically: true, encoding: .utf8)
            let (code, output) = try await Services.run(
                LetterVerificationPageTests.kiosk,
                ["run", "--config", config, "--script", script, "--await-seconds", "60"])
            #expect(code == 0, "\(output)")
            let uploaded = try await Services.run(
                LetterVerificationPageTests.kiosk, ["upload", "--include-recent", "--config", config])
            #expect(uploaded.status == 0, "\(uploaded.output)")
            let pdfs = try FileManager.default.contentsOfDirectory(atPath: letters).filter { $0.hasSuffix(".pdf") }
            return letters + "/" + (try #require(pdfs.first, "no letter PDF in \(letters): \(output)"))
        }
    }

    /// Page 1 of `pdf` at `dpi` (poppler's pdftoppm), and what zbarimg reads from it; `nil` when it finds no QR.
    static func scan(_ pdf: String, dpi: Int) async throws -> String? {
        let base = pdf + "-\(dpi)"
        let drawn = try await Services.run(
            "/usr/bin/pdftoppm", ["-png", "-r", "\(dpi)", "-f", "1", "-l", "1", "-singlefile", pdf, base])
        #expect(drawn.status == 0, "\(drawn.output)")
        let read = try await TestProcess.run("/usr/bin/zbarimg", ["--quiet", "--raw", "-Sqrcode.enable", base + ".png"])
        let text = read.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return read.status == 0 && !text.isEmpty ? text : nil
    }

    /// The page's text as Chromium renders it (its DOM after load; the page has no script to change it), and a
    /// screenshot at a phone's width beside it.
    static func browse(_ url: String, screenshot: String) async throws -> String {
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]
        let dom = try await TestProcess.run("/usr/bin/chromium", common + ["--dump-dom", url])
        #expect(dom.status == 0, "chromium --dump-dom: \(dom.stderr)")
        let shot = try await TestProcess.run(
            "/usr/bin/chromium", common + ["--window-size=412,915", "--screenshot=\(screenshot)", url])
        #expect(shot.status == 0 && FileManager.default.fileExists(atPath: screenshot), "\(shot.stderr)")
        // Tags out: what a reader sees.
        return dom.stdout.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Runs `body` on a thread outside the concurrency pool: zbarimg, Chromium and `kiosk verify` block while they
    /// run, and the pool has one thread per core (see `Services.runDetached`).
    @Test func aPrintedLettersQRIsALinkAPhoneOpensAndThePageTellsGenuineFromForgedAlteredAndUnknown() async throws {
        let rig = try Rig()
        let pdf = try await rig.printLetter()
        try await Self.checkPages(rig: rig, pdf: pdf)
    }

    static func checkPages(rig: Rig, pdf: String) async throws {

        // The page as a scanner sees it: at 150 dpi the link decodes (the issue's 100 dpi demo image did not).
        let link = try #require(try await Self.scan(pdf, dpi: 150), "zbarimg finds no QR on page 1 at 150 dpi")
        #expect(link.hasPrefix(rig.server.url + Endpoint.letterPage + "?s=VK1:"), "\(link)")
        #expect(!link.contains(Self.nik), "the QR never carries the NIK")
        let payload = try #require(LetterSeal.payload(scanned: link))
        let seal = try LetterSeal(payload: payload)

        // Made-up QRs from the genuine one.
        let altered = link.replacingOccurrences(of: "/001-K2/", with: "/002-K2/")
        #expect(altered != link)
        let stranger = DeviceKeyForTest()
        var forgedSeal = LetterSeal(
            number: seal.number, issuedOn: seal.issuedOn, kioskID: seal.kioskID, salt: [1, 2, 3, 4, 5, 6, 7, 8],
            holderDigest: seal.holderDigest)
        forgedSeal.signature = stranger.sign(forgedSeal.signedText)
        let forged = forgedSeal.qrText(verifyURL: rig.server.url + Endpoint.letterPage)
        var unknownSeal = forgedSeal
        unknownSeal.kioskID = "LAMPUNG-99"
        unknownSeal.signature = stranger.sign(unknownSeal.signedText)
        let unknown = unknownSeal.qrText(verifyURL: rig.server.url + Endpoint.letterPage)
        let damaged = String(link.prefix(link.count - 20))

        let cases: [(name: String, url: String, verdict: String, kioskSays: String)] = [
            ("valid", link, Teks.Verification.valid, "VALID"),
            ("forged", forged, Teks.Verification.forged, "FORGED"),
            ("altered", altered, Teks.Verification.altered, "FORGED"),
            ("unknown-kiosk", unknown, Teks.Verification.unknownKiosk, "UNKNOWN KIOSK"),
            ("damaged", damaged, Teks.Verification.damaged, "REFUSED"),
        ]
        for item in cases {
            let text = try await Self.browse(item.url, screenshot: rig.folder + "/page-\(item.name).png")
            #expect(text.contains(item.verdict), "\(item.name): the page lacks \(item.verdict): \(text)")
            for other in cases.map(\.verdict) where other != item.verdict {
                #expect(!text.contains(" \(other) "), "\(item.name): the page also says \(other)")
            }
            #expect(!text.contains(Self.nik), "\(item.name): the page shows the NIK")
            #expect(!text.contains("KETUT"), "\(item.name): the page shows the holder's name unmasked")
            // The kiosk's offline check: valid only for the genuine letter, and says so in its own words.
            let offline = try await rig.kiosk(["verify", item.url])
            #expect(offline.output.hasPrefix(item.kioskSays), "\(item.name): kiosk verify says \(offline.output)")
            #expect((offline.status == 0) == (item.name == "valid"), "\(item.name): \(offline.output)")
        }
        // What the genuine letter's page says of it: its facts, the holder masked.
        let genuine = try await Self.browse(link, screenshot: rig.folder + "/page-valid.png")
        for expected in [
            seal.number.formatted, "Surat Keterangan Domisili", IndonesianDate.long(seal.issuedOn),
            "Hanura (1809072001)",
            seal.kioskID, "I K**** W******",
        ] {
            #expect(genuine.contains(expected), "the genuine letter's page lacks \(expected)")
        }
        // The altered letter's page shows the genuine letter's number, not the changed one.
        let alteredText = try await Self.browse(altered, screenshot: rig.folder + "/page-altered.png")
        #expect(alteredText.contains(seal.number.formatted) && !alteredText.contains("/002-K2/"))
    }

    @Test func nothingAnswersForANumberAloneSoNobodyCanStepThroughTheLetters() async throws {
        let rig = try Rig()
        let pdf = try await rig.printLetter()
        try await Self.checkNumbersAlone(rig: rig, pdf: pdf)
    }

    static func checkNumbersAlone(rig: Rig, pdf: String) async throws {
        let link = try #require(try await Self.scan(pdf, dpi: 150))
        let seal = try LetterSeal(payload: try #require(LetterSeal.payload(scanned: link)))
        let number = seal.number.formatted
        // The old query by number and kiosk id is refused; the page given a number says the code is unreadable.
        let byNumber = try await TestProcess.run(
            "/usr/bin/curl",
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "\(rig.server.url)\(Endpoint.letterVerification)?number=\(number)&kioskId=\(seal.kioskID)",
            ])
        #expect(byNumber.stdout == "400")
        for guess in [number, "VK1:\(number):\(seal.signedText.split(separator: ":")[2])", "1", "../v1/kiosks/keys"] {
            let page = try await TestProcess.run(
                "/usr/bin/curl",
                [
                    "-s", "-G", "\(rig.server.url)\(Endpoint.letterPage)",
                    "--data-urlencode", "s=\(guess)",
                ])
            #expect(page.stdout.contains(Teks.Verification.damaged), "\(guess): \(page.stdout)")
            #expect(!page.stdout.contains(number), "\(guess): the page names the letter")
        }
        // The page links to nothing and runs no script.
        let page = try await TestProcess.run("/usr/bin/curl", ["-s", "-i", link])
        #expect(!page.stdout.contains("<a ") && !page.stdout.contains("<script"))
        #expect(page.stdout.lowercased().contains("content-security-policy: default-src 'none'"))
    }
}

/// An Ed25519 key that no kiosk enrolled: what a forger has.
struct DeviceKeyForTest {
    let key = Curve25519.Signing.PrivateKey()
    func sign(_ text: String) -> [UInt8] {
        Array(try! key.signature(for: Data(text.utf8)))
    }
}
