import Core
import Drivers
import Logging

/// Builds the letter printer the configuration asks for: shared by `kiosk run` and `kiosk test-print`.
struct LetterSetup {
    let settings: KioskSettings
    let sync: SyncSetup
    let logger: Logger

    /// The renderer checks its fonts here, so a kiosk without them stops at start with the package to install.
    func composer() throws -> LetterComposer {
        LetterComposer(
            letterhead: settings.letterhead, letters: settings.letters, renderer: try Renderer(),
            signer: LetterSigner(kioskID: sync.kioskID, key: sync.deviceKey.privateKey))
    }

    func output() -> any LetterOutput {
        switch settings.printing.letters {
        case .file: PDFFolderOutput(directory: settings.printing.letterOutput)
        case .cups:
            CUPSOutput(
                printer: CUPSPrinter(
                    queue: settings.printing.cupsQueue, server: settings.printing.cupsServer,
                    jobTimeout: settings.policy.printTimeout))
        }
    }

    /// Where letters go, for a technician.
    var destinationDescription: String {
        switch settings.printing.letters {
        case .file: "PDF files in \(settings.printing.letterOutput)"
        case .cups: "CUPS queue \(settings.printing.cupsQueue) on \(settings.printing.cupsServer ?? "the local cupsd")"
        }
    }

    func printer() throws -> PDFLetterPrinter {
        PDFLetterPrinter(composer: try composer(), output: output(), logger: logger)
    }
}
