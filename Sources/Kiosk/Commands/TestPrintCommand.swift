import ArgumentParser
import Core
import Drivers
import Foundation
import KioskKit
import Logging

/// `kiosk test-print`: a sample letter with the configured letterhead, through the configured printer, so a
/// technician sees paper, fonts, margins, logo and the QR before the first resident does.
struct TestPrintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-print",
        abstract: "Print a sample letter with the configured letterhead on the configured letter printer.")

    @Option(name: .long, help: "Also keep the PDF here.")
    var pdf: String?

    @Option(name: .long, help: "Also draw page 1 into this PNG (150 dpi).")
    var png: String?

    @Flag(name: .long, help: "Only write --pdf/--png; do not send the letter to the printer.")
    var noPrint = false

    @Flag(name: .long, help: "Print a sample slip on the configured thermal printer instead (its status first).")
    var thermal = false

    @Option(name: .long, help: "With --thermal: send exactly these bytes (hex, e.g. 1B40 for ESC @) as the job.")
    var raw: String?

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "With --thermal and a USB printer: say when it is plugged in or out, and send each line of standard input "
                + "(hex) as a job, waiting for the printer when it is unplugged; ends with the input."))
    var watch = false

    @OptionGroup var options: ConfigOption

    /// The sample as a pengantar slip, after the printer's status.
    func printSlip(_ request: LetterRequest, _ issued: IssuedLetter, setup: LetterSetup, composer: LetterComposer)
        async throws
    {
        guard let slips = setup.slips(renderer: composer.renderer), let address = setup.settings.printing.thermal else {
            printError("no thermal printer configured: add thermal = \"HOST:PORT\" to [printing]")
            throw ExitCode(1)
        }
        if watch {
            try await watchUSB(slips.printer, address: "\(address)")
            return
        }
        if let raw {
            guard let bytes = Self.hexBytes(raw) else {
                printError("--raw takes hexadecimal bytes, e.g. 1B40 0A")
                throw ExitCode.validationFailure
            }
            let outcome = await slips.printer.print(bytes)
            print("sent \(bytes.count) byte(s) to \(address): \(outcome.inWords)")
            if outcome != .printed { throw ExitCode(1) }
            return
        }
        do {
            if let status = try await slips.printer.status() {
                print(
                    "thermal printer \(address): \(status.problem?.inWords ?? "ready")"
                        + (status.paperNearEnd ? " (paper near end)" : ""))
            } else {
                print("thermal printer \(address): status unknown (it does not answer DLE EOT)")
            }
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let date = issued.recordID.timestamp.date()
        let outcome = await slips.print(
            .pengantar(
                request: request, number: issued.number, issuedOn: date, letterhead: setup.settings.letterhead,
                seal: try composer.qrText(request, issued)))
        guard outcome == .printed else {
            printError("slip \(outcome.inWords)")
            throw ExitCode(1)
        }
        print("printed: a sample pengantar slip (\(address.profile.name), \(address.profile.widthDots) dots)")
    }

    /// `--watch`: the USB printer's hotplug events and one job per input line, each outcome on its own line
    /// (`job N: printed`, `job N: failed(...)`, or the transport's reason), so a technician (or the umockdev
    /// plug/unplug test) can pull the cable and see the kiosk follow.
    func watchUSB(_ printer: any ThermalPrinter, address: String) async throws {
        // The transport itself: its `send` says why a job failed, which the recording wrapper folds away.
        guard let usb = ((printer as? RecordedThermalPrinter)?.printer ?? printer) as? USBThermalPrinter else {
            printError("--watch needs a USB printer: thermal = \"usb:VVVV:PPPP\" in [printing]")
            throw ExitCode.validationFailure
        }
        let events = Task {
            for await event in usb.watch() {
                Self.say("\(address) \(event)")
            }
        }
        defer { events.cancel() }
        Self.say("watching \(address)")
        // readLine blocks: it runs on a thread of its own, not the concurrency pool the events need.
        let (lines, input) = AsyncStream.makeStream(of: String.self)
        Thread {
            while let line = readLine() { input.yield(line) }
            input.finish()
        }.start()
        var number = 0
        var failed = false
        for await line in lines {
            guard let bytes = Self.hexBytes(line), !bytes.isEmpty else { continue }
            number += 1
            do {
                let outcome = try await usb.send(bytes).outcome
                Self.say("job \(number): \(outcome.inWords)")
                failed = failed || outcome != .printed
            } catch {
                Self.say("job \(number): failed: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// One line straight to standard output, unbuffered: a watcher reacts to each line as it comes. (Not
    /// `fflush(nil)`: it also locks stdin, which the reading thread holds while it waits.)
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.filter { !$0.isWhitespace })
        guard digits.count % 2 == 0 else { return nil }
        return try? stride(from: 0, to: digits.count, by: 2).map { i throws -> UInt8 in
            guard let byte = UInt8(String(digits[i...i + 1]), radix: 16) else { throw ExitCode.failure }
            return byte
        }
    }

    func run() async throws {
        var settings = try options.loadSettings()
        settings.letters.templates[TestPage.kind.code] = TestPage.body
        let database = try settings.openDatabase()
        let sync = try SyncSetup(settings: settings, database: database)
        let setup = LetterSetup(settings: settings, sync: sync, logger: Logger(label: "kiosk.test-print"))
        let composer: LetterComposer
        do {
            composer = try setup.composer()
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let (request, issued) = TestPage.request(settings: settings, at: .now())
        if thermal {
            try await printSlip(request, issued, setup: setup, composer: composer)
            return
        }
        let list = try composer.layout(request, issued)
        let bytes = try composer.renderer.pdf(list)
        if let pdf { try Data(bytes).write(to: URL(fileURLWithPath: pdf)) }
        if let png {
            try Data(try composer.renderer.png(list.pages[0], scale: 150.0 / 72)).write(to: URL(fileURLWithPath: png))
        }
        print(
            "composed: \(list.pages.count) page(s) on \(settings.letters.paper.rawValue), \(bytes.count) bytes of PDF")
        if noPrint { return }
        let outcome = await setup.output().deliver(
            pdf: bytes, title: PDFLetterPrinter.jobTitle(TestPage.kind, issued), progress: { _ in })
        switch outcome {
        case .printed:
            print("printed: \(setup.destinationDescription)")
        case .failed(let problem):
            printError("\(setup.destinationDescription): not printed, \(problem.inWords)")
            throw ExitCode(1)
        case .pending:
            print("sent: \(setup.destinationDescription)")
        }
    }
}
