import Core
package import Drivers
package import Logging
import ProvincialAPI

/// Builds the letter printer the configuration asks for: shared by `kiosk run` and `kiosk test-print`.
package struct LetterSetup {
    package let settings: KioskSettings
    let sync: SyncSetup
    let logger: Logger

    /// The letter printer of `settings`, signing as `sync`'s kiosk.
    package init(settings: KioskSettings, sync: SyncSetup, logger: Logger) {
        self.settings = settings
        self.sync = sync
        self.logger = logger
    }

    /// The renderer checks its fonts here, so a kiosk without them stops at start with the package to install.
    package func composer() throws -> LetterComposer {
        LetterComposer(
            letterhead: settings.letterhead, letters: settings.letters, renderer: try Renderer(),
            signer: LetterSigner(kioskID: sync.kioskID, key: sync.deviceKey), verifyURL: verifyURL)
    }

    /// The verification page letters link to: `[letters] verify_url`, else the page of the provincial API the
    /// kiosk talks to (`[api] url` or the enrollment's); `nil` (the bare payload) without either, or with
    /// `verify_url = ""`.
    package var verifyURL: String? {
        switch settings.letters.verifyURL {
        case .off: return nil
        case .url(let url): return url
        case .automatic:
            guard let base = sync.apiURL?.absoluteString else { return nil }
            return (base.hasSuffix("/") ? String(base.dropLast()) : base) + Endpoint.letterPage
        }
    }

    package func output() -> any LetterOutput {
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
    package var destinationDescription: String {
        switch settings.printing.letters {
        case .file: "PDF files in \(settings.printing.letterOutput)"
        case .cups: "CUPS queue \(settings.printing.cupsQueue) on \(settings.printing.cupsServer ?? "the local cupsd")"
        case .thermal: "pengantar slips on \(settings.printing.thermal.map(\.description) ?? "no printer")"
        }
    }

    /// The thermal printer's slips, when one is configured.
    package func slips(renderer: Renderer) -> ThermalSlips? {
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
