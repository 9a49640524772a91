import Core
import Drivers
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import TestSupport
import Testing

@testable import KioskKit

/// The wedge reader's side of the kiosk: its configuration, and the events its service sends the runtime: each tap
/// presents the UID the reader typed, so no other reader is asked for it.
@Suite("Wedge reader service and configuration")
struct WedgeReaderServiceTests {
    /// A kiosk wired by `KioskApp.services`, fed what the wedge service sends for `taps` (before it starts, or when
    /// the screen named in a tap is up), playing `script`. Returns what the kiosk showed and logged.
    static func run(
        script: String, taps: [(when: String?, uid: String)]
    ) async throws -> KioskRuntimeTests.Capture {
        let state = try TemporaryDirectory()
        let settings = try SampleConfig.parse(SampleConfig.withState(in: state.path + "/state"))
        let capture = KioskRuntimeTests.Capture()
        var options = KioskApp.Options()
        options.logger = Logger(label: "kiosk") { label in
            JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                capture.logs.withLockedValue { $0.append(line) }
            }
        }
        options.display = KioskRuntimeTests.CapturingDisplay(capture: capture)
        options.printer = try TestLetters.printer(settings: settings, directory: state.path)
        options.script = try ScriptedSession(text: script)
        options.awaitLimit = .seconds(60)
        options.environment = [:]
        let kiosk = try await KioskApp.services(settings, options)
        let service = WedgeReaderService(
            reader: WedgeReader(path: "/dev/input/by-id/usb-test-event-kbd"), events: kiosk.events,
            logger: options.logger)
        service.handle(.connected(name: "Kiosk Test Wedge Reader", typesNumbers: true))
        var later: [Task<Void, any Error>] = []
        for tap in taps {
            let uid = try CardUID(hex: tap.uid)
            guard let screen = tap.when else {
                service.handle(.card(uid))
                continue
            }
            later.append(
                Task {
                    _ = await kiosk.screens.waitFor { "\($0.id)" == screen }
                    service.handle(.card(uid))
                })
        }
        try await kiosk.run(stoppingOnSignals: false)
        for task in later { task.cancel() }
        return capture
    }

    @Test func aTapServesTheResidentWithTheUIDItTyped() async throws {
        // SITI AMINAH's card, tapped before the kiosk starts. The script awaits only the menu: the idle screen may
        // come and go before the script's first line runs (it did under AddressSanitizer), and the capture shows it.
        let capture = try await Self.run(script: "await menu\n", taps: [(nil, "520A8BB9")])
        #expect(capture.distinctScreenNames == ["idle", "reading", "menu"])
        #expect(capture.screens.withLockedValue { $0.last?.lines.first } == "Halo, SITI AMINAH.")
        let logs = capture.logs.withLockedValue { $0.joined(separator: "\n") }
        #expect(logs.contains("card tapped on the wedge reader"))
        #expect(logs.contains("wedge card reader connected"))
        #expect(!logs.contains("520A8BB9") && !logs.contains("1376422841"), "no card number in the logs")
    }

    /// The tap carries its UID: no card reader is asked for it afterwards, so a PC/SC reader without a card cannot
    /// turn a good tap into the "card unreadable" screen.
    @Test func aTapIsOnePresentedCardAndNothingElse() async throws {
        let events = KioskEvents()
        let service = WedgeReaderService(
            reader: WedgeReader(path: "/dev/input/event8"), events: events, logger: Logger(label: "test"))
        let tapped = try CardUID(hex: "520A8BB9")
        service.handle(.card(tapped))
        service.handle(.card(tapped))
        events.finish()
        var sent: [KioskEvent] = []
        for await input in events.stream { if case .event(let event) = input { sent.append(event) } }
        #expect(sent == [.cardPresented(tapped, chip: nil), .cardPresented(tapped, chip: nil)], "each tap once")
    }

    /// A tap while another resident is served is ignored, and is not kept: it never becomes the UID of a card
    /// presented later.
    @Test func aTapDuringASessionNeverBecomesALaterCardsUID() async throws {
        let capture = try await Self.run(
            script: """
                await idle
                tap 04A21B6C9E4F80
                await menu
                sleep 0.2
                remove
                await idle
                tap B39503A9
                await menu
                """,
            taps: [("menu", "520A8BB9")])
        let greetings = capture.screens.withLockedValue { $0.filter { $0.id == .menu }.compactMap(\.lines.first) }
        #expect(Set(greetings) == ["Halo, I KETUT WIRAWAN.", "Halo, SUPARMAN."], "\(greetings)")
        #expect(capture.distinctScreenNames == ["idle", "reading", "menu", "idle", "reading", "menu"])
    }

    @Test func rejectionsOutagesAndAWrongNodeAreLoggedWithoutWhatWasTyped() throws {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "kiosk") { label in
            JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                lines.withLockedValue { $0.append(line) }
            }
        }
        let events = KioskEvents()
        let service = WedgeReaderService(
            reader: WedgeReader(path: "/dev/input/event8"), events: events, logger: logger)
        service.handle(.rejected(.tooShort(count: 6)))
        service.handle(.unavailable(InputError(code: ENODEV, call: "poll", device: "/dev/input/event8")))
        service.handle(.connected(name: "Consumer Control", typesNumbers: false))
        let logged = lines.withLockedValue { $0 }
        #expect(logged.count == 4)
        #expect(logged[0].contains("wedge reader input rejected"))
        #expect(logged[0].contains("Enter after 6 characters"))
        #expect(logged[1].contains("/dev/input/event8 was unplugged"))
        #expect(logged[3].contains("no digit or Enter keys"))
        events.finish()
    }

    // MARK: - Configuration

    @Test func aWedgeDeviceIsConfiguredBesideTheBackend() throws {
        let text = SampleConfig.valid.replacingOccurrences(
            of: "backend = \"script\"",
            with: "backend = \"script\"\nwedge = \"/dev/input/by-id/usb-ACS_Wedge-event-kbd\"\nwedge_grab = false")
        let settings = try SampleConfig.parse(text)
        #expect(settings.cardReader.backend == .script)
        #expect(settings.cardReader.wedgeDevice == "/dev/input/by-id/usb-ACS_Wedge-event-kbd")
        #expect(settings.cardReader.wedgeGrab == false)
        #expect(try SampleConfig.parse(SampleConfig.valid).cardReader.wedgeDevice == nil)
        #expect(try SampleConfig.parse(SampleConfig.valid).cardReader.wedgeGrab)
    }

    @Test(arguments: ["/dev/hidraw0", "/dev/input/mouse0", "event3", "/dev/input/by-id/usb-ACS_Wedge-kbd", ""])
    func aPathThatIsNoEvdevDeviceIsAProblem(path: String) {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(
                of: "backend = \"script\"", with: "backend = \"script\"\nwedge = \"\(path)\""))
        #expect(problems.map(\.key) == ["card_reader.wedge"])
        #expect(problems.first?.message.contains("/dev/input/by-id/usb-...-event-kbd") == true)
        #expect(problems.first?.line != nil)
    }

    @Test func chipModeCannotUseAWedgeReader() {
        let text =
            SampleConfig.valid
            .replacingOccurrences(of: "mode = \"card\"", with: "mode = \"chip\"")
            .replacingOccurrences(of: "village_name = \"Hanura\"", with: "village_name = \"Hanura\"\ndemo = true")
            .replacingOccurrences(of: "backend = \"script\"", with: "backend = \"pcsc\"\nwedge = \"/dev/input/event8\"")
            + "\n[sam]\nkind = \"simulated\"\n"
        let problems = SampleConfig.problems(text)
        #expect(problems.map(\.key) == ["card_reader.wedge"])
    }

    @Test func theServiceIsWiredOnlyWhenAWedgeIsConfigured() throws {
        let events = KioskEvents()
        let logger = Logger(label: "test")
        let none = WedgeReaderService.configured(
            try SampleConfig.parse(SampleConfig.valid), events: events, logger: logger)
        #expect(none == nil)
        let text = SampleConfig.valid.replacingOccurrences(
            of: "backend = \"script\"", with: "backend = \"script\"\nwedge = \"/dev/input/event8\"")
        let service = try #require(
            WedgeReaderService.configured(try SampleConfig.parse(text), events: events, logger: logger))
        #expect(service.reader.path == "/dev/input/event8")
    }
}
