import Core
import Drivers
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import TestSupport
import Testing

@testable import KioskKit

/// The runtime with the state machine, the registry from the fixture export, the record store and a printer,
/// driven by a scripted resident: the whole resident flow in process.
@Suite("Kiosk runtime, scripted sessions end to end")
struct KioskRuntimeTests {
    /// Everything a run shows and logs.
    final class Capture: Sendable {
        let screens = NIOLockedValueBox<[Screen]>([])
        let logs = NIOLockedValueBox<[String]>([])
        /// Each screen with whether the busy marker was there when it was drawn (with a marker only).
        let busyByScreen = NIOLockedValueBox<[(screen: String, busy: Bool)]>([])

        var screenNames: [String] { screens.withLockedValue { $0.map { "\($0.id)" } } }
        /// The screen names without repeats (progress updates show the printing screen several times).
        var distinctScreenNames: [String] {
            screenNames.reduce(into: []) { names, name in if names.last != name { names.append(name) } }
        }
    }

    struct CapturingDisplay: Display {
        let capture: Capture
        var busy: BusyMarker? = nil
        func show(_ screen: Screen) async {
            capture.screens.withLockedValue { $0.append(screen) }
            if let busy { capture.busyByScreen.withLockedValue { $0.append(("\(screen.id)", busy.isBusy)) } }
        }
    }

    struct BrokenPrinter: LetterPrinter {
        let problem: PrinterProblem
        func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void) async
            -> PrintOutcome
        {
            progress(10)
            return .failed(problem)
        }
    }

    /// Runs one script against a fresh kiosk, wired by `KioskApp.services` as `kiosk run` wires it, with its state in
    /// a temporary folder; returns what it showed, the store's records and the printed letters' text.
    ///
    /// `awaitLimit` only ends a session that hangs, so it is generous: in a full parallel run on two cores, hundreds of
    /// tests share Swift's two pool threads, and a screen was seen to come more than 20 s after its PIN on a loaded
    /// machine (all four PIN sessions failed that way in helpers' runs, and passed in 2 s alone).
    static func play(
        _ script: String, config: String = SampleConfig.valid, printer: (any LetterPrinter)? = nil,
        awaitLimit: Duration = .seconds(180), busy: BusyMarker? = nil, speaker: (any PromptSpeaker)? = nil,
        prepare: (SQLiteRegistry) async throws -> Void = { _ in },
        afterwards: (SQLiteRegistry) async throws -> Void = { _ in }
    ) async throws -> (Capture, [ServiceRecord], String) {
        let directory = try TemporaryDirectory()
        let state = try TemporaryDirectory()
        let settings = try SampleConfig.parse(
            config.replacingOccurrences(
                of: "state_directory = \"state\"", with: "state_directory = \"\(state.path)/state\""))
        let capture = Capture()
        var options = KioskApp.Options()
        options.logger = Logger(label: "kiosk") { label in
            JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                capture.logs.withLockedValue { $0.append(line) }
            }
        }
        options.script = try ScriptedSession(text: script)
        options.awaitLimit = awaitLimit
        options.display = CapturingDisplay(capture: capture, busy: busy)
        options.printer =
            try printer ?? TestLetters.printer(settings: settings, directory: directory.path, nikStyle: .masked)
        options.speaker = speaker
        options.busy = busy
        options.environment = [:]
        let kiosk = try await KioskApp.services(settings, options)
        try await prepare(kiosk.registry)
        try await kiosk.run(stoppingOnSignals: false)
        try await afterwards(kiosk.registry)
        let printed = try TestLetters.text(ofPDFsIn: directory.path)
        return (capture, try await kiosk.store.records(), printed)
    }

    static let domicileSession = """
        await idle
        tap 04A21B6C9E4F80
        press Surat Keterangan Domisili
        press Melamar pekerjaan
        await confirm
        press Cetak
        await done
        remove
        await idle
        """

    @Test func aResidentGetsALetterAndTheServiceIsRecorded() async throws {
        let (capture, records, printed) = try await Self.play(Self.domicileSession)
        #expect(
            capture.distinctScreenNames == [
                "idle", "reading", "menu", "purpose", "confirm", "printing", "done", "idle",
            ])
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.letterCode == "S-41")
        #expect(record.purpose == "Melamar pekerjaan")
        #expect(record.printOutcome == .printed)
        #expect(record.residentNIK.digits == "1809072107790013")
        #expect(record.letterNumber.formatted.hasPrefix("S-41/001/1809072001/"))
        #expect(printed.contains("SURAT KETERANGAN DOMISILI"))
        #expect(printed.contains("I KETUT WIRAWAN"))
        #expect(printed.contains("180907******0013"))
        #expect(!printed.contains("1809072107790013"), "the printed draft shows the masked NIK")
    }

    @Test func aLetterWithOnePurposeSkipsTheQuestionAndNumbersFollowTheSeries() async throws {
        let script = """
            await idle
            tap 520A8BB9
            press Surat Keterangan Pengantar
            await confirm
            press Cetak
            press Selesai
            await idle
            tap 520A8BB9
            press Pengantar
            press Cetak
            await done
            remove
            """
        let (capture, records, _) = try await Self.play(script)
        #expect(!capture.screenNames.contains("purpose"))
        #expect(records.map(\.letterNumber.serial) == [1, 2])
        #expect(Set(records.map(\.id)).count == 2)
    }

    /// The card taken away while the resident chooses a purpose.
    static let removalMidFlow = """
        await idle
        tap 04A21B6C9E4F80
        press Surat Keterangan Domisili
        await purpose
        remove
        await idle
        """

    @Test func removingTheCardMidFlowClearsTheSessionAndRecordsNothing() async throws {
        let (capture, records, _) = try await Self.play(Self.removalMidFlow)
        #expect(records.isEmpty)
        #expect(capture.distinctScreenNames.suffix(2) == ["purpose", "idle"])
    }

    @Test func anUnknownCardGetsItsOwnScreen() async throws {
        let (capture, records, _) = try await Self.play(
            "await idle\ntap 01020304\nawait error-unknown-card\nremove\nawait idle\n")
        #expect(capture.distinctScreenNames == ["idle", "reading", "error-unknown-card", "idle"])
        #expect(records.isEmpty)
    }

    @Test func paperOutReachesTheResidentAndTheRecordStaysUnprinted() async throws {
        let script = """
            await idle
            tap 04A21B6C9E4F80
            press Surat Keterangan Domisili
            press Lainnya
            press Cetak
            await error-printer-paper-out
            remove
            await error-printer-paper-out
            """
        let (capture, records, _) = try await Self.play(script, printer: BrokenPrinter(problem: .paperOut))
        #expect(records.map(\.printOutcome) == [.failed(.paperOut)])
        // Back at rest, the kiosk shows it is out of paper instead of inviting the next resident.
        #expect(capture.screens.withLockedValue { $0.last?.id } == .error(.printer(.paperOut)))
        #expect(capture.screens.withLockedValue { $0.last?.actions.isEmpty } == true)
    }

    /// Registers PIN 250713 for the operator card DEADBEEF, as `kiosk pin set --card DEADBEEF` would.
    static func registerOperatorPIN(_ registry: SQLiteRegistry) async throws {
        var registry = registry
        registry.scrypt = RegistryFixture.fastScrypt
        let owner = try #require(try await registry.owner(of: try CardUID(hex: "DEADBEEF")))
        try await registry.setPIN(PIN(digits: [2, 5, 0, 7, 1, 3]), for: owner, at: .now())
    }

    @Test func anOperatorCardAndItsPINOpenMaintenanceAndCanStopTheService() async throws {
        let script = """
            await idle
            tap DEADBEEF
            await pin
            key 2
            key 5
            key 0
            key 7
            key 1
            key 3
            await maintenance
            press Hentikan Layanan
            press Keluar
            await error-out-of-service
            remove
            tap 04A21B6C9E4F80
            await error-out-of-service
            """
        let (capture, records, _) = try await Self.play(script, prepare: Self.registerOperatorPIN)
        #expect(capture.distinctScreenNames.contains("maintenance"))
        #expect(records.isEmpty)
    }

    @Test func anOperatorCardAloneOrWithAWrongPINNeverOpensMaintenance() async throws {
        // A cloned UID opened maintenance on its own before issue 18.
        let pin = "key 1\nkey 1\nkey 1\nkey 2\nkey 2\nkey 2\n"
        let script =
            "await idle\ntap DEADBEEF\nawait pin\n" + pin + "see Sisa 2 kali\n" + pin + "see Sisa 1 kali\n" + pin
            + "await error-locked\nremove\nawait idle\n"
        let (capture, _, _) = try await Self.play(
            script, prepare: Self.registerOperatorPIN,
            afterwards: { registry in
                let lookup = try await registry.lookUp(try CardUID(hex: "DEADBEEF"))
                #expect(lookup == .locked)
            })
        #expect(!capture.distinctScreenNames.contains("maintenance"))
        // Without a PIN registered, the right-looking PIN opens nothing either.
        let unset = "await idle\ntap DEADBEEF\nawait pin\nkey 2\nkey 5\nkey 0\nkey 7\nkey 1\nkey 3\nsee Sisa 2 kali\n"
        let (again, _, _) = try await Self.play(unset)
        #expect(!again.distinctScreenNames.contains("maintenance"))
    }

    @Test func theKeypadAloneCompletesASession() async throws {
        let script = """
            await idle
            tap 04A21B6C9E4F80
            await menu
            key 1
            await purpose
            key 2
            await confirm
            key enter
            await done
            key enter
            await idle
            """
        let (_, records, _) = try await Self.play(script)
        #expect(records.map(\.purpose) == ["Lainnya"])
    }

    /// The countdown repaints itself every second: those repaints stay out of the journal at info; a new screen, or
    /// one changed by the resident (each PIN digit), is logged.
    @Test func theTimersRepaintsOfTheSameScreenAreDebugOnly() {
        #expect(KioskRuntime.screenLogLevel(.timeoutWarning, after: .tick, last: .timeoutWarning) == .debug)
        #expect(KioskRuntime.screenLogLevel(.timeoutWarning, after: .tick, last: .menu) == .info)
        #expect(KioskRuntime.screenLogLevel(.pinEntry, after: .key(.digit(4)), last: .pinEntry) == .info)
        #expect(KioskRuntime.screenLogLevel(.idle, after: nil, last: .idle) == .info)
    }

    /// A touch that moves the deadline later keeps the timer already set (its early tick is taken for nothing), so
    /// a session does not leave a cancelled sleep behind at every touch; a deadline brought nearer, a timer that has
    /// fired and a machine that needs no time replace or drop it.
    @Test func theTimerIsKeptWhileItFiresNoLaterThanTheMachineNeeds() {
        let now = ContinuousClock.now
        let (soon, later) = (now.advanced(by: .seconds(30)), now.advanced(by: .seconds(60)))
        #expect(KioskRuntime.keepsTimer(firingAt: soon, for: later, now: now))
        #expect(KioskRuntime.keepsTimer(firingAt: soon, for: soon, now: now))
        #expect(!KioskRuntime.keepsTimer(firingAt: later, for: soon, now: now))
        #expect(!KioskRuntime.keepsTimer(firingAt: now, for: later, now: now))
        #expect(!KioskRuntime.keepsTimer(firingAt: soon, for: nil, now: now))
    }

    @Test func noLogLineHoldsANIKOrAName() async throws {
        let (capture, _, _) = try await Self.play(Self.domicileSession)
        let logs = capture.logs.withLockedValue { $0 }
        #expect(logs.contains { $0.contains("service recorded") })
        #expect(logs.allSatisfy { $0.hasPrefix("<") }, "journald priority prefixes")
        let nikShaped = try Regex("[0-9]{16}")
        for line in logs {
            #expect(line.firstMatch(of: nikShaped) == nil, "\(line)")
            #expect(!line.contains("WIRAWAN"), "\(line)")
        }
    }

    @Test func aScriptThatExpectsTheWrongScreenFailsClearly() async throws {
        await #expect {
            _ = try await Self.play("await idle\ntap 01020304\npress Cetak\n", awaitLimit: .milliseconds(300))
        } throws: { error in
            "\(error)".contains("script line 3: no button \"Cetak\"")
        }
    }

    static let pinConfig = SampleConfig.valid.replacingOccurrences(of: "mode = \"card\"", with: "mode = \"card-pin\"")

    /// Registers PIN 250713 for the card 04A21B6C9E4F80, as `kiosk pin set` would.
    static func registerPIN(_ registry: SQLiteRegistry) async throws {
        var registry = registry
        registry.scrypt = RegistryFixture.fastScrypt
        let holder = try #require(try await registry.holder(of: try CardUID(hex: "04A21B6C9E4F80")))
        try await registry.setPIN(PIN(digits: [2, 5, 0, 7, 1, 3]), for: holder, at: .now())
    }

    @Test func aResidentWithARegisteredPINGetsTheMenu() async throws {
        let script = """
            await idle
            tap 04A21B6C9E4F80
            await pin
            key 2
            key 5
            key 0
            key 7
            key 1
            key 3
            await menu
            remove
            await idle
            """
        let (capture, _, _) = try await Self.play(script, config: Self.pinConfig, prepare: Self.registerPIN)
        #expect(capture.distinctScreenNames == ["idle", "reading", "pin", "menu", "idle"])
    }

    @Test func threeWrongPINsLockTheCardInTheRegistryNotOnlyInTheSession() async throws {
        // Each attempt waits for its verdict on screen: keys typed while a PIN is being checked are ignored.
        let pin = "key 1\nkey 1\nkey 1\nkey 2\nkey 2\nkey 2\n"
        let script =
            "await idle\ntap 04A21B6C9E4F80\nawait pin\n" + pin + "see Sisa 2 kali\n" + pin + "see Sisa 1 kali\n" + pin
            + "await error-locked\nremove\nawait idle\n"
        let card = try CardUID(hex: "04A21B6C9E4F80")
        let (capture, records, _) = try await Self.play(
            script, config: Self.pinConfig, prepare: Self.registerPIN,
            afterwards: { registry in
                // A new tap, or a restarted kiosk, meets the lock before any PIN is asked.
                let lookup = try await registry.lookUp(card)
                #expect(lookup == .locked)
            })
        #expect(capture.distinctScreenNames.contains("error-locked"))
        #expect(records.isEmpty)
    }
}
