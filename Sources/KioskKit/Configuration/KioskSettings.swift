package import Core
package import Drivers
package import Foundation

/// Everything `kiosk.toml` configures, typed and validated. `ConfigurationLoader` makes it; nothing else reads TOML.
package struct KioskSettings: Sendable {
    /// This kiosk's name in the fleet (the province assigns it at enrollment).
    package var kioskID: String
    package var village: VillageCode
    var villageName: String
    /// Where the kiosk keeps its state (records, keys); systemd's `StateDirectory`.
    package var stateDirectory: String
    /// This kiosk's station among its village's kiosks; `nil` for a village's only kiosk.
    package var station: Int?
    package var policy: KioskPolicy
    package var display: DisplaySettings
    package var letterhead: Letterhead
    package var catalogue: LetterCatalogue
    /// Absolute path of the folder holding the letter templates.
    var templatesDirectory: String
    package var letters: LetterSettings
    package var registry: RegistrySettings
    /// Cards that open maintenance mode instead of a resident session.
    package var operatorCards: [CardUID]
    package var printing: PrintingSettings
    package var cardReader: CardReaderSettings
    /// The secure access module identity mode `chip` reads the e-KTP through.
    package var sam: SAMKind?
    package var records = RecordSettings()
    package var api = APISettings()
    package var input = InputSettings()
    package var speech = SpeechSettings()
    /// A demo or test kiosk (`[kiosk] demo = true`): it serves no real resident, so it may read chips through the
    /// simulated SAM.
    package var demo = false
}

package struct RecordSettings: Sendable, Equatable {
    /// Days an acknowledged record stays on the kiosk (for the operator's day log) before it is purged.
    var retentionDays = 30
    /// Below this much free space on the state directory's disk, the kiosk refuses new services.
    package var minimumFreeMB = 200
}

/// The provincial API: where records, heartbeats and registry syncs go. No URL, no uploads: records wait.
package struct APISettings: Sendable, Equatable {
    package var url: URL?
    /// A PEM file of the CAs the server's certificate must chain to, instead of the system's: pins the province's
    /// own CA.
    package var trustAnchor: String?
    package var batchSize = 200
    var heartbeatInterval: Duration = .seconds(300)
    /// How often the registry pulls resident changes from the province.
    var registryInterval: Duration = .seconds(900)
    /// How often letters prepared elsewhere (and their collection at other kiosks) are pulled.
    var pickupInterval: Duration = .seconds(300)
    /// The longest wait between two upload attempts.
    var retryCap: Duration = .seconds(900)
}

package enum SAMKind: String, Sendable, CaseIterable {
    /// Passes commands through in the clear: only `kiosk-sim card --kind chip` answers it. Demo and test kiosks
    /// only (`[kiosk] demo = true`): it checks nothing, so any programmable card could name anyone.
    case simulated
}

package struct CardReaderSettings: Sendable, Equatable {
    package enum Backend: String, Sendable, CaseIterable {
        /// Readers through pcscd: every real reader, and the virtual one of the demo and tests (vpcd).
        case pcsc
        /// No reader: cards come only from a scripted session (`kiosk run --script`).
        case script
    }
    package var backend: Backend
    /// Use only readers whose name contains this (to leave out a SAM slot); `nil` for all.
    package var readerFilter: String?
    /// The evdev device of a keyboard-wedge reader, used beside `backend`; `nil` for none.
    package var wedgeDevice: String? = nil
    /// Grab the wedge reader (EVIOCGRAB), so the numbers it types never reach the console or a login prompt.
    package var wedgeGrab = true
}

package struct DisplaySettings: Sendable, Equatable {
    package enum Backend: String, Sendable, CaseIterable {
        /// Text boxes on the terminal: a technician over SSH, scripted tests. Never under journald (what residents
        /// see, names included, would go to the journal): `kiosk run` refuses it there.
        case terminal
        /// The panel through fbdev (`device`): the default.
        case framebuffer
        /// A framebuffer in memory of `pixels`, optionally saving each screen as PNG into `snapshots`: the demo,
        /// a headless kiosk.
        case virtual
    }
    package var backend: Backend
    /// The visible size as the resident sees it (rotation applied), for 20 mm touch targets. `nil` on a
    /// framebuffer whose driver reports its size (used then), else the 10.1-inch default.
    package var size: SizeMM
    /// Whether `width_mm`/`height_mm` were configured (a framebuffer's own size is used otherwise, if it has one).
    var sizeConfigured = false
    package var device = "/dev/fb0"
    var rotation: ScreenRotation = .none
    /// The override for drivers that report red and blue the wrong way round.
    var swapRedAndBlue = false
    /// The virtual backend's panel, in its native orientation.
    var pixelWidth = 1024
    var pixelHeight = 600
    /// The virtual backend saves each screen shown here as `NNN-<screen>.png` (demo and tests only: the PNGs
    /// show what the resident saw).
    var snapshots: String?
    /// One small animation step a second on the idle screen; off, an idle kiosk never wakes.
    var animatesIdle = true

}

/// The kop surat: who issues the letter.
package struct RegistrySettings: Sendable, Equatable {
    /// An OpenSID resident export (CSV) to serve residents from.
    package var openSIDExport: String?
    /// Also match card tags registered by readers that reverse the UID's bytes.
    var matchReversedUIDs: Bool
}

/// How letters are composed: the parsed templates by letter code, the paper, how the NIK is printed.
package struct LetterSettings: Sendable {
    package var templates: [String: LetterTemplate]
    package var paper: Paper
    var nikStyle: LetterFields.NIKStyle
    /// Where a letter's QR links to (`[letters] verify_url`).
    package var verifyURL = VerifyURL.automatic

    package enum VerifyURL: Sendable, Equatable {
        /// The verification page of the provincial API the kiosk talks to, if it talks to one.
        case automatic
        /// No link: the QR holds the bare payload (`verify_url = ""`).
        case off
        case url(String)
    }
}

package struct PrintingSettings: Sendable, Equatable {
    /// Where letters go: a CUPS queue, or PDF files in `letterOutput` (demo, a kiosk without a printer yet).
    package enum LetterDestination: String, Sendable, CaseIterable {
        case cups
        case file
        /// An RT post with only a receipt printer: the pengantar slip instead of an A4 letter.
        case thermal
    }

    /// A thermal printer and its profile: on TCP (`host:port`, port 9100 by default) or the kernel's usblp node.
    package struct Thermal: Sendable, Equatable, CustomStringConvertible {
        package enum Address: Sendable, Equatable {
            case tcp(host: String, port: Int)
            case device(String)
            /// libusb, by vendor and product id; `detach` takes the printer from usblp.
            case usb(vendor: UInt16, product: UInt16, detach: Bool)
        }

        package var address: Address
        package var profile: PrinterProfile

        package var description: String {
            switch address {
            case .tcp(let host, let port): "\(host):\(port)"
            case .device(let path): path
            case .usb(let vendor, let product, _):
                String(format: "usb:%04x:%04x", vendor, product)
            }
        }

        package func printer() -> any ThermalPrinter {
            switch address {
            case .tcp(let host, let port): NetworkThermalPrinter(host: host, port: port)
            case .device(let path): LinePrinterDevice(path: path)
            case .usb(let vendor, let product, let detach):
                USBThermalPrinter(vendor: vendor, product: product, detachKernelDriver: detach)
            }
        }
    }

    package var letters = LetterDestination.file
    package var cupsQueue = "kiosk-letters"
    /// `host:port` of the CUPS server; `nil` for libcups' default (the local cupsd, or `CUPS_SERVER`).
    package var cupsServer: String?
    /// Where the file destination leaves its PDFs, named by record id.
    package var letterOutput: String
    package var thermal: Thermal?
    /// Print a receipt slip on the thermal printer after each A4 letter.
    package var receipt = false
}
