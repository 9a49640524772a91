import Core
import Drivers
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import KioskKit

/// The wedge reader's side of the kiosk: its configuration, the events its service sends the runtime, and the port
/// that keeps a wedge tap from being read again from the PC/SC reader.
@Suite("Wedge reader service and configuration")
struct WedgeReaderServiceTests {
    /// The PC/SC port as it is when a wedge card is tapped: no card on any PC/SC reader.
    struct NoCardOnPCSC: CardReader {
        func readUID() async throws -> CardUID { throw SmartCardError.noCard }
    }

    struct Fixed: CardReader {
        let uid: CardUID
        func readUID() async throws -> CardUID { uid }
    }

    /// The runtime with `port`, fed the events the wedge service sends for one tap of SITI AMINAH's card; a
    /// scripted session waits for `screen`. Returns what the kiosk showed and logged.
    static func tap(port: (WedgeReaderService) -> any CardReader, awaiting screen: String) async throws
        -> KioskRuntimeTests.Capture
    {
        let settings = try SampleConfig.parse(SampleConfig.valid)
        let capture = KioskRuntimeTests.Capture()
        let logger = Logger(label: "kiosk") { label in
            JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                capture.logs.withLock { $0.append(line) }
            }
        }
        let events = KioskEvents()
        let screens = ScreenWatch()
        let service = WedgeReaderService(
            reader: WedgeReader(path: "/dev/input/by-id/usb-test-event-kbd"),
            // The tap comes before the runtime starts, so its age at the read is the start-up time, which under load
            // (CI, parallel builds) passed the 5 s card-read limit once: this test is about serving, not freshness.
            port: WedgeCardPort(fallback: NoCardOnPCSC(), freshness: .seconds(3600)), events: events,
            logger: logger)
        let state = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: state)
        let registry = RegistryFixture.registry(database)
        let directory = try TemporaryDirectory()
        let runtime = KioskRuntime(
            policy: settings.policy, catalogue: settings.catalogue,
            ports: .init(
                display: KioskRuntimeTests.CapturingDisplay(capture: capture), cardReader: port(service),
                registry: registry, issuer: try RegistryFixture.recordStore(database, settings: settings),
                printer: try TestLetters.printer(settings: settings, directory: directory.path)),
            events: events, logger: logger, screens: screens)
        let scripted = ScriptedCardReader(events: events)
        let player = ScriptPlayer(
            session: try ScriptedSession(text: "await idle\nawait \(screen)\n"), card: scripted, events: events,
            screens: screens, layout: try ScreenLayout(size: settings.display.size), awaitLimit: .seconds(60),
            logger: logger)
        service.handle(.connected(name: "Kiosk Test Wedge Reader", typesNumbers: true))
        service.handle(.card(try CardUID(hex: "520A8BB9")))
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: runtime),
                    .init(service: player, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: logger))
        try await group.run()
        return capture
    }

    @Test func aTapServesTheResidentWhenThePCSCPortHasNoCard() async throws {
        let capture = try await Self.tap(port: { $0.port }, awaiting: "menu")
        #expect(capture.distinctScreenNames == ["idle", "reading", "menu"])
        let logs = capture.logs.withLock { $0.joined(separator: "\n") }
        #expect(logs.contains("card tapped on the wedge reader"))
        #expect(logs.contains("wedge card reader connected"))
        #expect(!logs.contains("520A8BB9") && !logs.contains("1376422841"), "no card number in the logs")
    }

    /// Why the port exists: without it the runtime asks the PC/SC port for the card, and its failure, queued behind
    /// the wedge's UID, turns the tap into the "card unreadable" screen.
    @Test func withoutTheWedgePortTheSameTapEndsUnreadable() async throws {
        let capture = try await Self.tap(port: { _ in NoCardOnPCSC() }, awaiting: "error")
        #expect(capture.distinctScreenNames.last == "error-card-unreadable")
    }

    @Test func aTapAnswersTheNextReadOnceThenThePortFallsBack() async throws {
        let tapped = try CardUID(hex: "520A8BB9")
        let pcsc = try CardUID(hex: "04A21B6C9E4F80")
        let port = WedgeCardPort(fallback: Fixed(uid: pcsc), freshness: .seconds(5))
        #expect(try await port.readUID() == pcsc)
        port.tapped(tapped)
        #expect(try await port.readUID() == tapped)
        #expect(try await port.readUID() == pcsc, "a tap answers once")
    }

    @Test func aStaleTapIsNotTheAnswer() async throws {
        let port = WedgeCardPort(fallback: nil, freshness: .milliseconds(20))
        port.tapped(try CardUID(hex: "520A8BB9"))
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: WedgeCardPort.NoCard.self) { try await port.readUID() }
    }

    @Test func rejectionsOutagesAndAWrongNodeAreLoggedWithoutWhatWasTyped() throws {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "kiosk") { label in
            JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                lines.withLock { $0.append(line) }
            }
        }
        let events = KioskEvents()
        let service = WedgeReaderService(
            reader: WedgeReader(path: "/dev/input/event8"), port: WedgeCardPort(fallback: nil, freshness: .seconds(5)),
            events: events, logger: logger)
        service.handle(.rejected(.tooShort(count: 6)))
        service.handle(.unavailable(InputError(code: ENODEV, call: "poll", device: "/dev/input/event8")))
        service.handle(.connected(name: "Consumer Control", typesNumbers: false))
        let logged = lines.withLock { $0 }
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
            .replacingOccurrences(of: "backend = \"script\"", with: "backend = \"pcsc\"\nwedge = \"/dev/input/event8\"")
            + "\n[sam]\nkind = \"simulated\"\n"
        let problems = SampleConfig.problems(text)
        #expect(problems.map(\.key) == ["card_reader.wedge"])
    }

    @Test func theServiceIsWiredOnlyWhenAWedgeIsConfigured() throws {
        let events = KioskEvents()
        let logger = Logger(label: "test")
        var reader: any CardReader = NoCardOnPCSC()
        let none = WedgeReaderService.configured(
            try SampleConfig.parse(SampleConfig.valid), cardReader: &reader, events: events, logger: logger)
        #expect(none == nil)
        #expect(reader is NoCardOnPCSC)
        let text = SampleConfig.valid.replacingOccurrences(
            of: "backend = \"script\"", with: "backend = \"script\"\nwedge = \"/dev/input/event8\"")
        let service = try #require(
            WedgeReaderService.configured(
                try SampleConfig.parse(text), cardReader: &reader, events: events, logger: logger))
        #expect(reader is WedgeCardPort)
        #expect(service.reader.path == "/dev/input/event8")
    }
}
