import CLinuxIO
import Foundation
import Glibc
import Testing

/// Touch and keypad end to end: the built `kiosk` under umockdev-run, which emulates the touchscreen
/// (`touchscreen.umockdev`, `touchscreen.ioctl`: multi-touch protocol B, 0..4095) and the wedge reader used as a
/// keypad, and plays event streams into them. `InputDevices` opens, classifies (EVIOCGBIT, EVIOCGABS) and grabs
/// the nodes, `TouchPanel` and `Keypad` decode, `TouchGesture` decides the presses; `kiosk test-input` prints
/// them on a 3 × 3 grid, and `kiosk run` sends them to the kiosk.
///
/// No test waits a fixed time: a run ends after its expected number of presses and keys (`--count`), and a stream
/// whose press must not happen ends with a marker tap elsewhere, so "the first press is the marker" proves it.
@Suite("Touch panel and keypad under umockdev", .serialized, .timeLimit(.minutes(2)))
struct InputIntegrationTests {
    static let kiosk = Services.binaries + "/kiosk"
    static let touchNode = "/dev/input/event7"

    static func touchscreen(events: String) -> [String] {
        [
            "-d", "\(Umockdev.fixtures)/touchscreen.umockdev", "-i",
            "\(touchNode)=\(Umockdev.fixtures)/touchscreen.ioctl",
            "-e", "\(touchNode)=\(events)",
        ]
    }

    /// `kiosk test-input` on the touchscreen playing `events`, until `count` presses.
    static func testTouch(events: String, count: Int) async throws -> (status: Int32, output: String, presses: [String]) {
        let runner = try Umockdev.runner()
        let (status, output) = try await Services.run(
            runner,
            touchscreen(events: events) + [
                "--", kiosk, "test-input", "--touch", touchNode, "--count", "\(count)", "--timeout", "30",
            ])
        let presses = output.split(separator: "\n").filter { $0.hasPrefix("  press ") }.map {
            String($0.dropFirst(8))
        }
        return (status, output, presses)
    }

    @Test func theSharedTapAtTheCentreIsOnePressAtTheCentre() async throws {
        let (status, output, presses) = try await Self.testTouch(events: Umockdev.fixtures + "/tap-centre.events", count: 1)
        #expect(status == 0, "\(output)")
        #expect(
            output.contains(
                "  + /dev/input/event7: Kiosk Test Touchscreen (touch, multi-touch B, x 0...4095, y 0...4095)"),
            "\(output)")
        #expect(presses == ["centre"], "\(output)")
        #expect(output.contains("  down (0.5, 0.5)"), "\(output)")
    }

    @Test func aDragOutOfTheCentreIsNoPress() async throws {
        var touch = TouchStream()
        touch.down(slot: 0, x: 2048, y: 2048)
        touch.move(slot: 0, x: 2600, y: 2048)
        touch.move(slot: 0, x: 3800, y: 2048)  // into the right-hand cell
        touch.up(slot: 0)
        touch.tap(x: 300, y: 300)  // the marker: top-left
        let folder = try WedgeReaderIntegrationTests.Folder()
        let (status, output, presses) = try await Self.testTouch(
            events: try folder.write("drag.events", touch.evemu), count: 1)
        #expect(status == 0, "\(output)")
        #expect(presses == ["top-left"], "\(output)")
    }

    @Test func aSecondFingerIsIgnored() async throws {
        var touch = TouchStream()
        touch.down(slot: 0, x: 2048, y: 2048)
        touch.down(slot: 1, x: 3900, y: 3900)  // a second finger on the bottom-right cell
        touch.up(slot: 1)
        touch.up(slot: 0)
        touch.tap(x: 300, y: 300)
        let folder = try WedgeReaderIntegrationTests.Folder()
        let (status, output, presses) = try await Self.testTouch(
            events: try folder.write("two.events", touch.evemu), count: 2)
        #expect(status == 0, "\(output)")
        #expect(presses == ["centre", "top-left"], "\(output)")
    }

    @Test func theWedgeReaderAsAKeypadTypesKioskKeys() async throws {
        let runner = try Umockdev.runner()
        var keys = KeyStream()
        keys.type("12")
        keys.key(KEY_ESC, 1, after: .milliseconds(8))
        keys.key(KEY_ESC, 0, after: .milliseconds(4))
        keys.key(KEY_BACKSPACE, 1, after: .milliseconds(8))
        keys.key(KEY_BACKSPACE, 2, after: .milliseconds(4))  // autorepeat of a held key: nothing
        keys.key(KEY_BACKSPACE, 0, after: .milliseconds(4))
        keys.type("\n")
        let folder = try WedgeReaderIntegrationTests.Folder()
        let events = try folder.write("keys.events", keys.evemu)
        let (status, output) = try await Services.run(
            runner,
            Umockdev.wedge(events: events) + [
                "--", Self.kiosk, "test-input", "--keypad", Umockdev.wedgeNode, "--count", "5", "--timeout", "30",
            ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("  + /dev/input/event8: Kiosk Test Wedge Reader (keypad, keys)"), "\(output)")
        let typed = output.split(separator: "\n").filter { $0.hasPrefix("  key ") }
        #expect(typed == ["  key digit(1)", "  key digit(2)", "  key escape", "  key backspace", "  key enter"])
    }

    @Test func aTouchscreenThatIsNoKeypadIsRefusedAsOne() async throws {
        let runner = try Umockdev.runner()
        let (status, output) = try await Services.run(
            runner,
            Self.touchscreen(events: Umockdev.fixtures + "/tap-centre.events") + [
                "--", Self.kiosk, "test-input", "--keypad", Self.touchNode, "--count", "1", "--timeout", "1",
            ])
        #expect(status == 1, "\(output)")
        #expect(output.contains("/dev/input/event7 is not a keypad (none of the keys the kiosk uses"), "\(output)")
    }

    @Test func aPanelThatDisappearsIsReportedAndTheProgramRunsOn() async throws {
        let runner = try Umockdev.runner()
        let folder = try WedgeReaderIntegrationTests.Folder()
        var touch = TouchStream()
        touch.tap(x: 2048, y: 2048)
        let script = try folder.write("unplug.script", touch.script)
        let run = try await FollowedProcess(
            runner,
            [
                "-d", "\(Umockdev.fixtures)/touchscreen.umockdev", "-i",
                "\(Self.touchNode)=\(Umockdev.fixtures)/touchscreen.ioctl", "-s", "\(Self.touchNode)=\(script)", "--",
                Self.kiosk, "test-input", "--touch", Self.touchNode, "--timeout", "3",
            ],
            environment: ["TMPDIR": folder.path])
        let pressed = await run.line(containing: "  press centre")
        let before = await run.output
        #expect(pressed != nil, "\(before)")
        kill(run.process.processIdentifier, SIGKILL)
        run.process.waitUntilExit()
        let unplugged = await run.line(containing: "was unplugged")
        let ended = await run.line(containing: "<end of output>")
        let output = await run.output
        // Killing umockdev-run is how this test unplugs the panel, and under load the program sometimes ends with it
        // before its poll reports the unplug (seen once in a CI run with every core busy). That is umockdev's server
        // going, not the kiosk; the unplug itself is covered without it by InputSessionIntegrationTests (the keypad
        // removed from a Testbed mid-session) and InputDevicesTests (ENODEV).
        withKnownIssue("umockdev-run killed may take the program with it", isIntermittent: true) {
            #expect(
                unplugged
                    == "  - /dev/input/event7: /dev/input/event7 was unplugged (poll, errno 19); waiting for it to come back",
                "\(output)")
        }
        // It ran on to its timeout and ended by itself (no crash report after the unplug).
        #expect(ended != nil, "\(output)")
        #expect(!output.contains("Fatal error") && !output.contains("Crash"), "\(output)")
    }

    /// `kiosk run` with `[input]` naming both devices: InputService opens them beside the runtime, the keypad's keys
    /// reach it (trace lines, never which key), and a SIGTERM stops the kiosk gracefully with them.
    @Test func kioskRunReadsTheConfiguredTouchscreenAndKeypad() async throws {
        let runner = try Umockdev.runner()
        let folder = try WedgeReaderIntegrationTests.Folder()
        let config = try WedgeReaderIntegrationTests.config(
            in: folder,
            cardReader: """
                backend = "script"

                [input]
                touch = "\(Self.touchNode)"
                keypad = "\(Umockdev.wedgeNode)"
                console = "none"
                """)
        let run = try await FollowedProcess(
            runner,
            [
                "-d", "\(Umockdev.fixtures)/touchscreen.umockdev", "-d", "\(Umockdev.fixtures)/wedge.umockdev",
                "-i", "\(Self.touchNode)=\(Umockdev.fixtures)/touchscreen.ioctl",
                "-i", "\(Umockdev.wedgeNode)=\(Umockdev.fixtures)/wedge.ioctl",
                "-e", "\(Self.touchNode)=\(Umockdev.fixtures)/tap-centre.events",
                "-e", "\(Umockdev.wedgeNode)=\(Umockdev.fixtures)/wedge-tap-1376422841.events",
                "--", Self.kiosk, "run", "--config", config, "--log-level", "trace",
            ],
            environment: ["TMPDIR": folder.path])
        let touch = await run.line(containing: "device=/dev/input/event7 kind=touch name=Kiosk Test Touchscreen")
        let keypad = await run.line(containing: "input device connected device=/dev/input/event8 kind=keypad")
        // The fixture types 11 keys (ten digits and Enter): wait for the eleventh to reach the service.
        var count = 0
        var from = 0
        let isKey: @Sendable (String) -> Bool = { $0.hasSuffix("kiosk.input: key") }
        while count < 11, await run.lines.waitFor(from: from, isKey) != nil {
            let lines = await run.lines.events
            from = (lines.indices.dropFirst(from).first { isKey(lines[$0]) } ?? lines.count) + 1
            count += 1
        }
        // Stop the kiosk (umockdev-run's child) as systemd would.
        let children =
            (try? String(
                contentsOfFile: "/proc/\(run.process.processIdentifier)/task/\(run.process.processIdentifier)/children",
                encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGTERM) }
        let stopped = await run.line(containing: "kiosk stopped")
        _ = await run.line(containing: "<end of output>")
        let output = await run.output
        #expect(touch != nil && keypad != nil, "\(output)")
        #expect(count == 11, "\(output)")
        #expect(stopped != nil, "\(output)")
        // The keys typed are never logged (on a PIN screen they would be the PIN).
        #expect(!output.contains("1376422841") && !output.contains("digit("), "\(output)")
    }
}

/// A multi-touch protocol B stream like the shared fixture's: each step a frame, 10 ms apart.
struct TouchStream {
    private var keys = KeyStream()  // reuses its record list and evemu/script writers
    private var tracking: Int32 = 100

    mutating func frame(_ items: [(Int32, Int32, Int32)]) {
        keys.raw(items, after: .milliseconds(10))
    }

    mutating func down(slot: Int32, x: Int32, y: Int32) {
        tracking += 1
        frame([
            (EV_ABS, ABS_MT_SLOT, slot), (EV_ABS, ABS_MT_TRACKING_ID, tracking), (EV_ABS, ABS_MT_POSITION_X, x),
            (EV_ABS, ABS_MT_POSITION_Y, y),
        ])
    }

    mutating func move(slot: Int32, x: Int32, y: Int32) {
        frame([(EV_ABS, ABS_MT_SLOT, slot), (EV_ABS, ABS_MT_POSITION_X, x), (EV_ABS, ABS_MT_POSITION_Y, y)])
    }

    mutating func up(slot: Int32) {
        frame([(EV_ABS, ABS_MT_SLOT, slot), (EV_ABS, ABS_MT_TRACKING_ID, -1)])
    }

    /// A finger down and up 80 ms later; then a pause beyond the bounce interval.
    mutating func tap(x: Int32, y: Int32) {
        keys.pause(.milliseconds(200))
        down(slot: 0, x: x, y: y)
        keys.pause(.milliseconds(70))
        up(slot: 0)
        keys.pause(.milliseconds(200))
    }

    var evemu: String { keys.evemu }
    var script: Data { keys.script }
}
