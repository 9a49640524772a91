import Core
import Drivers
import Foundation
import TOMLKit

/// Turns `kiosk.toml` into `KioskSettings`, or into a `ConfigurationError` listing every problem.
package enum ConfigurationLoader {
    package static let defaultPath = "/etc/kiosk/kiosk.toml"

    package static func load(path: String) throws(ConfigurationError) -> KioskSettings {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "cannot be read as UTF-8 text (check its permissions and encoding)"
                : "does not exist; copy config/kiosk.sample.toml there or pass --config PATH"
            throw ConfigurationError(file: path, problems: [.init(key: "", line: nil, message: "the file \(reason)")])
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(text, file: path, baseDirectory: directory.isEmpty ? "." : directory)
    }

    /// Relative paths in the file resolve against `baseDirectory`, the folder of the configuration file.
    package static func parse(_ text: String, file: String, baseDirectory: String) throws(ConfigurationError)
        -> KioskSettings
    {
        let table: TOMLTable
        do {
            table = try TOMLDocument.parse(text)
        } catch let error as TOMLDocument.Refused {
            throw ConfigurationError(
                file: file, problems: [.init(key: "", line: error.line, message: "not valid TOML: \(error.reason)")])
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                file: file,
                problems: [
                    .init(key: "", line: error.source.begin.line, message: "not valid TOML: \(error.description)")
                ])
        } catch {
            throw ConfigurationError(
                file: file, problems: [.init(key: "", line: nil, message: "not valid TOML: \(error)")])
        }
        let report = ProblemReport(text: text)
        let root = TOMLSection(table, path: "", report: report)
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
        }

        // [kiosk]
        let kiosk = root.section("kiosk")
        if kiosk == nil { report.add("kiosk", "missing; every kiosk needs a [kiosk] table with id and village_code") }
        let kioskID = kiosk?.requiredString("id", example: "LPG-PSW-HANURA-01")
        if let kioskID,
            !kioskID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) || kioskID.count > 40
        {
            kiosk?.problem("id", "found \"\(kioskID)\", expected up to 40 letters, digits and dashes")
        }
        var village: VillageCode?
        if let code = kiosk?.requiredString("village_code", example: "18.09.07.2001") {
            do throws(VillageCodeError) { village = try VillageCode(code) } catch {
                kiosk?.problem("village_code", "found \"\(code)\": \(error)")
            }
        }
        let villageName = kiosk?.requiredString("village_name", example: "Hanura")
        let stateDirectory = resolve(kiosk?.string("state_directory") ?? "/var/lib/kiosk")
        // Only in a village with several kiosks: each numbers its own sub-series (docs/LETTERS.md, "Numbering").
        let station = kiosk?.optionalInt("station", range: LetterNumber.stations)
        // A demo or test kiosk, which serves no real resident: only it may use the simulated SAM.
        let demo = kiosk?.bool("demo", default: false) ?? false
        kiosk?.rejectUnknownKeys()

        // [identity] and [session]
        var policy = KioskPolicy()
        if let identity = root.section("identity") {
            policy.identityMode = identity.choice("mode", default: policy.identityMode)
            policy.pinLength = identity.int("pin_length", default: policy.pinLength, range: 4...8)
            policy.pinAttempts = identity.int("pin_attempts", default: policy.pinAttempts, range: 1...10)
            // A floor: 0 would switch the lockout off, and a few seconds nearly so.
            let minimumLockout = Int(KioskPolicy.minimumLockout.components.seconds)
            policy.lockout = .seconds(
                identity.int("lockout_seconds", default: 300, range: minimumLockout...86_400))
            policy.pinHardLimit = identity.int("hard_lock_after", default: policy.pinHardLimit, range: 3...100)
            if policy.pinHardLimit < policy.pinAttempts {
                identity.problem(
                    "hard_lock_after",
                    "must be at least pin_attempts (\(policy.pinAttempts)): it counts every wrong PIN")
            }
            policy.supervised = identity.bool("supervised", default: false)
            if policy.identityMode == .cardOnly, !policy.supervised {
                identity.problem(
                    "mode",
                    "\"card\" serves whoever holds a registered card, without a PIN: only on a kiosk an operator "
                        + "watches; say so with supervised = true, or use \"card-pin\"")
            }
            identity.rejectUnknownKeys()
        }
        if let session = root.section("session") {
            func seconds(_ key: String, _ fallback: Duration, _ range: ClosedRange<Int>) -> Duration {
                .seconds(session.int(key, default: Int(fallback.components.seconds), range: range))
            }
            policy.inactivityTimeout = seconds("inactivity_seconds", policy.inactivityTimeout, 15...600)
            policy.timeoutWarning = seconds("warning_seconds", policy.timeoutWarning, 5...120)
            policy.cardReadTimeout = seconds("card_read_seconds", policy.cardReadTimeout, 1...60)
            policy.printTimeout = seconds("print_seconds", policy.printTimeout, 10...900)
            policy.doneDisplay = seconds("done_seconds", policy.doneDisplay, 2...120)
            policy.errorDisplay = seconds("error_seconds", policy.errorDisplay, 2...120)
            policy.maintenanceTimeout = seconds("maintenance_seconds", policy.maintenanceTimeout, 30...3600)
            // Replaced by [speech] enabled. `false` (what the old sample said) changes nothing and still loads, so
            // an upgraded kiosk starts; `true` asked for speech, which now needs the [speech] table.
            if session.bool("spoken_prompts", default: false) {
                session.problem(
                    "spoken_prompts",
                    "replaced by the [speech] table: remove this line and add [speech] with enabled = true")
            }
            if policy.timeoutWarning >= policy.inactivityTimeout {
                session.problem(
                    "warning_seconds",
                    "must be shorter than inactivity_seconds, or the warning comes before the resident starts")
            }
            session.rejectUnknownKeys()
        }

        // [display]
        // The panel by default: the terminal backend prints what residents see, names included, on standard output.
        var display = DisplaySettings(backend: .framebuffer, size: SizeMM(width: 222, height: 125))
        if let section = root.section("display") {
            display.backend = section.choice("backend", default: display.backend)
            display.sizeConfigured = section.has("width_mm") || section.has("height_mm")
            display.size.width = section.number("width_mm", default: display.size.width, range: 50...2000)
            display.size.height = section.number("height_mm", default: display.size.height, range: 50...2000)
            display.device = section.string("device") ?? display.device
            let degrees = section.int("rotation", default: 0, range: 0...270)
            if let rotation = ScreenRotation(rawValue: degrees) {
                display.rotation = rotation
            } else {
                section.problem("rotation", "must be 0, 90, 180 or 270 (degrees clockwise), not \(degrees)")
            }
            display.swapRedAndBlue = section.bool("swap_red_blue", default: false)
            if let pixels = section.string("pixels") {
                let parts = pixels.lowercased().split(separator: "x").compactMap { Int($0) }
                if parts.count == 2, (64...8192).contains(parts[0]), (64...8192).contains(parts[1]) {
                    (display.pixelWidth, display.pixelHeight) = (parts[0], parts[1])
                } else {
                    section.problem("pixels", "must be WIDTHxHEIGHT in pixels, e.g. \"1024x600\"")
                }
            }
            display.snapshots = section.string("snapshots").map(resolve)
            display.animatesIdle = section.bool("animate_idle", default: true)
            section.rejectUnknownKeys()
        }
        do throws(LayoutError) {
            let layout = try ScreenLayout(size: display.size)
            policy.menuPageSize = max(1, layout.choiceCapacity())
        } catch {
            report.add("display.width_mm", "\(error)")
        }

        // [letterhead]
        let head = root.section("letterhead")
        if head == nil {
            report.add("letterhead", "missing; letters need a [letterhead] with regency, district, village, address")
        }
        let logo = head?.string("logo").map(resolve)
        if let logo {
            // cairo reads PNG only: a JPEG logo would fail on the first letter, so it fails here.
            let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            if !FileManager.default.fileExists(atPath: logo) {
                head?.problem("logo", "the image \(logo) does not exist; fix the path or remove the key")
            } else if FileManager.default.contents(atPath: logo).map({ Array($0.prefix(8)) }) != signature {
                head?.problem("logo", "\(logo) is not a PNG image; convert it (convert logo.jpg logo.png)")
            }
        }
        let letterhead = Letterhead(
            regency: head?.requiredString("regency", example: "Pesawaran") ?? "",
            district: head?.requiredString("district", example: "Gedong Tataan") ?? "",
            village: head?.requiredString("village", example: "Hanura") ?? "",
            address: head?.requiredString("address", example: "Jl. Raya Hanura No. 1") ?? "",
            logo: logo, signerTitle: head?.string("signer_title"), signerName: head?.string("signer_name"))
        head?.rejectUnknownKeys()

        // [letters] and [[letter]]
        let letters = root.section("letters")
        let templatesDirectory = resolve(letters?.string("templates") ?? "/usr/share/kiosk/templates")
        let paper = letters?.choice("paper", default: Paper.f4) ?? .f4
        let nikStyle = letters?.choice("nik", default: LetterFields.NIKStyle.full) ?? .full
        var verifyURL = LetterSettings.VerifyURL.automatic
        if let url = letters?.string("verify_url") {
            if url.isEmpty {
                verifyURL = .off
            } else if let problem = Self.verifyURLProblem(url) {
                letters?.problem("verify_url", problem)
            } else {
                verifyURL = .url(url)
            }
        }
        letters?.rejectUnknownKeys()
        var kinds = LetterCatalogue.openSIDSelfService.kinds
        if let entries = root.sections("letter") {
            kinds = entries.compactMap(letterKind)
        }
        var catalogue = LetterCatalogue.openSIDSelfService
        do throws(LetterCatalogueError) {
            catalogue = try LetterCatalogue(kinds)
        } catch {
            report.add("letter", "\(error)")
        }
        if catalogue.selfService.isEmpty {
            report.add("letter", "no letter has self_service = true; residents would find an empty menu")
        }
        // Every template is parsed and checked now, so a typo is found at start and not on a resident's letter.
        var templates: [String: LetterTemplate] = [:]
        for (index, kind) in catalogue.kinds.enumerated() {
            let path = (templatesDirectory as NSString).appendingPathComponent(kind.template)
            let key = root.table["letter"] == nil ? "letters.templates" : "letter[\(index)].template"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                report.add(key, "letter \(kind.code): template \(path) does not exist or cannot be read")
                continue
            }
            do throws(LetterTemplateError) {
                templates[kind.code] = try LetterTemplate(text)
            } catch {
                report.add(key, "letter \(kind.code): template \(path): \(error)")
            }
        }

        // [registry] and [operators]
        var registry = RegistrySettings(openSIDExport: nil, matchReversedUIDs: true)
        if let section = root.section("registry") {
            registry.openSIDExport = section.string("opensid_export").map(resolve)
            registry.matchReversedUIDs = section.bool("match_reversed_uids", default: true)
            if let export = registry.openSIDExport, !FileManager.default.isReadableFile(atPath: export) {
                section.problem("opensid_export", "the file \(export) does not exist or cannot be read")
            }
            section.rejectUnknownKeys()
        }
        var operatorCards: [CardUID] = []
        if let section = root.section("operators") {
            for (index, hex) in (section.strings("cards") ?? []).enumerated() {
                do throws(CardUIDError) { operatorCards.append(try CardUID(hex: hex)) } catch {
                    section.problem("cards[\(index)]", "found \"\(hex)\": \(error)")
                }
            }
            section.rejectUnknownKeys()
        }

        // [printing]
        var printing = PrintingSettings(letterOutput: (stateDirectory as NSString).appendingPathComponent("printed"))
        if let section = root.section("printing") {
            printing.letters = section.choice("letters", default: printing.letters)
            printing.cupsQueue = section.string("cups_queue") ?? printing.cupsQueue
            printing.cupsServer = section.string("cups_server")
            printing.letterOutput = section.string("letter_output").map(resolve) ?? printing.letterOutput
            if let address = section.string("thermal") {
                let profileName = section.string("thermal_profile") ?? "pos80"
                let parts = address.split(separator: ":")
                let port = parts.count == 2 ? Int(parts[1]) : parts.count == 1 ? 9100 : nil
                let usb =
                    address.hasPrefix("usb:")
                    ? address.dropFirst(4).split(separator: ":").compactMap { UInt16($0, radix: 16) } : []
                let detach = section.bool("thermal_detach_kernel_driver", default: true)
                let parsed: PrintingSettings.Thermal.Address? =
                    address.hasPrefix("usb:")
                    ? (usb.count == 2 ? .usb(vendor: usb[0], product: usb[1], detach: detach) : nil)
                    : address.hasPrefix("/dev/")
                        ? .device(address)
                        : parts.isEmpty || port == nil || !(1...65535).contains(port ?? 0)
                            ? nil : .tcp(host: String(parts[0]), port: port!)
                if parsed == nil {
                    section.problem(
                        "thermal",
                        "found \"\(address)\", expected HOST[:PORT] (e.g. 192.168.1.50:9100), a device (/dev/usb/lp0) "
                            + "or usb:VENDOR:PRODUCT in hex (usb:0416:5011, as lsusb shows it)")
                } else if var profile = PrinterProfile.builtIn[profileName], let parsed {
                    // A printer no built-in profile fits: the nearest one, corrected key by key.
                    if let width = section.optionalInt("thermal_width_dots", range: 128...1024) {
                        profile.widthDots = width
                        profile.columns = width / 12
                    }
                    profile.columns = section.optionalInt("thermal_columns", range: 16...80) ?? profile.columns
                    profile.cutter = section.choice("thermal_cutter", default: profile.cutter)
                    profile.nativeQR = section.bool("thermal_native_qr", default: profile.nativeQR)
                    profile.cancelsKanji = section.bool("thermal_cancel_kanji", default: profile.cancelsKanji)
                    printing.thermal = .init(address: parsed, profile: profile)
                } else {
                    section.problem(
                        "thermal_profile",
                        "found \"\(profileName)\", expected one of \(PrinterProfile.builtIn.keys.sorted().joined(separator: ", "))"
                    )
                }
            }
            printing.receipt = section.bool("receipt", default: false)
            if printing.thermal == nil, printing.letters == .thermal || printing.receipt {
                section.problem(
                    printing.receipt ? "receipt" : "letters", "needs a thermal printer: add thermal = \"HOST:PORT\"")
            }
            section.rejectUnknownKeys()
        }

        // [card_reader]
        var cardReader = CardReaderSettings(backend: .pcsc, readerFilter: nil)
        if let section = root.section("card_reader") {
            cardReader.backend = section.choice("backend", default: cardReader.backend)
            cardReader.readerFilter = section.string("reader")
            cardReader.wedgeDevice = section.string("wedge")
            cardReader.wedgeGrab = section.bool("wedge_grab", default: cardReader.wedgeGrab)
            if let wedge = cardReader.wedgeDevice, let problem = wedgeProblem(wedge) {
                section.problem("wedge", problem)
            }
            section.rejectUnknownKeys()
        }

        // [input]: touch panel, keypad and console (InputSettings.swift)
        let panel = display.backend == .framebuffer
        let input =
            root.section("input").map { InputSettings.parse($0, wedge: cardReader.wedgeDevice, panel: panel) }
            ?? InputSettings.defaults(panel: panel)

        // [sam]
        var sam: SAMKind?
        if let section = root.section("sam") {
            // No default: an empty [sam] must not quietly mean the simulated one.
            if section.has("kind") {
                sam = section.choice("kind", default: SAMKind.simulated)
            } else {
                section.problem("kind", "missing; the kind of SAM the chip is read through")
            }
            if sam == .simulated, !demo {
                section.problem(
                    "kind",
                    "\"simulated\" passes the chip's answers through unchecked, so any programmable card could name "
                        + "anyone: only a demo or test kiosk ([kiosk] demo = true) may use it; a kiosk serving "
                        + "residents needs a Dukcapil SAM (identity mode \"card-pin\" until then)")
            }
            section.rejectUnknownKeys()
        }
        if policy.identityMode == .chip {
            if sam == nil {
                report.add(
                    "identity.mode",
                    "\"chip\" reads the e-KTP through a Dukcapil SAM, and none is configured: use \"card-pin\"")
            }
            if cardReader.backend != .pcsc {
                report.add("card_reader.backend", "identity mode \"chip\" reads the card itself: it needs \"pcsc\"")
            }
            if cardReader.wedgeDevice != nil {
                report.add(
                    "card_reader.wedge",
                    "identity mode \"chip\" reads the card's chip; a wedge reader only types its number: remove wedge")
            }
        }

        // [records]
        var records = RecordSettings()
        if let section = root.section("records") {
            records.retentionDays = section.int("retention_days", default: records.retentionDays, range: 0...3650)
            records.minimumFreeMB = section.int("min_free_mb", default: records.minimumFreeMB, range: 1...1_000_000)
            section.rejectUnknownKeys()
        }

        // [api]
        var api = APISettings()
        if let section = root.section("api") {
            api.trustAnchor = section.string("trust_anchor").map(resolve)
            if let anchor = api.trustAnchor, !FileManager.default.isReadableFile(atPath: anchor) {
                section.problem("trust_anchor", "the file \(anchor) does not exist or cannot be read (a PEM CA file)")
            }
            if let url = section.string("url") {
                if let parsed = URL(string: url), APIAddress.problem(parsed, trustAnchor: api.trustAnchor) == nil {
                    api.url = parsed
                } else {
                    let why = URL(string: url).flatMap { APIAddress.problem($0, trustAnchor: api.trustAnchor) }
                    section.problem("url", "found \"\(url)\": " + (why ?? "expected https://host[:port]"))
                }
            }
            api.batchSize = section.int("batch_size", default: api.batchSize, range: 1...500)
            api.heartbeatInterval = .seconds(
                section.int("heartbeat_seconds", default: 300, range: 10...86_400))
            api.registryInterval = .seconds(
                section.int("registry_sync_seconds", default: 900, range: 10...604_800))
            api.pickupInterval = .seconds(
                section.int("pickup_sync_seconds", default: 300, range: 10...86_400))
            api.retryCap = .seconds(section.int("retry_cap_seconds", default: 900, range: 1...86_400))
            section.rejectUnknownKeys()
        }

        // [speech]
        let speech = root.section("speech").map { SpeechSettings.parse($0, resolve: resolve) } ?? SpeechSettings()
        policy.spokenPrompts = speech.enabled
        policy.lettersOnPaper = printing.letters != .file
        if let survey = root.section("survey") {
            policy.survey = survey.bool("enabled", default: false)
            policy.surveyTimeout = .seconds(survey.int("timeout_seconds", default: 20, range: 5...120))
            survey.rejectUnknownKeys()
        }
        if let queue = root.section("queue") {
            (policy.queueServices, policy.queueWithoutCard) = Self.queue(queue, thermal: printing.thermal != nil)
        }

        root.rejectUnknownKeys()
        guard report.problems.isEmpty, let kioskID, let village, let villageName else {
            throw ConfigurationError(file: file, problems: report.problems)
        }
        return KioskSettings(
            kioskID: kioskID, village: village, villageName: villageName, stateDirectory: stateDirectory,
            station: station, policy: policy, display: display, letterhead: letterhead, catalogue: catalogue,
            templatesDirectory: templatesDirectory,
            letters: LetterSettings(templates: templates, paper: paper, nikStyle: nikStyle, verifyURL: verifyURL),
            registry: registry,
            operatorCards: operatorCards,
            printing: printing, cardReader: cardReader, sam: sam, records: records, api: api, input: input,
            speech: speech, demo: demo)
    }

    /// Why `url` cannot be the verification page letters link to, if it cannot: an http(s) address with a host, no
    /// fragment (a browser never sends it), and only characters a QR scanner passes on unchanged.
    static func verifyURLProblem(_ url: String) -> String? {
        let expected =
            "expected the province's verification page, e.g. https://api.smartvillage.lampungprov.go.id/surat"
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
            parsed.host != nil, parsed.fragment == nil, !url.contains(" ")
        else {
            return "found \"\(url)\", \(expected) (or \"\" for a QR without a link)"
        }
        if url.utf8.count > 200 {
            return "is \(url.utf8.count) characters long; a longer link makes the QR denser: keep it under 200"
        }
        return nil
    }

    /// Why `path` cannot be a wedge reader's device, if it cannot. It must be an evdev node under /dev/input;
    /// the by-id link is the one to use, as it keeps its name when the reader moves to another USB port and eventN
    /// does not. Whether it exists is not checked: an unplugged reader is waited for.
    static func wedgeProblem(_ path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        guard path.hasPrefix("/dev/input/"), name.hasPrefix("event") || name.contains("-event-") else {
            return "found \"\(path)\", expected an evdev device such as /dev/input/by-id/usb-...-event-kbd "
                + "(`ls -l /dev/input/by-id` lists them)"
        }
        return nil
    }

    /// One `[[letter]]` entry.
    private static func letterKind(_ section: TOMLSection) -> LetterKind? {
        let code = section.requiredString("code", example: "S-41")
        if let code, code.contains("/") || code.contains(":") {
            section.problem(
                "code",
                "found \"\(code)\"; a letter code cannot contain \"/\" or \":\", they separate the parts of the "
                    + "number and of the letter's QR")
        }
        let title = section.requiredString("title", example: "Surat Keterangan Domisili")
        let classification = section.requiredString("classification", example: "470")
        let template = section.requiredString("template", example: "s-41.mustache")
        let selfService = section.bool("self_service", default: true)
        let validity = section.int("validity_days", default: 30, range: 1...3650)
        let mode = section.choice("issue", default: LetterKind.IssueMode.draft)
        let purposes = section.strings("purposes") ?? ["Lainnya"]
        if purposes.isEmpty { section.problem("purposes", "is empty; list at least one purpose, e.g. [\"Lainnya\"]") }
        section.rejectUnknownKeys()
        guard let code, let title, let classification, let template, !purposes.isEmpty, !code.contains("/"),
            !code.contains(":")
        else {
            return nil
        }
        return LetterKind(
            code: code, title: title, classification: classification, selfService: selfService,
            validityDays: validity, issueMode: mode, template: template, purposes: purposes)
    }
}
