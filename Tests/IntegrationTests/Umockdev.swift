import CLinuxIO
import Foundation
import Testing

/// umockdev (Debian package `umockdev`): emulated devices through LD_PRELOAD. The preload must be in the process
/// from its start, so the program under test is a child (the `kiosk` binary), never this test process.
enum Umockdev {
    /// umockdev-run's path; a missing one fails the test with the package to install, never skips it.
    static func runner(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":")
        where FileManager.default.isExecutableFile(
            atPath: "\(directory)/umockdev-run")
        {
            return "\(directory)/umockdev-run"
        }
        Issue.record(
            "umockdev-run is missing: apt-get install umockdev (`make test` installs it)",
            sourceLocation: sourceLocation)
        throw Services.Missing()
    }

    /// umockdev-wrapper's path, for a python script holding a UMockdev.Testbed (plug.py, session.py); missing
    /// umockdev, python3-gi or its typelib fail the test with the packages to install.
    static func wrapper(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let wrapper = try runner(sourceLocation: sourceLocation).replacingOccurrences(
            of: "umockdev-run", with: "umockdev-wrapper")
        let probe = "import gi; gi.require_version('UMockdev', '1.0')"
        guard try await Services.run("/usr/bin/python3", ["-c", probe]).status == 0 else {
            let missing =
                "python3-gi and gir1.2-umockdev-1.0 are missing: apt-get install python3-gi gir1.2-umockdev-1.0"
            Issue.record("\(missing) (`make test` installs them)", sourceLocation: sourceLocation)
            throw Services.Missing()
        }
        return wrapper
    }

    /// The copies of the shared evdev fixtures (Fixtures/evdev/README.md).
    static let fixtures = Bundle.module.bundleURL.appendingPathComponent("Fixtures/evdev").path
    /// Where `wedge.umockdev` puts the reader.
    static let wedgeNode = "/dev/input/event8"

    /// The wedge reader, its events from an evemu `.events` file.
    static func wedge(events: String) -> [String] {
        [
            "-d", "\(fixtures)/wedge.umockdev", "-i", "\(wedgeNode)=\(fixtures)/wedge.ioctl", "-e",
            "\(wedgeNode)=\(events)",
        ]
    }

    /// The wedge reader, its bytes from an umockdev script (`-s`): the way to have a device go away, as killing
    /// umockdev-run hangs up the script's socket under the program.
    static func wedge(script: String) -> [String] {
        [
            "-d", "\(fixtures)/wedge.umockdev", "-i", "\(wedgeNode)=\(fixtures)/wedge.ioctl", "-s",
            "\(wedgeNode)=\(script)",
        ]
    }
}

/// Key events written the way the shared fixture writes them: each key pressed, released 4 ms later, every edge
/// followed by a SYN_REPORT, a key every 8 ms. umockdev replays them with the same gaps and timestamps.
struct KeyStream {
    struct Record {
        var time: Duration
        var type: Int32
        var code: Int32
        var value: Int32
    }

    private(set) var records: [Record] = []
    var time: Duration = .milliseconds(300)

    static let codes: [Character: Int32] = [
        "1": KEY_1, "2": KEY_2, "3": KEY_3, "4": KEY_4, "5": KEY_5, "6": KEY_6, "7": KEY_7, "8": KEY_8, "9": KEY_9,
        "0": KEY_0, "A": KEY_A, "B": KEY_B, "C": KEY_C, "D": KEY_D, "E": KEY_E, "F": KEY_F, "\n": KEY_ENTER,
        "Q": KEY_Q, "#": KEY_3,
    ]

    /// Types `text` ("\n" is Enter) a key every `step`.
    mutating func type(_ text: String, step: Duration = .milliseconds(8)) {
        for character in text {
            let code = Self.codes[character]!
            key(code, 1)
            key(code, 0, after: step / 2)
            time += step / 2
        }
    }

    /// One key edge (1 pressed, 0 released, 2 autorepeat) and its SYN_REPORT, `after` the previous one.
    mutating func key(_ code: Int32, _ value: Int32, after: Duration = .zero) {
        time += after
        records.append(Record(time: time, type: EV_KEY, code: code, value: value))
        records.append(Record(time: time, type: EV_SYN, code: SYN_REPORT, value: 0))
    }

    mutating func pause(_ duration: Duration) { time += duration }

    /// Any events as one frame (then its SYN_REPORT), `after` the previous one: touch streams use it.
    mutating func raw(_ items: [(type: Int32, code: Int32, value: Int32)], after: Duration = .zero) {
        time += after
        for item in items { records.append(Record(time: time, type: item.type, code: item.code, value: item.value)) }
        records.append(Record(time: time, type: EV_SYN, code: SYN_REPORT, value: 0))
    }

    /// The evemu text umockdev-run's `-e` plays.
    var evemu: String {
        func hex(_ value: Int32) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
        return
            (["# EVEMU 1.3"]
            + records.map { record in
                let (seconds, attoseconds) = record.time.components
                let microseconds = attoseconds / 1_000_000_000_000
                let fraction = String(microseconds)
                let padded = String(repeating: "0", count: 6 - fraction.count) + fraction
                return "E: \(seconds).\(padded) \(hex(record.type)) \(hex(record.code)) \(record.value)"
            }).joined(separator: "\n") + "\n"
    }

    /// An umockdev script (`-s`) that hands out the records as raw `struct input_event` bytes in one read, then
    /// nothing: bytes up to 32 and `^` escaped as the script format wants, the rest verbatim.
    var script: Data {
        var bytes: [UInt8] = []
        for record in records {
            var event = input_event()
            let (seconds, attoseconds) = record.time.components
            event.time.tv_sec = Int(seconds)
            event.time.tv_usec = Int(attoseconds / 1_000_000_000_000)
            event.type = UInt16(record.type)
            event.code = UInt16(record.code)
            event.value = record.value
            bytes += withUnsafeBytes(of: &event) { Array($0) }
        }
        var line = Array("r 0 ".utf8)
        for byte in bytes {
            switch byte {
            case 0...32: line += [UInt8(ascii: "^"), byte + 64]
            case UInt8(ascii: "^"): line += Array("^`".utf8)
            default: line.append(byte)
            }
        }
        return Data(line + [UInt8(ascii: "\n")])
    }
}

/// A program under umockdev-run whose output the test follows line by line while it runs (stdout and stderr
/// together), for scenarios that act in the middle: unplugging the device.
final class FollowedProcess {
    let process = Process()
    let lines = EventLog<String>()

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        await lines.record(stream)
        try process.run()
        let reading = pipe.fileHandleForReading
        // The pipe stays open as long as any child holds it: its end is the end of every process under umockdev.
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = reading.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 10) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
            }
            if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
            continuation.yield("<end of output>")
            continuation.finish()
        }
        thread.start()
    }

    /// The first line containing `text`, waiting up to `limit` for it.
    func line(containing text: String, limit: Duration = .seconds(60)) async -> String? {
        await lines.waitFor(limit: limit) { $0.contains(text) }
    }

    var output: String {
        get async { await lines.events.joined(separator: "\n") }
    }
}
