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
        case .file, .thermal: PDFFolderOutput(directory: settings.printing.letterOutput)
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
        case .thermal: "pengantar slips on \(settings.printing.thermal.map(\.description) ?? "no printer")"
        }
    }

    /// The thermal printer's slips, when one is configured.
    func slips(renderer: Renderer) -> ThermalSlips? {
        settings.printing.thermal.map {
            ThermalSlips($0, renderer: renderer, state: DeviceState(database: sync.database))
        }
    }

    /// The resident's printer: the A4 letter (with a receipt slip if configured), or the pengantar slip.
    func printer() throws -> any LetterPrinter {
        let composer = try composer()
        let slips = slips(renderer: composer.renderer)
        if settings.printing.letters == .thermal, let slips {
            return PengantarPrinter(composer: composer, slips: slips)
        }
        let letter = PDFLetterPrinter(composer: composer, output: output(), logger: logger)
        if settings.printing.receipt, let slips {
            return LetterWithReceipt(letter: letter, slips: slips, village: settings.letterhead.village, logger: logger)
        }
        return letter
    }
}
