import CLinuxIO
import Foundation
import Glibc
import Testing

@testable import Drivers

/// `EvdevDevice` on real descriptors. A pipe stands in for the device node (this machine has no /dev/uinput), so
/// the reading thread, the wake-up pipe and the end of a device run for real; the umockdev suite in
/// IntegrationTests opens an emulated evdev node through the public initialiser.
@Suite("EvdevDevice: reading struct input_event records on a thread of its own", .timeLimit(.minutes(1)))
struct EvdevDeviceTests {
    /// One record as the kernel writes it.
    static func record(seconds: Int, microseconds: Int, type: Int32, code: Int32, value: Int32) -> [UInt8] {
        var event = input_event()
        event.time.tv_sec = seconds
        event.time.tv_usec = microseconds
        event.type = UInt16(type)
        event.code = UInt16(code)
        event.value = value
        return withUnsafeBytes(of: &event) { Array($0) }
    }

    /// A device reading the read end of a new pipe; returns it and the write end.
    static func pipeDevice() throws -> (EvdevDevice, CInt) {
        var fds: [CInt] = [-1, -1]
        #expect(pipe(&fds) == 0)
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        let device = try EvdevDevice(descriptor: fds[0], path: "test-pipe", name: "Test Pipe", monotonicTime: false)
        return (device, fds[1])
    }

    static func write(_ fd: CInt, _ bytes: [UInt8]) {
        #expect(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
    }

    @Test func theRecordIsTheKernelsTwentyFourBytes() {
        #expect(Evdev.eventSize == 24)
        #expect(MemoryLayout<input_event>.size == 24)
    }

    @Test func eventsArriveInOrderWithTheirTimesEvenWhenSplitMidRecord() async throws {
        let (device, writer) = try Self.pipeDevice()
        device.start()
        let bytes =
            Self.record(seconds: 5, microseconds: 304_000, type: EV_KEY, code: KEY_2, value: 1)
            + Self.record(seconds: 5, microseconds: 304_000, type: EV_SYN, code: SYN_REPORT, value: 0)
            + Self.record(seconds: 5, microseconds: 308_000, type: EV_KEY, code: KEY_2, value: 0)
        Self.write(writer, Array(bytes[..<30]))  // a record and a quarter: the rest must wait for the next read
        try await Task.sleep(for: .milliseconds(50))
        Self.write(writer, Array(bytes[30...]))
        var iterator = device.events.makeAsyncIterator()
        var events: [EvdevDevice.Event] = []
        for _ in 0..<3 { events.append(try #require(await iterator.next())) }
        #expect(
            events == [
                .input(InputEvent(type: 1, code: 3, value: 1, time: .seconds(5) + .microseconds(304_000))),
                .input(InputEvent(type: 0, code: 0, value: 0, time: .seconds(5) + .microseconds(304_000))),
                .input(InputEvent(type: 1, code: 3, value: 0, time: .seconds(5) + .microseconds(308_000))),
            ])
        // The end of the pipe is the end of the device: poll's hang-up, as for an unplugged evdev node.
        close(writer)
        #expect(await iterator.next() == .failed(InputError(code: ENODEV, call: "poll", device: "test-pipe")))
        #expect(await iterator.next() == nil)
    }

    @Test func aDeviceThatGoesAwayEndsTheStreamWithUnplugged() async throws {
        let (device, writer) = try Self.pipeDevice()
        device.start()
        close(writer)
        let events = try #require(await drain(device.events))
        guard case .failed(let error) = events.last else {
            Issue.record("expected a failure, got \(events)")
            return
        }
        #expect(events.count == 1)
        #expect(error.isUnplugged)
        #expect("\(error)".contains("test-pipe was unplugged"))
    }

    @Test func stopEndsTheWaitAtOnceWithoutAnError() async throws {
        let (device, writer) = try Self.pipeDevice()
        defer { close(writer) }
        device.start()
        Task {
            try await Task.sleep(for: .milliseconds(100))
            device.stop()
        }
        // Without stop() the wait on the empty pipe never ends: the stream finishing at all is the proof (the
        // limit is only a backstop, far above any scheduling delay; no duration is asserted).
        let events = try #require(await drain(device.events), "stop() ends the stream")
        #expect(events.isEmpty)
        device.stop()  // twice is harmless
    }

    @Test func aDeviceStoppedBeforeItStartsFinishesItsStream() async throws {
        let (device, writer) = try Self.pipeDevice()
        defer { close(writer) }
        device.stop()
        device.start()  // too late: it stays stopped
        #expect(await drain(device.events) == [])
    }

    @Test func aMissingDeviceIsNotFound() {
        let path = "/dev/input/by-id/usb-none-event-kbd-\(UUID().uuidString)"
        #expect {
            _ = try EvdevDevice(path: path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.code == ENOENT && error.call == "open" && "\(error)".contains("\(path) does not exist")
        }
    }

    @Test func aFileThatIsNoInputDeviceIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-evdev-\(UUID())").path
        try Data("1376422841\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try EvdevDevice(path: path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.code == ENOTTY && error.call == "EVIOCGNAME"
                && "\(error)".contains("is not an input event device") && !"\(error)".contains("1376")
        }
    }

    @Test(arguments: [
        (EACCES, "open", "group `input`"), (EBUSY, "EVIOCGRAB", "held by another program"),
        (ENODEV, "read", "was unplugged"), (EIO, "read", "Input/output error"),
    ])
    func errorsSayWhatToDo(code: Int32, call: String, advice: String) {
        let text = "\(InputError(code: code, call: call, device: "/dev/input/event8"))"
        #expect(text.hasPrefix("/dev/input/event8 "))
        #expect(text.contains(advice))
        #expect(text.contains("(\(call), errno \(code))"))
    }
}
