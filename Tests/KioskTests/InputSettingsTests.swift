import Core
import Drivers
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import KioskKit

@Suite("[input]: touch panel, keypad and console settings")
struct InputSettingsTests {
    static func parse(_ input: String) throws -> KioskSettings {
        try SampleConfig.parse(SampleConfig.valid + "\n[input]\n" + input + "\n")
    }

    static func problems(_ input: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        SampleConfig.problems(SampleConfig.valid + "\n[input]\n" + input + "\n", sourceLocation: sourceLocation)
            .map(\.description)
    }

    @Test func withoutTheTableNoDeviceIsReadAndNoConsoleTakenOffAPanel() throws {
        let settings = try SampleConfig.parse(SampleConfig.valid)
        #expect(settings.display.backend != .framebuffer)
        #expect(settings.input == InputSettings())
        #expect(!settings.input.hasDevices)
        #expect(settings.input.console == nil)
    }

    /// A kiosk configured by the book (a panel, no [input]) owns its screen and keys: every touch panel and keypad,
    /// and its own VT. Without that, tty1's login prompt stayed on display and took the PIN typed on the keypad.
    @Test func onAPanelEverythingDefaultsToAutoAndTheKiosksOwnVT() throws {
        let panel =
            SampleConfig.valid.replacingOccurrences(
                of: "backend = \"terminal\"", with: "backend = \"framebuffer\"") + "\n"
        let settings = try SampleConfig.parse(panel)
        #expect(settings.input.touch == .auto && settings.input.keypad == .auto)
        #expect(settings.input.console == .own)
        #expect(settings.input.grab)
        let narrowed = try SampleConfig.parse(panel + "[input]\nkeypad = \"none\"\nconsole = \"none\"\n")
        #expect(narrowed.input.touch == .auto && narrowed.input.keypad == .none && narrowed.input.console == nil)
        #expect(try SampleConfig.parse(panel + "[input]\nconsole = \"auto\"\n").input.console == .own)
    }

    @Test func pathsAutoGrabAndConsoleAreRead() throws {
        let settings = try Self.parse(
            """
            touch = "auto"
            keypad = "/dev/input/by-id/usb-Keypad-event-kbd"
            grab = false
            console = "/dev/tty1"
            """)
        #expect(settings.input.touch == .auto)
        #expect(settings.input.keypad == .path("/dev/input/by-id/usb-Keypad-event-kbd"))
        #expect(!settings.input.grab)
        #expect(settings.input.console == .tty("/dev/tty1"))
        #expect(settings.input.hasDevices)
        #expect(try Self.parse("console = \"current\"").input.console == .tty("/dev/tty0"))
    }

    @Test func aMatrixOrSwapAndInvertCalibrate() throws {
        let matrix = try Self.parse("touch = \"auto\"\ncalibration = [0, -1, 1, 1, 0.0, 0]")
        #expect(matrix.input.calibration?.matrix == [0, -1, 1, 1, 0, 0])
        let swapped = try Self.parse("touch = \"auto\"\nswap_xy = true\ninvert_x = true")
        #expect(swapped.input.calibration == TouchCalibration(swapXY: true, invertX: true, invertY: false))
        #expect(try Self.parse("touch = \"auto\"").input.calibration == nil, "none: udev's matrix may serve")
    }

    @Test func badValuesNameTheKeyAndWhatIsExpected() {
        #expect(
            Self.problems("touch = \"/dev/fb0\"")
                == [
                    "line 42: input.touch: found \"/dev/fb0\", expected \"auto\", \"none\" or an evdev device such as "
                        + "/dev/input/by-id/usb-...-event-if00 (`ls -l /dev/input/by-id` lists them)"
                ].map { $0.replacingOccurrences(of: "line 42", with: "line \(Self.line("touch"))") })
        let matrix = Self.problems("touch = \"auto\"\ncalibration = [1, 0, 0, 0, 1]")
        #expect(matrix.count == 1 && matrix[0].contains("input.calibration: found 5 numbers, expected the six"))
        let word = Self.problems("touch = \"auto\"\ncalibration = [1, 0, \"x\", 0, 1, 0]")
        #expect(word.count == 1 && word[0].contains("input.calibration[2]: found the string \"x\", expected a number"))
        let both = Self.problems("touch = \"auto\"\ncalibration = [1, 0, 0, 0, 1, 0]\nswap_xy = true")
        #expect(both.count == 1 && both[0].contains("input.swap_xy: cannot be used with calibration"))
        let noTouch = Self.problems("invert_y = true")
        #expect(noTouch.count == 1 && noTouch[0].contains("calibrates the touch panel, but touch is \"none\""))
        let console = Self.problems("console = \"tty1\"")
        #expect(
            console.count == 1
                && console[0].contains(
                    "input.console: found \"tty1\", expected \"auto\" (the kiosk's own VT), a virtual terminal")
        )
        let typo = Self.problems("keypda = \"auto\"")
        #expect(typo.count == 1 && typo[0].contains("input.keypda: unknown key"))
        let grab = Self.problems("grab = \"yes\"")
        #expect(grab.count == 1 && grab[0].contains("input.grab: found the string \"yes\", expected true or false"))
    }

    @Test func theWedgeReaderCannotAlsoBeTheKeypad() {
        let text =
            SampleConfig.valid
            .replacingOccurrences(of: "[card_reader]\n", with: "[card_reader]\nwedge = \"/dev/input/event8\"\n")
            + "\n[input]\nkeypad = \"/dev/input/event8\"\n"
        let problems = SampleConfig.problems(text).map(\.description)
        #expect(
            problems.contains { $0.contains("input.keypad: \"/dev/input/event8\" is card_reader.wedge") }, "\(problems)"
        )
    }

    /// The line `key` lands on when appended after the sample configuration.
    static func line(_ key: String) -> Int {
        SampleConfig.valid.split(separator: "\n", omittingEmptySubsequences: false).count + 2
    }
}

/// `InputService` between the devices and the runtime: keys go straight through, touches through the gesture to
/// presses and highlights on the screen.
@Suite("InputService: keys and touches into kiosk events")
struct InputServiceTests {
    /// A screen whose left half is "Batal" and right half "Lanjut"; records highlights.
    final class Screen: TouchScreen {
        let highlights = NIOLockedValueBox<[ButtonID?]>([])
        func target(at point: PanelPoint) async -> ButtonID? { point.x < 0.5 ? .cancel : .confirm }
        func highlight(_ button: ButtonID?) async { highlights.withLockedValue { $0.append(button) } }
        let inputFacts = NIOLockedValueBox<[[String]]>([])
        func inputDevicesChanged(_ lines: [String]) async { inputFacts.withLockedValue { $0.append(lines) } }
    }

    final class Logs: Sendable {
        let lines = NIOLockedValueBox<[String]>([])
    }

    static func service(_ screen: any TouchScreen, _ events: KioskEvents, logs: Logs = Logs()) -> InputService {
        let logger = Logger(label: "kiosk.input") { label in
            JournalLogHandler(label: label, level: .trace, underJournald: true) { line in
                logs.lines.withLockedValue { $0.append(line) }
            }
        }
        return InputService(
            devices: InputDevices(configuration: .init(touch: .none, keypad: .none)), screen: screen, events: events,
            logger: logger)
    }

    static func sent(_ events: KioskEvents, count: Int) async -> [KioskEvent] {
        var result: [KioskEvent] = []
        for await input in events.stream {
            if case .event(let event) = input { result.append(event) }
            if result.count == count { break }
        }
        return result
    }

    @Test func keysAreSentAsTheyCome() async {
        let events = KioskEvents()
        let service = Self.service(Screen(), events)
        var state = InputService.State()
        await service.handle(.key(.digit(3)), state: &state)
        await service.handle(.key(.enter), state: &state)
        #expect(await Self.sent(events, count: 2) == [.key(.digit(3)), .key(.enter)])
    }

    @Test func aTapIsHighlightedThenPressedAndADragOutIsNot() async {
        let events = KioskEvents()
        let screen = Screen()
        let logs = Logs()
        let service = Self.service(screen, events, logs: logs)
        var state = InputService.State()
        let left = PanelPoint(x: 0.2, y: 0.5)
        let right = PanelPoint(x: 0.8, y: 0.5)
        // A drag from Batal to Lanjut: no press.
        await service.handle(.touch(TouchContact(.down, left, at: .milliseconds(0))), state: &state)
        await service.handle(.touch(TouchContact(.move, right, at: .milliseconds(40))), state: &state)
        await service.handle(.touch(TouchContact(.up, right, at: .milliseconds(90))), state: &state)
        // A tap on Lanjut.
        await service.handle(.touch(TouchContact(.down, right, at: .milliseconds(500))), state: &state)
        await service.handle(.touch(TouchContact(.up, right, at: .milliseconds(580))), state: &state)
        events.send(.tick)  // a marker: everything before it was sent
        #expect(await Self.sent(events, count: 2) == [.press(.confirm), .tick])
        #expect(screen.highlights.withLockedValue { $0 } == [.cancel, nil, .confirm, nil])
        #expect(logs.lines.withLockedValue { $0.contains { $0.contains("touch press") && $0.contains("confirm") } })
    }

    @Test func pinKeysAreNeverLoggedWithTheirDigit() {
        #expect(InputService.loggable(.pinDigit(7)) == "pinDigit")
        #expect(InputService.loggable(.confirm) == "confirm")
    }

    @Test func onlyATableThatNamesDevicesOrAConsoleAddsServices() throws {
        let none = try SampleConfig.parse(SampleConfig.valid)
        let screen = Screen()
        #expect(
            try InputService.configured(none, events: KioskEvents(), screen: screen, logger: Logger(label: "t"))
                .isEmpty)
        let both = try InputSettingsTests.parse("keypad = \"auto\"\nconsole = \"/dev/tty1\"")
        #expect(
            try InputService.configured(both, events: KioskEvents(), screen: screen, logger: Logger(label: "t")).count
                == 2)
    }

    /// A display that draws screens itself (the terminal): the presenter hit-tests what it shows, unturned.
    @Test func thePresenterHitTestsTheScreenOnATextDisplay() async throws {
        struct Terminal: Display { func show(_ screen: Core.Screen) async {} }
        let layout = try ScreenLayout(size: SizeMM(width: 222, height: 125))
        let touch = try ScreenPresenter(display: Terminal(), size: SizeMM(width: 222, height: 125))
        #expect(await touch.target(at: PanelPoint(x: 0.5, y: 0.5)) == nil)  // nothing shown yet
        let screen = KioskScreens.timeoutWarning(secondsLeft: 15)
        await touch.show(screen)
        let (id, frame) = try #require(layout.layout(screen).buttonFrames.first)
        let centre = PanelPoint(x: (frame.x + frame.width / 2) / 222, y: (frame.y + frame.height / 2) / 125)
        #expect(await touch.target(at: centre) == id)
    }
}

/// Without a VT (SSH, tests) the console service says so and keeps the kiosk running until it stops.
@Suite("ConsoleService without a virtual terminal")
struct ConsoleServiceTests {
    @Test func aMissingVTIsLoggedAndTheServiceWaitsForTheStop() async throws {
        let logs = InputServiceTests.Logs()
        let logger = Logger(label: "kiosk.console") { label in
            JournalLogHandler(label: label, level: .info, underJournald: true) { line in
                logs.lines.withLockedValue { $0.append(line) }
            }
        }
        let service = ConsoleService(console: .tty("/dev/tty-kiosk-missing"), logger: logger)
        let running = Task { try await service.run() }
        // The error is logged at once; the service then waits (a returning service would stop the kiosk).
        while logs.lines.withLockedValue({ $0.isEmpty }) { await Task.yield() }
        running.cancel()
        _ = await running.result
        let lines = logs.lines.withLockedValue { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("console not taken; the kiosk runs without it") == true)
        #expect(lines.first?.contains("/dev/tty-kiosk-missing does not exist") == true)
    }
}
