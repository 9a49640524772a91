import Core
import Foundation
import TestSupport
import Testing

/// The maintenance screen's three buttons through `kiosk run --script`, with the rig's real printers (cupsd with
/// ippeveprinter, `kiosk-sim printer`) and the reference API: each does what it says, shows the outcome in words,
/// and the service switch survives a restart and reaches the heartbeat with the operator card masked.
@Suite("Operator actions through kiosk run, real printers", .serialized)
struct OperatorActionsIntegrationTests {
    static let kiosk = Services.binaries + "/kiosk"

    /// The operator card DEADBEEF and its PIN 250713 (as `kiosk pin set` registers it), typed on the keypad.
    static let openMaintenance = """
        await idle
        tap DEADBEEF
        await pin
        key 2
        key 5
        key 0
        key 7
        key 1
        key 3
        await maintenance
        """

    /// Adds the operator card to `config` and sets its PIN.
    static func addOperator(to config: String, extra: String = "") async throws {
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try (text + "\n[operators]\ncards = [\"DEADBEEF\"]\n" + extra).write(
            toFile: config, atomically: true, encoding: .utf8)
        let set = try await Services.run(
            "/bin/sh", ["-c", "printf '250713\\n' | '\(kiosk)' pin set --card DEADBEEF --config '\(config)'"])
        #expect(set.status == 0, "\(set.output)")
    }

    /// `kiosk run --script` of `script`; returns its output, after checking it ended well.
    static func run(_ script: String, config: String, folder: String) async throws -> String {
        let file = folder + "/session-\(UUID().uuidString).txt"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let (code, output) = try await Services.run(
            kiosk, ["run", "--config", config, "--script", file, "--await-seconds", "60"])
        #expect(code == 0, "\(output)")
        return output
    }

    @Test func ujiCetakPrintsATestPageThroughCUPSAndATestSlipAndSaysHowEachWent() async throws {
        let rig = try await PrintRig(command: .accept)
        // The thermal printer has no paper: the screen says the letter printed and the slip did not, and why.
        let thermal = try ThermalPrinterTests.VirtualPrinter(["--paper", "out"])
        let config = try LetterPrintingIntegrationTests.config(in: rig.folder, server: rig.server)
        let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(
            of: "letters = \"cups\"", with: "letters = \"cups\"\nthermal = \"127.0.0.1:\(thermal.port)\"")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try await Self.addOperator(to: config)
        let output = try await Self.run(
            Self.openMaintenance + """

                press Uji Cetak
                see Uji cetak: surat tercetak, struk gagal (kertas habis)
                press Keluar
                await idle
                """, config: config, folder: rig.folder)
        #expect(output.contains("test print finished"), "\(output)")
        let kept = try rig.keptDocuments()
        #expect(kept.count == 1, "one test page reached the printer")
        let page = try await Services.run("/usr/bin/pdftotext", [try #require(kept.first), "-"]).output
        #expect(page.contains("SURAT UJI CETAK") && page.contains("UJI/001-K2/1809072001/"), "\(page)")
        #expect(await PrintRig.eventually { (try? rig.jobNames().count) == 1 })
        #expect(try rig.jobNames().allSatisfy { $0.hasPrefix("Surat UJI ") })
        // The slip never reached a printer without paper; the printer's state is kept for `kiosk status`.
        #expect(!FileManager.default.fileExists(atPath: thermal.folder + "/job-1.txt"))
        let status = try await Services.run(Self.kiosk, ["status", "--config", config]).output
        #expect(status.contains("thermal printer: out of paper"), "\(status)")
        // Nothing was recorded: a test print is no service.
        #expect(status.contains("queue:           0 record(s)"), "\(status)")
    }

    /// An RT post with an operator card, whose thermal printer (its letter printer) is out of paper.
    static func rtPostWithoutPaper() async throws -> (ThermalPrinterTests.VirtualPrinter, String) {
        let thermal = try ThermalPrinterTests.VirtualPrinter(["--paper", "out", "--control-port", "0"])
        let config = try ThermalPrinterTests.rtPostConfig(thermal)
        try await Self.addOperator(to: config)
        return (thermal, config)
    }

    static let residentPrintsASlip = """
        tap 04A21B6C9E4F80
        press Surat Keterangan Domisili
        press Melamar pekerjaan
        await confirm
        press Cetak
        """

    @Test func kertasSudahDiisiClearsThePaperErrorOnlyOnceThePrinterSaysItIsReady() async throws {
        // An RT post: its letters are pengantar slips on the thermal printer, which has run out of paper.
        let (thermal, config) = try await Self.rtPostWithoutPaper()
        let resident = Self.residentPrintsASlip
        // The resident's slip fails; the operator says the paper is in, but the printer still reports none.
        _ = try await Self.run(
            "await idle\n" + resident + """

                await error-printer-paper-out
                remove
                """ + "\n" + Self.openMaintenance.replacingOccurrences(of: "await idle\n", with: "") + """

                    see Printer: kertas habis
                    press Kertas Sudah Diisi
                    see Printer masih melaporkan: kertas habis.
                    press Keluar
                    await error-printer-paper-out
                    """, config: config, folder: thermal.folder)

        // A new roll, and the kiosk restarts (a power cut): it still knows about the paper until the operator says
        // so and the printer agrees; then the resident's slip prints.
        #expect(try thermal.control("paper ok").hasPrefix("ok paper=ok"))
        _ = try await Self.run(
            Self.openMaintenance.replacingOccurrences(of: "await idle", with: "await error-printer-paper-out") + """

                see Printer: kertas habis
                press Kertas Sudah Diisi
                see Printer siap: layanan dapat dilanjutkan.
                see Printer: siap
                press Keluar
                await idle
                """ + "\n" + resident + "\nawait done\n", config: config, folder: thermal.folder)
        let slip = try #require(await thermal.transcript())
        #expect(slip.contains("S-41/002-K2/1809072001/"), "the second number: the first slip's record stays \(slip)")
        let status = try await Services.run(Self.kiosk, ["status", "--config", config]).output
        #expect(status.contains("printer:         ready"), "\(status)")
    }

    @Test func kertasSudahDiisiOnAPrinterThatCannotReportItsStatusClearsAfterATestSlipGoesThrough() async throws {
        // An RT post whose slip failed for want of paper; the new roll goes into a printer that then never answers
        // DLE EOT (firmware without status, or a status line that died). Its silence must not keep the kiosk shut.
        let (thermal, config) = try await Self.rtPostWithoutPaper()
        let resident = Self.residentPrintsASlip
        _ = try await Self.run(
            "await idle\n" + resident + "\nawait error-printer-paper-out\nremove\n", config: config,
            folder: thermal.folder)
        #expect(try thermal.control("paper ok").hasPrefix("ok paper=ok"))
        #expect(try thermal.control("silent on").contains("silent=on"))
        // After a restart the kiosk still knows about the paper; the printer cannot say, so a test slip is sent,
        // and the screen says the kiosk went by it.
        let output = try await Self.run(
            Self.openMaintenance.replacingOccurrences(of: "await idle", with: "await error-printer-paper-out") + """

                see Printer: kertas habis
                press Kertas Sudah Diisi
                see Status printer tidak terbaca; uji cetak terkirim, layanan dilanjutkan.
                see Printer: siap
                press Keluar
                await idle
                """ + "\n" + resident + "\nawait done\n", config: config, folder: thermal.folder)
        #expect(output.contains("test print=printed"), "\(output)")
        let test = try #require(await thermal.transcript(1))
        #expect(test.contains("UJI/001-K2/1809072001/"), "the test slip came first: \(test)")
        let slip = try #require(await thermal.transcript(2))
        #expect(slip.contains("S-41/002-K2/1809072001/"), "then the resident's slip: \(slip)")
        let status = try await Services.run(Self.kiosk, ["status", "--config", config]).output
        #expect(status.contains("printer:         ready"), "\(status)")
    }

    @Test func hentikanLayananSurvivesARestartAndTheHeartbeatSaysWhoAndWhen() async throws {
        let setup = try ProvincialAPIIntegrationTests.Setup()
        try await setup.enroll()
        let rig = try await PrintRig(command: .accept)
        let config = try LetterPrintingIntegrationTests.config(in: rig.folder, server: rig.server)
        // The enrolled kiosk's state and API, with the rig's letters.
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "state_directory = \"\(rig.folder)/state\"", with: "state_directory = \"\(setup.folder)/state\"")
        text = text.replacingOccurrences(of: "id = \"TEST-HANURA-01\"", with: "id = \"HANURA-01\"")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try await Self.addOperator(to: config, extra: "[api]\nurl = \"\(setup.server.url)\"\n")
        let before = Date()

        _ = try await Self.run(
            Self.openMaintenance + """

                press Hentikan Layanan
                see Layanan: dihentikan
                press Keluar
                await error-out-of-service
                tap 04A21B6C9E4F80
                await error-out-of-service
                """, config: config, folder: rig.folder)
        // The heartbeat `kiosk upload` sends says it, with the card masked.
        #expect(try await Services.run(Self.kiosk, ["upload", "--config", config]).status == 0)
        let stopped = try await #require(try setup.applied().heartbeats["1809072001-01"])
        #expect(stopped.contains(#""service":{"#) && stopped.contains(#""status":"stopped""#), "\(stopped)")
        #expect(stopped.contains(#""changedBy":"****BEEF""#) && !stopped.contains("DEADBEEF"), "\(stopped)")
        let lines = try await Services.run(
            Services.kioskSim, ["api", "records", "--state", setup.folder + "/api"]
        ).output
        #expect(lines.contains("service stopped by ****BEEF at "), "\(lines)")
        let beat = try #require(try JSONSerialization.jsonObject(with: Data(stopped.utf8)) as? [String: Any])
        let changedAt = try #require((beat["service"] as? [String: Any])?["changedAt"] as? String)
        let at = try Date(changedAt, strategy: .iso8601)
        #expect(at >= before.addingTimeInterval(-1) && at <= Date(), "\(stopped)")

        // After a restart the kiosk is still closed to residents, until the operator opens it again.
        _ = try await Self.run(
            Self.openMaintenance.replacingOccurrences(of: "await idle", with: "await error-out-of-service") + """

                see Layanan: dihentikan
                press Buka Layanan
                see Layanan: berjalan
                press Keluar
                await idle
                tap 04A21B6C9E4F80
                await menu
                remove
                await idle
                """, config: config, folder: rig.folder)
        #expect(try await Services.run(Self.kiosk, ["upload", "--config", config]).status == 0)
        let open = try await #require(try setup.applied().heartbeats["1809072001-01"])
        #expect(open.contains(#""status":"open""#) && open.contains(#""changedBy":"****BEEF""#), "\(open)")
    }
}
