package import Core
import Drivers
import Foundation
package import Logging

/// What the maintenance screen's printer buttons do: "Uji Cetak" and "Kertas Sudah Diisi".
package protocol PrinterMaintenance: Sendable {
    /// Prints the test page on the letter printer and a test slip on the thermal printer, where the kiosk has them.
    func testPrint() async -> TestPrintResult
    /// Asks the printers the residents' letters need for their status: the problem one still reports, or `ready`
    /// when every one says it is ready. A printer that cannot say is never taken as ready on its silence: it gets
    /// a test print (the test page or slip), and only one that printed clears the problem.
    func check() async -> PrinterCheck
}

/// The configured printers: the letter output (CUPS or the letters folder) unless letters are pengantar slips, and
/// the thermal printer if there is one.
package struct KioskPrinterMaintenance: PrinterMaintenance {
    let settings: KioskSettings
    let composer: LetterComposer
    /// `nil` when letters are pengantar slips: the thermal printer is the letter printer then.
    let letters: (any LetterOutput)?
    /// The CUPS queue to ask for its status; `nil` for the letters folder, which has none to give.
    let queue: CUPSPrinter?
    let slips: ThermalSlips?
    let state: DeviceState
    let logger: Logger

    /// The printers `setup` configures, with the test page's template added to its letters.
    package init(setup: LetterSetup, logger: Logger) throws {
        var settings = setup.settings
        settings.letters.templates[TestPage.kind.code] = TestPage.body
        let withTestPage = LetterSetup(settings: settings, sync: setup.sync, logger: logger)
        self.settings = settings
        composer = try withTestPage.composer()
        letters = settings.printing.letters == .thermal ? nil : withTestPage.output()
        queue =
            settings.printing.letters == .cups
            ? CUPSPrinter(
                queue: settings.printing.cupsQueue, server: settings.printing.cupsServer,
                jobTimeout: settings.policy.printTimeout) : nil
        slips = withTestPage.slips(renderer: composer.renderer)
        state = DeviceState(database: setup.sync.database)
        self.logger = logger
    }

    package func testPrint() async -> TestPrintResult {
        let test = TestPage.request(settings: settings, at: .now())
        return TestPrintResult(
            letter: letters == nil ? nil : await testPage(test), slip: slips == nil ? nil : await testSlip(test))
    }

    /// The test page on the letter output.
    private func testPage(_ test: (LetterRequest, IssuedLetter)) async -> PrintOutcome {
        guard let letters else { return .failed(.unknown) }
        do {
            let pdf = try composer.pdf(test.0, test.1)
            return await letters.deliver(
                pdf: pdf, title: PDFLetterPrinter.jobTitle(TestPage.kind, test.1), progress: { _ in })
        } catch {
            logger.error("test page not composed", metadata: ["error": "\(error)"])
            return .failed(.unknown)
        }
    }

    /// The test slip on the thermal printer.
    private func testSlip(_ test: (LetterRequest, IssuedLetter)) async -> PrintOutcome {
        guard let slips else { return .failed(.unknown) }
        let (request, issued) = test
        do {
            return await slips.print(
                .pengantar(
                    request: request, number: issued.number, issuedOn: issued.recordID.timestamp.date(),
                    letterhead: settings.letterhead, seal: try composer.qrText(request, issued)))
        } catch {
            logger.error("test slip not composed", metadata: ["error": "\(error)"])
            return .failed(.unknown)
        }
    }

    package func check() async -> PrinterCheck {
        var check = PrinterCheck.ready
        if let queue {
            let problem: PrinterProblem?
            do {
                problem = try await queue.status().problem
            } catch {
                problem = error.problem
            }
            if problem == .unknown {
                check = .unreported(testPrint: await testPage(TestPage.request(settings: settings, at: .now())))
            } else if let problem {
                check = .problem(problem)
            }
        }
        // The thermal printer matters when it prints the letters (pengantar) or their receipts.
        if check.problem == nil, let slips, letters == nil || settings.printing.receipt {
            do {
                if let status = try await slips.printer.status() {
                    if let problem = status.problem { check = .problem(problem) }
                } else {
                    check = .unreported(testPrint: await testSlip(TestPage.request(settings: settings, at: .now())))
                }
            } catch {
                check = .problem(.offline)
            }
        }
        // The letter printer's stored status is what a restart brings back and the heartbeat reports.
        try? state.set([.printerStatus: check.problem?.rawValue ?? "ready"])
        return check
    }
}
