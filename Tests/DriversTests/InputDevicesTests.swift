import CLinuxIO
import Core
import Foundation
import Glibc
import NIOConcurrencyHelpers
import Testing

@testable import Drivers

/// `InputDevices` with pipes standing in for device nodes: the folder is a temporary one holding plain files named
/// eventN (their inodes identify them, as a node's would), and the prober hands out a pipe-backed `EvdevDevice` of
/// the kind the test says. Raw `struct input_event` records written into the pipe then run through the real
/// reading thread, the decoders and the hotplug watch; closing the pipe's write end is an unplug (poll's hang-up).
@Suite("InputDevices: touch panels and keypads read, dropped and found again", .timeLimit(.minutes(1)))
struct InputDevicesTests {
    /// A temporary folder standing in for /dev/input.
    final class Folder: @unchecked Sendable {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("input-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        func create(_ name: String) { FileManager.default.createFile(atPath: path + "/" + name, contents: nil) }
        func remove(_ name: String) { try? FileManager.default.removeItem(atPath: path + "/" + name) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Hands out pipe devices and keeps their write ends, by path.
    final class Pipes: Sendable {
        /// The write ends by device name, and the names opened, in order.
        private let state = NIOLockedValueBox<(writers: [String: CInt], opened: [String])>(([:], []))
        let kinds: [String: InputDevices.Kind]
        let touchProtocol: TouchPanel.TouchProtocol

        /// Nodes whose open is refused with this errno (EPERM: a cgroup device filter, EACCES: no group).
        let refused: [String: Int32]

        init(
            kinds: [String: InputDevices.Kind], touchProtocol: TouchPanel.TouchProtocol = .multiTouchB,
            refused: [String: Int32] = [:]
        ) {
            self.kinds = kinds
            self.touchProtocol = touchProtocol
            self.refused = refused
        }

        func probe(_ path: String, _ wanted: Set<InputDevices.Kind>, _ configuration: InputDevices.Configuration)
            throws(InputError) -> InputDevices.Probe?
        {
            let name = (path as NSString).lastPathComponent
            if let code = refused[name] { throw InputError(code: code, call: "open", device: path) }
            guard let kind = kinds[name], wanted.contains(kind) else { return nil }
            var fds: [CInt] = [-1, -1]
            guard pipe(&fds) == 0 else { throw InputError(code: errno, call: "pipe", device: path) }
            _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
            let device = try EvdevDevice(descriptor: fds[0], path: path, name: "Pipe \(name)", monotonicTime: true)
            let range = AxisRange(minimum: 0, maximum: 4095)
            state.withLockedValue {
                $0.writers[name] = fds[1]
                $0.opened.append(name)
            }
            return InputDevices.Probe(
                device: device, kind: kind,
                touch: kind == .touch
                    ? TouchPanel(
                        touchProtocol: touchProtocol, xRange: range, yRange: range,
                        calibration: configuration.calibration ?? .identity) : nil)
        }

        func write(_ name: String, _ events: [InputEvent]) {
            let bytes = Evemu.records(events)
            // A device the reader never opened (a test that ran out of time, say) is an issue of that test, not a crash
            // of the whole run.
            guard let fd = state.withLockedValue({ $0.writers[name] }) else {
                Issue.record("\(name) was never opened")
                return
            }
            #expect(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
        }

        /// Unplugs: the reader sees the hang-up.
        func unplug(_ name: String) {
            guard let fd = state.withLockedValue({ $0.writers.removeValue(forKey: name) }) else {
                Issue.record("\(name) was never opened")
                return
            }
            close(fd)
        }

        var openCount: Int { state.withLockedValue { $0.opened.count } }

        deinit { for fd in state.withLockedValue({ $0.writers.values }) { close(fd) } }
    }

    /// What the pipes' touch panels say of themselves: 0...4095, uncalibrated.
    static let touchFacts = InputDevices.TouchFacts(
        touchProtocol: .multiTouchB, xRange: AxisRange(minimum: 0, maximum: 4095),
        yRange: AxisRange(minimum: 0, maximum: 4095), calibration: .identity, calibrationSource: .none)

    static func devices(
        _ folder: Folder, _ pipes: Pipes, touch: InputDevices.Selection = .none,
        keypad: InputDevices.Selection = .none, excluded: [String] = []
    ) -> InputDevices {
        InputDevices(
            configuration: .init(touch: touch, keypad: keypad, folder: folder.path, excluded: excluded),
            prober: pipes.probe)
    }

    /// The next event that is not a connection or a problem report... or any event, with `all`.
    static func next(_ iterator: inout AsyncStream<InputDevices.Event>.Iterator) async -> InputDevices.Event? {
        await iterator.next()
    }

    static func tap(x: Int32, y: Int32, at ms: Int) -> [InputEvent] {
        var script = EventScript()
        script.frame(
            at: ms, (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, 1), (EV_ABS, ABS_MT_POSITION_X, x),
            (EV_ABS, ABS_MT_POSITION_Y, y))
        script.frame(at: ms + 80, (EV_ABS, ABS_MT_TRACKING_ID, -1))
        return script.events
    }

    static func keys(_ codes: [Int32], from ms: Int) -> [InputEvent] {
        var script = EventScript()
        for (index, code) in codes.enumerated() {
            script.frame(at: ms + index * 8, (EV_KEY, code, 1))
            script.frame(at: ms + index * 8 + 2, (EV_KEY, code, 2))  // autorepeat: ignored
            script.frame(at: ms + index * 8 + 4, (EV_KEY, code, 0))
        }
        return script.events
    }

    /// Auto mode reports a node the kiosk may not open (a missing group or DeviceAllow=), once, and goes on with
    /// the others; a node that is simply none of the kinds stays quiet.
    @Test func autoReportsANodeItMayNotOpen() async throws {
        let folder = try Folder()
        folder.create("event1")
        folder.create("event2")
        folder.create("event3")
        let pipes = Pipes(kinds: ["event3": .keypad], refused: ["event1": EPERM])
        let devices = Self.devices(folder, pipes, touch: .auto, keypad: .auto)
        var iterator = devices.events().makeAsyncIterator()
        let first = await iterator.next()
        guard case .unavailable(let path, let problem) = first else {
            Issue.record("expected the refused node reported, got \(String(describing: first))")
            return
        }
        #expect(path == folder.path + "/event1")
        #expect(problem.contains("may not be read by this user") && problem.contains("DeviceAllow=char-input"))
        #expect(await iterator.next() == .connected(path: folder.path + "/event3", name: "Pipe event3", kind: .keypad,
                                                    detail: "keys"))
    }

    @Test func autoFindsATouchPanelAndAKeypadAndReadsBoth() async throws {
        let folder = try Folder()
        folder.create("event3")
        folder.create("event10")
        folder.create("mouse0")  // not an event node: never probed
        let pipes = Pipes(kinds: ["event3": .touch, "event10": .keypad])
        let devices = Self.devices(folder, pipes, touch: .auto, keypad: .auto)
        var iterator = devices.events().makeAsyncIterator()
        let first = await iterator.next()
        let second = await iterator.next()
        // event3 before event10: numerically.
        #expect(
            first
                == .connected(
                    path: folder.path + "/event3", name: "Pipe event3", kind: .touch,
                    detail: "multi-touch B, x 0...4095, y 0...4095", touch: Self.touchFacts))
        #expect(
            second == .connected(path: folder.path + "/event10", name: "Pipe event10", kind: .keypad, detail: "keys"))

        pipes.write("event10", Self.keys([KEY_KP4, KEY_ENTER], from: 100))
        #expect(await iterator.next() == .key(.digit(4)))
        #expect(await iterator.next() == .key(.enter))

        pipes.write("event3", Self.tap(x: 2048, y: 1024, at: 500))
        let point = TouchCalibration.identity.point(
            x: 2048, y: 1024, xRange: AxisRange(minimum: 0, maximum: 4095), yRange: AxisRange(minimum: 0, maximum: 4095)
        )
        #expect(await iterator.next() == .touch(TouchContact(.down, point, at: .milliseconds(500))))
        #expect(await iterator.next() == .touch(TouchContact(.up, point, at: .milliseconds(580))))
    }

    @Test func protocolAAndSingleTouchPanelsReadThroughThePipeToo() async throws {
        for touchProtocol in [TouchPanel.TouchProtocol.multiTouchA, .singleTouch] {
            let folder = try Folder()
            folder.create("event1")
            let pipes = Pipes(kinds: ["event1": .touch], touchProtocol: touchProtocol)
            let devices = Self.devices(folder, pipes, touch: .path(folder.path + "/event1"))
            var iterator = devices.events().makeAsyncIterator()
            guard case .connected = await iterator.next() else {
                Issue.record("not connected")
                return
            }
            var script = EventScript()
            if touchProtocol == .multiTouchA {
                script.event(at: 10, EV_ABS, ABS_MT_POSITION_X, 100)
                script.event(at: 10, EV_ABS, ABS_MT_POSITION_Y, 200)
                script.event(at: 10, EV_SYN, SYN_MT_REPORT, 0)
                script.frame(at: 10)
                script.event(at: 90, EV_SYN, SYN_MT_REPORT, 0)
                script.frame(at: 90)
            } else {
                script.frame(at: 10, (EV_ABS, ABS_X, 100), (EV_ABS, ABS_Y, 200), (EV_KEY, BTN_TOUCH, 1))
                script.frame(at: 90, (EV_KEY, BTN_TOUCH, 0))
            }
            pipes.write("event1", script.events)
            let down = await iterator.next()
            let up = await iterator.next()
            guard case .touch(let d) = down, case .touch(let u) = up else {
                Issue.record("\(touchProtocol): \(String(describing: down)), \(String(describing: up))")
                continue
            }
            #expect(d.phase == .down && u.phase == .up && u.time == .milliseconds(90), "\(touchProtocol)")
        }
    }

    @Test func anUnpluggedDeviceIsDroppedTheOthersGoOnAndItIsFoundWhenItComesBack() async throws {
        let folder = try Folder()
        folder.create("event1")
        folder.create("event2")
        let pipes = Pipes(kinds: ["event1": .keypad, "event2": .keypad])
        let devices = Self.devices(folder, pipes, keypad: .auto)
        var iterator = devices.events().makeAsyncIterator()
        for _ in 0..<2 {
            guard case .connected = await iterator.next() else { Issue.record("not connected"); return }
        }
        pipes.unplug("event1")
        let removed = await iterator.next()
        #expect(
            removed
                == .removed(
                    path: folder.path + "/event1",
                    error: InputError(code: ENODEV, call: "poll", device: folder.path + "/event1")))
        // The other keypad still types.
        pipes.write("event2", Self.keys([KEY_1], from: 10))
        #expect(await iterator.next() == .key(.digit(1)))
        // The node comes back (a new inode, as udev makes it): the folder watch finds it.
        folder.remove("event1")
        folder.create("event1")
        #expect(
            await iterator.next()
                == .connected(path: folder.path + "/event1", name: "Pipe event1", kind: .keypad, detail: "keys"))
        pipes.write("event1", Self.keys([KEY_ESC], from: 10))
        #expect(await iterator.next() == .key(.escape))
        // Three opens: each node once, event1 again after it came back; the attribute changes and the second
        // creation event did not open event2 twice.
        #expect(pipes.openCount == 3)
    }

    @Test func aLinkToAnOpenNodeIsTheSameDeviceAndAnExcludedNodeIsLeftAlone() async throws {
        let folder = try Folder()
        folder.create("event1")
        folder.create("event2")
        try FileManager.default.linkItem(atPath: folder.path + "/event1", toPath: folder.path + "/event5")
        let pipes = Pipes(kinds: ["event1": .keypad, "event2": .keypad, "event5": .keypad])
        let devices = Self.devices(folder, pipes, keypad: .auto, excluded: [folder.path + "/event2"])
        var iterator = devices.events().makeAsyncIterator()
        #expect(
            await iterator.next()
                == .connected(path: folder.path + "/event1", name: "Pipe event1", kind: .keypad, detail: "keys"))
        // A change in the folder makes it look again: still nothing new to open.
        folder.create("event9")
        pipes.write("event1", Self.keys([KEY_2], from: 10))
        #expect(await iterator.next() == .key(.digit(2)))
        #expect(pipes.openCount == 1)
    }

    @Test func aMissingConfiguredDeviceIsReportedOnceAndOpenedWhenItAppears() async throws {
        let folder = try Folder()
        let pipes = Pipes(kinds: ["event4": .touch])
        let path = folder.path + "/event4"
        let devices = Self.devices(folder, pipes, touch: .path(path))
        var iterator = devices.events().makeAsyncIterator()
        let missing = await iterator.next()
        guard case .unavailable(path, let problem) = missing else {
            Issue.record("\(String(describing: missing))")
            return
        }
        #expect(problem.contains("does not exist"))
        folder.create("other")  // a change that does not bring it: no second report
        folder.create("event4")
        #expect(
            await iterator.next()
                == .connected(
                    path: path, name: "Pipe event4", kind: .touch, detail: "multi-touch B, x 0...4095, y 0...4095",
                    touch: Self.touchFacts))
    }

    @Test func stoppingTheIterationClosesTheDevices() async throws {
        let folder = try Folder()
        folder.create("event1")
        let pipes = Pipes(kinds: ["event1": .keypad])
        let devices = Self.devices(folder, pipes, keypad: .auto)
        let task = Task {
            var count = 0
            for await _ in devices.events() { count += 1 }
            return count
        }
        // Until it connected... then cancel: the stream ends (the drain limit only turns a hang into a failure).
        while pipes.openCount == 0 { await Task.yield() }
        task.cancel()
        let count = await task.value
        #expect(count <= 1)
    }

    @Test func theRealProberRefusesAFileThatIsNoEvdevNode() throws {
        let folder = try Folder()
        folder.create("event1")
        #expect(throws: InputError.self) {
            _ = try InputDevices.probe(
                folder.path + "/event1", wanted: [.keypad],
                configuration: .init(touch: .none, keypad: .auto, folder: folder.path))
        }
    }
}
