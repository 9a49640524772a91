package import Core
import Drivers
import Foundation
package import Logging

/// What the maintenance screen's printer buttons do: "Uji Cetak" and "Kertas Sudah Diisi".
package protocol PrinterMaintenance: Sendable {
    /// Prints the test page on the letter printer and a test slip on the thermal printer, where the kiosk has them.
    func testPrint() async -> TestPrintResult
    /// Asks the printers the residents' letters need for their status: the problem one still reports, `nil` when
    /// every one says it is ready. A printer that cannot say counts as a problem (`unknown`), never as ready.
    func check() async -> PrinterProblem?
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
        let (request, issued) = TestPage.request(settings: settings, at: .now())
        var result = TestPrintResult(letter: nil, slip: nil)
        if let letters {
            do {
                let pdf = try composer.pdf(request, issued)
                result.letter = await letters.deliver(
                    pdf: pdf, title: PDFLetterPrinter.jobTitle(TestPage.kind, issued), progress: { _ in })
            } catch {
                logger.error("test page not composed", metadata: ["error": "\(error)"])
                result.letter = .failed(.unknown)
            }
        }
        if let slips {
            do {
                result.slip = await slips.print(
                    .pengantar(
                        request: request, number: issued.number, issuedOn: issued.recordID.timestamp.date(),
                        letterhead: settings.letterhead, seal: try composer.qrText(request, issued)))
            } catch {
                logger.error("test slip not composed", metadata: ["error": "\(error)"])
                result.slip = .failed(.unknown)
            }
        }
        return result
    }

    package func check() async -> PrinterProblem? {
        var problem: PrinterProblem?
        if let queue {
            do {
                problem = try await queue.status().problem
            } catch {
                problem = error.problem
            }
        }
        // The thermal printer matters when it prints the letters (pengantar) or their receipts.
        if problem == nil, let slips, letters == nil || settings.printing.receipt {
            do {
                problem = try await slips.printer.status().map { $0.problem } ?? .unknown
            } catch {
                problem = .offline
            }
        }
        // The letter printer's stored status is what a restart brings back and the heartbeat reports.
        try? state.set([.printerStatus: problem?.rawValue ?? "ready"])
        return problem
    }
}
