import CLinuxIO
import Foundation
import Glibc

@testable import Drivers

/// evemu's event lines (`E: seconds.microseconds type code value`, type and code in hex; whot/evemu), the format of
/// the shared fixtures and of `evemu-record`: parsed into `InputEvent`s and into the raw `struct input_event`
/// bytes a device node gives, so a recording replays through the same reading code as a real panel.
enum Evemu {
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var text: String
        var description: String { "evemu line \(line) is no event: \(text)" }
    }

    /// The events of every `E:` line; headers (`#`, `N:`, `I:`, `P:`, `B:`, `A:`) are skipped.
    static func parse(_ text: String) throws -> [InputEvent] {
        var events: [InputEvent] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("E:") else { continue }
            let fields = line.dropFirst(2).split(separator: " ")
            let time = fields.first?.split(separator: ".") ?? []
            guard fields.count == 4, time.count == 2, let seconds = Int64(time[0]), let microseconds = Int64(time[1]),
                let type = UInt16(fields[1], radix: 16), let code = UInt16(fields[2], radix: 16),
                let value = Int32(fields[3])
            else {
                throw ParseError(line: index + 1, text: line)
            }
            events.append(
                InputEvent(type: type, code: code, value: value, time: .seconds(seconds) + .microseconds(microseconds)))
        }
        return events
    }

    /// The kernel's record of each event.
    static func records(_ events: [InputEvent]) -> [UInt8] {
        events.flatMap { event -> [UInt8] in
            var raw = input_event()
            let (seconds, attoseconds) = event.time.components
            raw.time.tv_sec = Int(seconds)
            raw.time.tv_usec = Int(attoseconds / 1_000_000_000_000)
            raw.type = event.type
            raw.code = event.code
            raw.value = event.value
            return withUnsafeBytes(of: &raw) { Array($0) }
        }
    }

    /// The shared fixtures' copies in IntegrationTests.
    static let fixtures =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("IntegrationTests/Fixtures/evdev").path
}

/// Events written by hand, for a frame at a time: `frame(at: ms, (EV_ABS, ABS_X, 100), ...)` adds the events and
/// their SYN_REPORT.
struct EventScript {
    private(set) var events: [InputEvent] = []

    mutating func frame(at milliseconds: Int, _ items: (Int32, Int32, Int32)...) {
        let time = Duration.milliseconds(milliseconds)
        for (type, code, value) in items {
            events.append(InputEvent(type: UInt16(type), code: UInt16(code), value: value, time: time))
        }
        events.append(InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_REPORT), value: 0, time: time))
    }

    mutating func event(at milliseconds: Int, _ type: Int32, _ code: Int32, _ value: Int32) {
        events.append(
            InputEvent(type: UInt16(type), code: UInt16(code), value: value, time: .milliseconds(milliseconds)))
    }
}
