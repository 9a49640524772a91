import Core
import Drivers
import Foundation
import TestSupport
import Testing

/// `kiosk run` printing a resident's letter through a real cupsd to ippeveprinter (`PrintRig`): the letter that
/// comes out, and a jam or an empty tray reaching the resident as its screen with the record left unprinted.
@Suite("Letters through cupsd, end to end", .serialized)
struct LetterPrintingIntegrationTests {
    static let kiosk = Services.binaries + "/kiosk"

    /// A kiosk that prints to the rig's queue; I KETUT WIRAWAN's card is 04A21B6C9E4F80.
    static func config(in folder: String, server: String) throws -> String {
        let path = folder + "/kiosk.toml"
        try """
        [kiosk]
        id = "TEST-HANURA-01"
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
        letters = "cups"
        cups_server = "\(server)"
        cups_queue = "\(PrintRig.queue)"

        [display]
        backend = "terminal"

        [card_reader]
        backend = "script"

        \(KioskTOML.domicileLetter)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func session(ending: String) -> String {
        """
        await idle
        tap 04A21B6C9E4F80
        press Surat Keterangan Domisili
        press Melamar pekerjaan
        await confirm
        press Cetak
        \(ending)
        """
    }

    /// Runs `kiosk run --script` against the rig; returns its output and what `kiosk status` says afterwards.
    static func run(_ script: String, rig: PrintRig) async throws -> (output: String, status: String) {
        let config = try config(in: rig.folder, server: rig.server)
        let scriptFile = rig.folder + "/session.txt"
        try script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
        let (code, output) = try await Services.run(
            kiosk, ["run", "--config", config, "--script", scriptFile, "--await-seconds", "60"])
        #expect(code == 0, "\(output)")
        let status = try await Services.run(kiosk, ["status", "--config", config]).output
        return (output, status)
    }

    @Test func aResidentsLetterComesOutOfThePrinterWithItsNumberAndLetterhead() async throws {
        let rig = try await PrintRig(command: .accept)
        let (output, status) = try await Self.run(Self.session(ending: "await done"), rig: rig)
        #expect(output.contains("screen screen=done"), "\(output)")
        #expect(status.contains("printer:         ready"), "\(status)")
        let kept = try rig.keptDocuments()
        #expect(kept.count == 1)
        let text = try await Services.run("/usr/bin/pdftotext", [try #require(kept.first), "-"]).output
        for expected in [
            "PEMERINTAH KABUPATEN PESAWARAN", "SURAT KETERANGAN DOMISILI", "S-41/001-K2/1809072001/",
            "I KETUT WIRAWAN", "1809072107790013",
        ] {
            #expect(text.contains(expected), "the printed letter lacks \(expected)")
        }
        // What cupsd logs and the printer may print on a banner: the letter code and the record id only.
        // cupsd calls the job completed once the printer has the document; its print command may run a moment later.
        #expect(await PrintRig.eventually { (try? rig.jobNames().count) == 1 })
        let names = try rig.jobNames()
        #expect(names.allSatisfy { $0.hasPrefix("Surat S-41 ") && !$0.contains("KETUT") && !$0.contains("1809072107") })
    }

    @Test(arguments: [(PrintRig.Command.jam, PrinterProblem.paperJam), (.paperOut, .paperOut)])
    func aPrinterThatStopsShowsTheResidentItsScreenAndTheRecordStaysUnprinted(
        command: PrintRig.Command, problem: PrinterProblem
    ) async throws {
        let rig = try await PrintRig(command: command)
        defer { try? rig.release() }
        let (output, status) = try await Self.run(Self.session(ending: "await error-printer-\(problem.name)"), rig: rig)
        #expect(output.contains("screen screen=error-printer-\(problem.name)"), "\(output)")
        #expect(!output.contains("screen screen=done"))
        // The record is kept, marked with what happened, for the operator and the province.
        let words: [PrinterProblem: String] = [.paperOut: "out of paper", .paperJam: "paper jammed"]
        #expect(status.contains("printer:         \(words[problem] ?? "?")"), "\(status)")
        #expect(ThermalPrinterTests.speaksWords(status), "\(status)")
        #expect(status.contains("queue:           1 record(s)"), "\(status)")
    }
}
