import Foundation
import ProvincialAPI
import TestSupport
import Testing

/// A letter prepared elsewhere, collected through `kiosk run` against `kiosk-sim api` and the test printer (cupsd to
/// ippeveprinter), offline: synced while the province answers, collected while it is down, uploaded once it is back,
/// and the province then holds the request at 4 Sudah Diambil, and
/// another kiosk of the village that had synced the letter marks it at its next sync and prints nothing. Hostile letters in the same sync are refused and the
/// kiosk keeps serving.
@Suite("Letters prepared elsewhere, end to end", .serialized)
struct PickupIntegrationTests {
    static let kiosk = Services.binaries + "/kiosk"
    /// SITI AMINAH of the fixture export: card 520A8BB9 (tag 1376422841).
    static let card = "520A8BB9"
    static let nik = "1809075403680011"
    static let pin = "250713"
    static let secondToken = "T0KEN-HANURA-2"
    /// A small signed-looking PDF; its bytes must reach the printer as they are.
    static let pdf = Data(
        """
        %PDF-1.4
        1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
        3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj
        % TTE BSrE: signed by the village head of Hanura
        trailer<</Root 1 0 R>>
        %%EOF

        """.utf8)

    static func config(folder: String, url: String, rig: PrintRig) -> String {
        """
        [kiosk]
        id = "TEST-HANURA-01"
        village_code = "18.09.07.2001"
        village_name = "Hanura"
        state_directory = "\(folder)/state"
        station = 2

        [identity]
        mode = "card-pin"

        \(KioskTOML.letterhead(templates: Services.repository + "/templates"))

        [registry]
        opensid_export = "\(Services.repository)/Tests/KioskTests/Fixtures/opensid-residents.csv"

        [printing]
        letters = "cups"
        cups_server = "\(rig.server)"
        cups_queue = "\(PrintRig.queue)"

        [display]
        backend = "terminal"

        [card_reader]
        backend = "script"

        [api]
        url = "\(url)"

        \(KioskTOML.domicileLetter)
        """
    }

    @Test func aPreparedLetterIsCollectedOfflinePrintedUnchangedAndTheProvinceLearnsItOnceOnline() async throws {
        let rig = try await PrintRig(command: .accept)
        let folder = rig.folder + "/pickup"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.pdf.write(to: URL(fileURLWithPath: folder + "/letter.pdf"))
        try Data("<html>not a pdf</html>".utf8).write(to: URL(fileURLWithPath: folder + "/page.html"))
        let seeds: [[String: String]] = [
            [
                "id": "PM-1", "villageCode": "1809072001", "holderNik": Self.nik, "kind": "S-41",
                "number": "S-41/042/1809072001/XII/2026", "pdfFile": "letter.pdf",
            ],
            [
                "id": "NOT-A-PDF", "villageCode": "1809072001", "holderNik": Self.nik, "kind": "S-41",
                "number": "S-41/043/1809072001/XII/2026", "pdfFile": "page.html",
            ],
            [
                "id": "OTHER-VILLAGE", "villageCode": "1809072002", "servedTo": "1809072001", "holderNik": Self.nik,
                "kind": "S-41", "number": "S-41/044/1809072002/XII/2026", "pdfFile": "letter.pdf",
            ],
            [
                "id": "UNKNOWN-KIND", "villageCode": "1809072001", "holderNik": Self.nik, "kind": "Z-99",
                "number": "Z-99/001/1809072001/XII/2026", "pdfFile": "letter.pdf",
            ],
        ]
        try JSONSerialization.data(withJSONObject: seeds).write(to: URL(fileURLWithPath: folder + "/pickups.json"))
        let apiState = folder + "/api"
        let options = [
            "--token", ProvincialAPIIntegrationTests.Setup.tokenOption, "--token",
            "\(Self.secondToken)=1809072001:Hanura",
            "--pickups", folder + "/pickups.json",
        ]
        let server = try APIServerProcess(state: apiState, options: options)
        defer { server.stop() }
        let config = folder + "/kiosk.toml"
        try Self.config(folder: folder, url: server.url, rig: rig).write(
            toFile: config, atomically: true, encoding: .utf8)
        func kiosk(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, output: String) {
            let outcome = try await TestProcess.run(Self.kiosk, arguments + ["--config", config], input: input)
            return (outcome.status, outcome.all)
        }
        // A second kiosk of the same village, printing to the same printer: it syncs the letter while it is ready.
        let otherFolder = folder + "/other"
        try FileManager.default.createDirectory(atPath: otherFolder, withIntermediateDirectories: true)
        let otherConfig = otherFolder + "/kiosk.toml"
        try Self.config(folder: otherFolder, url: server.url, rig: rig).write(
            toFile: otherConfig, atomically: true, encoding: .utf8)
        func other(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, output: String) {
            let outcome = try await TestProcess.run(Self.kiosk, arguments + ["--config", otherConfig], input: input)
            return (outcome.status, outcome.all)
        }

        let enrolled = try await kiosk([
            "enroll", "--url", server.url, "--token-file",
            try ProvincialAPIIntegrationTests.tokenFile(ProvincialAPIIntegrationTests.token, in: folder),
        ])
        #expect(enrolled.status == 0, "\(enrolled.output)")
        let imported = try await kiosk([
            "import", "residents", Services.repository + "/Tests/KioskTests/Fixtures/opensid-residents.csv",
        ])
        #expect(imported.status == 0, "\(imported.output)")
        let pinSet = try await kiosk(["pin", "set", "--card", Self.card], input: Self.pin + "\n")
        #expect(pinSet.status == 0, "\(pinSet.output)")

        // Online: the letters are synced; the hostile ones are refused by id, never by holder.
        let synced = try await kiosk(["sync-pickups"])
        #expect(synced.status == 0, "\(synced.output)")
        #expect(synced.output.contains("1 ready"), "\(synced.output)")
        #expect(synced.output.contains("3 refused"), "\(synced.output)")
        for refused in ["NOT-A-PDF", "OTHER-VILLAGE", "UNKNOWN-KIND"] {
            #expect(synced.output.contains(refused), "\(synced.output)")
        }
        #expect(!synced.output.contains(Self.nik))

        let otherEnrolled = try await other([
            "enroll", "--url", server.url, "--token-file",
            try ProvincialAPIIntegrationTests.tokenFile(Self.secondToken, in: otherFolder),
        ])
        #expect(otherEnrolled.status == 0, "\(otherEnrolled.output)")
        await #expect(
            try other(["import", "residents", Services.repository + "/Tests/KioskTests/Fixtures/opensid-residents.csv"])
                .status == 0)
        await #expect(try other(["pin", "set", "--card", Self.card], input: Self.pin + "\n").status == 0)
        let otherSynced = try await other(["sync-pickups"])
        #expect(otherSynced.output.contains("1 ready"), "\(otherSynced.output)")

        // Offline: the province is down on the day of collection.
        server.stop()
        let script = folder + "/session.txt"
        try """
        await idle
        tap \(Self.card)
        await pin
        \(Self.pin.map { "key \($0)" }.joined(separator: "\n"))
        await pickups
        see Surat Siap Diambil
        key 1
        await printing
        see Surat sudah dicetak
        press Layanan Lain
        await menu
        remove
        await idle
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let (code, output) = try await Services.run(
            Self.kiosk, ["run", "--config", config, "--script", script, "--await-seconds", "60"])
        #expect(code == 0, "\(output)")
        #expect(output.contains("screen screen=pickups"), "\(output)")
        #expect(!output.contains(Self.nik))

        // What ippeveprinter received is the PDF, byte for byte: not re-rendered by cupsd's filters.
        #expect(await PrintRig.eventually { (try? rig.keptDocuments().count) == 1 })
        let kept = try rig.keptDocuments()
        #expect(kept.count == 1)
        let received = try Data(contentsOf: URL(fileURLWithPath: try #require(kept.first)))
        #expect(received == Self.pdf)

        // A second tap: the letter is collected, so the menu comes at once and nothing prints again.
        let again = folder + "/again.txt"
        try """
        await idle
        tap \(Self.card)
        await pin
        \(Self.pin.map { "key \($0)" }.joined(separator: "\n"))
        await menu
        remove
        await idle
        """.write(toFile: again, atomically: true, encoding: .utf8)
        let secondTap = try await Services.run(
            Self.kiosk, ["run", "--config", config, "--script", again, "--await-seconds", "60"])
        #expect(secondTap.status == 0, "\(secondTap.output)")
        #expect(!secondTap.output.contains("screen screen=pickups"), "\(secondTap.output)")
        #expect(try rig.keptDocuments().count == 1)

        // Online again: the collection record uploads and the province moves the request to Sudah Diambil.
        let back = try APIServerProcess(state: apiState, options: options, port: server.port)
        defer { back.stop() }
        let upload = try await kiosk(["upload", "--include-recent"])
        #expect(upload.status == 0, "\(upload.output)")
        #expect(upload.output.contains("uploaded 1 record(s)"), "\(upload.output)")
        let records = try await Services.run(Services.kioskSim, ["api", "records", "--state", apiState])
        #expect(records.output.contains("pickup PM-1: 4 Sudah Diambil"), "\(records.output)")
        #expect(records.output.contains("pickup NOT-A-PDF: 3 Siap Diambil"), "\(records.output)")

        // The other kiosk learns it at its next sync: a tap there goes straight to the menu, nothing prints twice.
        let learnt = try await other(["sync-pickups"])
        #expect(learnt.output.contains("1 collected elsewhere"), "\(learnt.output)")
        let elsewhere = try await Services.run(
            Self.kiosk, ["run", "--config", otherConfig, "--script", again, "--await-seconds", "60"])
        #expect(elsewhere.status == 0, "\(elsewhere.output)")
        #expect(!elsewhere.output.contains("screen screen=pickups"), "\(elsewhere.output)")
        #expect(try rig.keptDocuments().count == 1)
    }
}
