import Core
import Drivers
import Foundation
import GRDB
import KioskKit

/// The technician's checks, each a verdict with what was found and, when not ok, how to fix it.
enum Doctor {
    struct Finding: Equatable {
        enum Verdict: String { case ok, warn, fail }
        var verdict: Verdict
        var check: String
        var detail: String
        var fix: String?
    }

    static func examine(configPath: String) -> [Finding] {
        let settings: KioskSettings
        do {
            settings = try ConfigurationLoader.load(path: configPath)
        } catch {
            return error.problems.map { problem in
                Finding(
                    verdict: .fail, check: "configuration",
                    detail: "\(configPath): \(problem)", fix: fixHint(for: problem))
            }
        }
        var findings = [
            Finding(
                verdict: .ok, check: "configuration",
                detail:
                    "\(configPath): kiosk \(settings.kioskID), village \(settings.village), \(settings.catalogue.selfService.count) self-service letters, identity mode \(settings.policy.identityMode.rawValue)"
            )
        ]
        findings.append(stateDirectory(settings.stateDirectory))
        findings += registry(settings)
        findings += records(settings)
        findings.append(fonts())
        findings.append(speech(settings.speech))
        findings.append(
            Finding(
                verdict: .ok, check: "display",
                detail:
                    "\(settings.display.backend.rawValue), \(settings.display.size), \(settings.policy.menuPageSize) letters per menu page"
            ))
        return findings
    }

    /// The letter fonts: without them the kiosk refuses to start rather than print in substitute metrics.
    static func fonts(_ fonts: Fonts = Fonts()) -> Finding {
        do throws(GraphicsError) {
            try fonts.verify()
            return Finding(
                verdict: .ok, check: "letter fonts", detail: "\(fonts.serif) and \(fonts.sans), regular and bold")
        } catch {
            guard case .fontMissing(_, let package) = error else {
                return Finding(verdict: .fail, check: "letter fonts", detail: "\(error)")
            }
            return Finding(verdict: .fail, check: "letter fonts", detail: "\(error)", fix: "apt-get install \(package)")
        }
    }

    /// Spoken prompts: espeak-ng there and its voice too, when `[speech]` is enabled.
    static func speech(_ settings: SpeechSettings) -> Finding {
        guard settings.enabled else {
            return Finding(verdict: .ok, check: "speech", detail: "off (enable with [speech] enabled = true)")
        }
        do throws(SpeechError) {
            try Speaker.check(settings.options)
        } catch {
            let fix: String =
                switch error {
                case .programMissing: "apt-get install espeak-ng"
                case .voiceMissing: "apt-get install espeak-ng-data, or set [speech] voice = \"id\""
                default: "kiosk test-speech --config FILE shows whether a prompt can be spoken"
                }
            return Finding(verdict: .fail, check: "speech", detail: "\(error)", fix: fix)
        }
        let output: String =
            switch settings.options.output {
            case .audio: "the default sound device"
            case .files(let folder): "WAV files in \(folder)"
            }
        return Finding(
            verdict: .ok, check: "speech",
            detail:
                "espeak-ng voice \(settings.voice), \(settings.rate) words/min, volume \(settings.volume), to \(output)"
        )
    }

    static func report(_ findings: [Finding]) -> String {
        var lines: [String] = []
        for finding in findings {
            lines.append(
                "\(finding.verdict.rawValue.uppercased().padding(toLength: 4, withPad: " ", startingAt: 0)) \(finding.check): \(finding.detail)"
            )
            if let fix = finding.fix { lines.append("     fix: \(fix)") }
        }
        let failures = findings.filter { $0.verdict == .fail }.count
        lines.append(failures == 0 ? "All checks passed." : "\(failures) check\(failures == 1 ? "" : "s") failed.")
        return lines.joined(separator: "\n")
    }

    /// Free space against the disk guard, enrollment, and the outbox.
    static func records(_ settings: KioskSettings, now: Timestamp = .now()) -> [Finding] {
        var findings: [Finding] = []
        let guardian = DiskGuard(directory: settings.stateDirectory, minimumFreeMB: settings.records.minimumFreeMB)
        if let free = guardian.freeBytes {
            let freeMB = free / 1_048_576
            findings.append(
                free >= guardian.minimumFreeBytes
                    ? Finding(
                        verdict: .ok, check: "disk",
                        detail: "\(freeMB) MB free (services stop below \(settings.records.minimumFreeMB) MB)")
                    : Finding(
                        verdict: .fail, check: "disk",
                        detail:
                            "\(freeMB) MB free, below [records] min_free_mb = \(settings.records.minimumFreeMB): new services are refused",
                        fix:
                            "free space on the state directory's disk; uploaded records are purged after retention_days"
                    ))
        }
        guard FileManager.default.fileExists(atPath: settings.stateDirectory) else { return findings }
        let database: KioskDatabase
        do {
            database = try KioskDatabase.open(stateDirectory: settings.stateDirectory)
        } catch {
            switch error {
            case .key, .wrongKey:
                // The registry and the records are sealed: without the right key the kiosk serves nobody.
                findings.append(
                    Finding(
                        verdict: .fail, check: "keys", detail: "\(error)",
                        fix: "run the doctor as root (sudo kiosk doctor), which gives it kiosk.service's credentials"))
            case .cannotCreateDirectory, .cannotOpen: break
            }
            return findings
        }
        guard let summary = try? database.pool.read({ db in try OutboxSummary.read(db) }) else { return findings }
        let enrolled = (try? DeviceState(database: database).enrollment()) ?? nil
        if let enrolled {
            findings.append(
                Finding(
                    verdict: .ok, check: "enrollment",
                    detail: "enrolled as \(enrolled.kioskID) with \(settings.api.url ?? enrolled.url)"))
        } else {
            findings.append(
                Finding(
                    verdict: .warn, check: "enrollment", detail: "not enrolled: records are kept but not uploaded",
                    fix: "kiosk enroll --url URL --token TOKEN (the token comes from the province)"))
        }
        let age = summary.oldestPending.map { (now.millisecondsSince1970 - $0.millisecondsSince1970) / 3_600_000 } ?? 0
        if summary.rejected > 0 {
            findings.append(
                Finding(
                    verdict: .warn, check: "outbox",
                    detail: "\(summary.rejected) record(s) rejected by the province, kept on the kiosk",
                    fix: "kiosk status shows the last error; after fixing the cause: kiosk upload --retry-rejected"))
        } else if age >= 24 {
            findings.append(
                Finding(
                    verdict: .warn, check: "outbox",
                    detail:
                        "\(summary.pending) record(s) waiting, the oldest for \(age) h: \(summary.lastError ?? "no error recorded")",
                    fix: "check the network and the API URL; kiosk upload sends them now"))
        } else {
            findings.append(
                Finding(verdict: .ok, check: "outbox", detail: "\(summary.pending) record(s) waiting for upload"))
        }
        return findings
    }

    private static func stateDirectory(_ path: String) -> Finding {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                return Finding(
                    verdict: .fail, check: "state directory", detail: "\(path) is a file",
                    fix: "remove it or set kiosk.state_directory")
            }
            return FileManager.default.isWritableFile(atPath: path)
                ? Finding(verdict: .ok, check: "state directory", detail: "\(path) is writable")
                : Finding(
                    verdict: .fail, check: "state directory", detail: "\(path) is not writable by this user",
                    fix: "run as the kiosk user, or set StateDirectory=kiosk in the unit")
        }
        return Finding(
            verdict: .warn, check: "state directory", detail: "\(path) does not exist yet",
            fix: "systemd creates it (StateDirectory=kiosk); by hand: install -d -o kiosk \(path)")
    }

    /// The registry as the database holds it, read without creating or migrating anything: the doctor may run
    /// as root, and a database root created would be one the kiosk user cannot open.
    static func registry(_ settings: KioskSettings, now: Timestamp = .now()) -> [Finding] {
        var findings: [Finding] = []
        var exportResidents: Int?
        if let export = settings.registry.openSIDExport {
            do {
                let result = try OpenSIDExport.read(path: export)
                exportResidents = result.rows.count
                let rejected = result.rejected.map { "\($0)" }.joined(separator: "; ")
                let cards = result.rows.filter { $0.resident.cardTag != nil }.count
                findings.append(
                    Finding(
                        verdict: result.rejected.isEmpty ? .ok : .warn, check: "OpenSID export",
                        detail: "\(result.rows.count) residents with \(cards) registered cards, imported when changed"
                            + (result.rejected.isEmpty ? "" : "; rejected rows: \(rejected)"),
                        fix: result.rejected.isEmpty ? nil : "correct those rows in OpenSID and export again"))
            } catch {
                findings.append(
                    Finding(
                        verdict: .fail, check: "OpenSID export", detail: "\(export): \(error)",
                        fix: "export the residents again from OpenSID (Kependudukan > Penduduk > Impor/Ekspor)"))
            }
        }

        let path = (settings.stateDirectory as NSString).appendingPathComponent(KioskDatabase.fileName)
        let statistics: RegistryStatistics
        if FileManager.default.fileExists(atPath: path) {
            do {
                var configuration = Configuration()
                configuration.readonly = true
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                statistics = try queue.read { db in
                    guard try db.tableExists("resident") else { return RegistryStatistics.empty }
                    return try RegistryStatistics(
                        db, pinAttempts: settings.policy.pinAttempts, lockout: settings.policy.lockout,
                        hardLimit: settings.policy.pinHardLimit, now: now)
                }
            } catch {
                findings.append(
                    Finding(
                        verdict: .fail, check: "resident registry", detail: "\(path) cannot be read: \(error)",
                        fix: "run the doctor as the kiosk user; if the file is damaged, move it away and import again"))
                return findings
            }
        } else {
            statistics = .empty
        }
        let pinMode = settings.policy.asksPIN
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        let counts =
            "\(count(statistics.residents, "resident")), \(count(statistics.cards, "card")), "
            + "\(count(statistics.pins, "PIN")) registered, \(count(statistics.lockedCards, "locked card"))"
        if statistics.residents == 0 {
            if let exportResidents {
                // Nothing imported yet, but `kiosk run` imports the export before it serves.
                findings.append(
                    Finding(
                        verdict: pinMode ? .warn : .ok, check: "resident registry",
                        detail: "\(path) holds no residents yet; kiosk run imports the \(exportResidents) of the export"
                            + (pinMode
                                ? ", but the registry holds no PINs, so identity mode card-pin rejects every PIN" : ""),
                        fix: pinMode ? "register PINs with kiosk pin set --card HEX after the import" : nil))
            } else {
                findings.append(
                    Finding(
                        verdict: .warn, check: "resident registry", detail: "no residents: every card is unknown",
                        fix: "kiosk import residents FILE.csv (an OpenSID export), or set registry.opensid_export"))
            }
        } else if pinMode && statistics.pins == 0 {
            findings.append(
                Finding(
                    verdict: .warn, check: "resident registry",
                    detail: "\(counts); the registry holds no PINs, so identity mode card-pin rejects every PIN",
                    fix: "register PINs with kiosk pin set --card HEX, "
                        + "or set identity.mode = \"card\" and supervised = true on a kiosk an operator watches"))
        } else {
            findings.append(Finding(verdict: .ok, check: "resident registry", detail: counts))
        }
        if statistics.operatorCardsWithoutPIN > 0 {
            findings.append(
                Finding(
                    verdict: .warn, check: "operator cards",
                    detail: "\(count(statistics.operatorCardsWithoutPIN, "operator card")) without a PIN: a card alone "
                        + "never opens maintenance",
                    fix: "kiosk pin set --card HEX for each card in [operators] cards"))
        }
        if settings.demo {
            findings.append(
                Finding(
                    verdict: .warn, check: "demo",
                    detail: "[kiosk] demo = true: a demo or test kiosk (the simulated SAM is allowed); never serve "
                        + "residents with it",
                    fix: "remove demo = true from [kiosk]"))
        }
        return findings
    }

    /// A hint for the problems a technician meets most.
    static func fixHint(for problem: ConfigurationError.Problem) -> String? {
        if problem.message.contains("unknown key") { return "check the spelling against config/kiosk.sample.toml" }
        if problem.message.contains("template") {
            return "install the templates (make install) or set letters.templates to their folder"
        }
        if problem.key.hasSuffix("village_code") {
            return "use the 10-digit kode desa from Permendagri 58/2021, e.g. 18.09.07.2001"
        }
        if problem.message.contains("does not exist") && problem.key.isEmpty {
            return "copy config/kiosk.sample.toml to \(ConfigurationLoader.defaultPath) and edit it"
        }
        if problem.message.hasPrefix("not valid TOML") {
            return "fix the syntax at that line (strings need quotes, tables [brackets])"
        }
        return nil
    }
}
