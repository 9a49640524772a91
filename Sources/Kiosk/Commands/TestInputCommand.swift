import ArgumentParser
import Core
import Drivers
import Foundation
import KioskKit

/// `kiosk test-input`: the technician's check of a touch panel and a keypad without the kiosk's screens. Lists the
/// devices as they connect, every touch contact as a panel point (to check a calibration), taps on a 3 × 3 grid
/// ("press centre") through the same gesture rules as the kiosk, and every key; says when a device goes away.
struct TestInputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-input",
        abstract: "Show what the touch panel and the keypad send (stop the kiosk first: it grabs them).")

    @Option(help: "The touch panel: an evdev path, auto or none.")
    var touch: String = "none"

    @Option(help: "The keypad: an evdev path, auto or none.")
    var keypad: String = "none"

    @Option(help: "Seconds to watch.")
    var timeout: Int = 30

    @Option(help: "Stop after this many presses and keys (0: watch until the timeout).")
    var count: Int = 0

    @Flag(help: "Do not grab the devices (EVIOCGRAB): others, evtest or the console, see them too.")
    var noGrab = false

    static let cells = [
        "top-left", "top", "top-right", "left", "centre", "right", "bottom-left", "bottom", "bottom-right",
    ]

    /// The grid cell under a panel point.
    static func cell(_ point: PanelPoint) -> Int {
        let column = min(2, Int(point.x * 3))
        let row = min(2, Int(point.y * 3))
        return row * 3 + column
    }

    static func selection(_ text: String) -> InputDevices.Selection {
        switch text {
        case "none": .none
        case "auto": .auto
        default: .path(text)
        }
    }

    func run() async throws {
        let devices = InputDevices(
            configuration: .init(touch: Self.selection(touch), keypad: Self.selection(keypad), grab: !noGrab))
        guard devices.isEnabled else {
            say("Nothing to watch: give --touch or --keypad (a path under /dev/input, or auto).")
            throw ExitCode(2)
        }
        say("Watching \(timeout) s; touch the panel, press keys:")
        let stream = devices.events()
        let watcher = Task {
            var gesture = TouchGesture<Int>()
            var actions = 0
            for await event in stream {
                switch event {
                case .connected(let path, let name, let kind, let detail, let touch):
                    say("  + \(path): \(name) (\(kind.rawValue), \(detail))")
                    if let touch { say("    calibration \(touch.calibrationDescription)") }
                case .key(let key):
                    say("  key \(key)")
                    actions += 1
                case .touch(let contact):
                    say("  \(contact.phase) \(contact.point)")
                    for case .press(let cell) in gesture.handle(contact, target: Self.cell(contact.point)) {
                        say("  press \(Self.cells[cell])")
                        actions += 1
                    }
                case .removed(let path, let error):
                    say("  - \(path): \(error); waiting for it to come back")
                case .unavailable(_, let problem):
                    say("  \(problem); waiting for it")
                case .hotplugUnavailable(let error):
                    say("  devices plugged in later will not be seen: \(error)")
                }
                if count > 0, actions >= count { return true }
            }
            return false
        }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(timeout))
            watcher.cancel()
        }
        let reached = await watcher.value
        deadline.cancel()
        if count > 0, !reached {
            say("Fewer than \(count) presses and keys within \(timeout) s.")
            throw ExitCode(1)
        }
    }

    private func say(_ line: String) {
        print(line)
        fflush(nil)
    }
}
