public import Core
import Foundation
import NIOConcurrencyHelpers

/// One evdev input device, `/dev/input/eventN`: a keyboard-wedge card reader, a keypad, a touch panel.
///
/// Opening reads the device's name (which also proves the path is an evdev node) and, unless told not to, grabs
/// it (EVIOCGRAB): its keys then reach this process only, never the console or a getty underneath, so a card
/// number typed by a wedge reader cannot end up at a login prompt. `start()` reads events on a thread of its own,
/// blocked in poll(2) on the device and a wake-up pipe: an idle device costs nothing, and `stop()` writes one byte
/// to the pipe to end the wait at once.
///
/// A device that goes away (unplugged, or its access revoked) ends `events` with `.failed` where the error
/// `isUnplugged`: the descriptor is dead for good, so whoever wants the device back opens its path again
/// (`WedgeReader` does). `stop()` ends `events` without an error.
public final class EvdevDevice: Sendable {
    public enum Event: Hashable, Sendable {
        case input(InputEvent)
        /// Reading failed; nothing follows.
        case failed(InputError)
    }

    /// The path it was opened by, as configured (a `/dev/input/by-id/` link stays a link).
    public let path: String
    /// The device's own name (EVIOCGNAME).
    public let name: String
    /// Whether event times come from `CLOCK_MONOTONIC` (else the wall clock).
    public let monotonicTime: Bool
    /// Every event in order, from `start()` until `stop()` or a failure.
    public let events: AsyncStream<Event>

    private let continuation: AsyncStream<Event>.Continuation
    private let fd: CInt
    private let wakeRead: CInt
    private let wakeWrite: CInt
    private let shared = NIOLockedValueBox<Shared>(Shared())

    private struct Shared {
        var started = false
        var stopped = false
        /// The descriptors are closed: nothing may touch them (their numbers may already belong to another file).
        var closed = false
    }

    /// Opens and, with `grab`, takes the device for this process alone.
    public convenience init(path: String, grab: Bool = true) throws(InputError) {
        let fd = try Evdev.open(path)
        let name: String
        do {
            name = try Evdev.name(fd, device: path)
            if grab { try Evdev.grab(fd, device: path) }
        } catch {
            Evdev.close(fd)
            throw error
        }
        try self.init(descriptor: fd, path: path, name: name, monotonicTime: Evdev.useMonotonicClock(fd))
    }

    /// Takes over an open descriptor that gives `struct input_event` records (it is closed with the device).
    /// The public initialiser opens the node; tests hand in a pipe to drive the reading thread byte by byte.
    init(descriptor fd: CInt, path: String, name: String, monotonicTime: Bool) throws(InputError) {
        let pipe: (read: CInt, write: CInt)
        do {
            pipe = try Evdev.makeWakePipe(device: path)
        } catch {
            Evdev.close(fd)
            throw error
        }
        self.path = path
        self.name = name
        self.fd = fd
        (wakeRead, wakeWrite) = pipe
        self.monotonicTime = monotonicTime
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
        // A consumer that stops listening (its task cancelled) stops the reading too.
        continuation.onTermination = { [weak self] _ in self?.stop() }
    }

    deinit {
        // A started device was closed by its thread, which holds the device until it ends: this closes the
        // descriptors of one that never started.
        closeDescriptors()
    }

    /// The codes of one event type the device can send (EVIOCGBIT), e.g. which keys it has for `EV_KEY`.
    public func codes(ofType type: UInt16) throws(InputError) -> Set<UInt16> {
        // Under the lock: once the reading thread has closed the descriptor, its number may be another file's.
        try locked { state throws(InputError) in
            guard !state.closed else { throw InputError(code: EBADF, call: "EVIOCGBIT", device: path) }
            return try Evdev.codes(fd, type: type, device: path)
        }
    }

    /// Takes the device for this process alone (EVIOCGRAB), after it was opened without: a device is classified
    /// first, so a mouse or a keyboard the kiosk does not want is never taken from anyone.
    public func grab() throws(InputError) {
        try locked { state throws(InputError) in
            guard !state.closed else { throw InputError(code: EBADF, call: "EVIOCGRAB", device: path) }
            try Evdev.grab(fd, device: path)
        }
    }

    /// An absolute axis's current value and range (EVIOCGABS), e.g. `ABS_MT_POSITION_X` of a touch panel.
    public func axis(_ code: UInt16) throws(InputError) -> (value: Int32, range: AxisRange) {
        try locked { state throws(InputError) in
            guard !state.closed else { throw InputError(code: EBADF, call: "EVIOCGABS", device: path) }
            return try Evdev.axis(fd, Int32(code), device: path)
        }
    }

    /// The keys and buttons down now (EVIOCGKEY), e.g. whether `BTN_TOUCH` is.
    public func keysDown() throws(InputError) -> Set<UInt16> {
        try locked { state throws(InputError) in
            guard !state.closed else { throw InputError(code: EBADF, call: "EVIOCGKEY", device: path) }
            return try Evdev.keysDown(fd, device: path)
        }
    }

    /// The current value of a multi-touch code (`ABS_MT_TRACKING_ID`, `ABS_MT_POSITION_X`...) in slots 0..<count
    /// (EVIOCGMTSLOTS).
    public func slotValues(_ code: UInt16, count: Int) throws(InputError) -> [Int32] {
        try locked { state throws(InputError) in
            guard !state.closed else { throw InputError(code: EBADF, call: "EVIOCGMTSLOTS", device: path) }
            return try Evdev.slotValues(fd, code: Int32(code), count: count, device: path)
        }
    }

    /// The node's major and minor device number (fstat(2)): the name of its udev database entry.
    public func deviceNumber() throws(InputError) -> (major: UInt32, minor: UInt32) {
        try locked { state throws(InputError) in
            guard !state.closed else { throw InputError(code: EBADF, call: "fstat", device: path) }
            return try Evdev.deviceNumber(fd, device: path)
        }
    }

    /// Starts the reading thread; events flow until `stop()` or a failure.
    public func start() {
        let first = shared.withLockedValue { state in
            defer { state.started = true }
            return !state.started && !state.stopped
        }
        guard first else { return }
        let thread = Thread { [self] in run() }
        thread.name = "evdev-reader"
        thread.start()
    }

    /// Ends the wait (through the wake-up pipe) and the thread; `events` finishes. The grab goes with the descriptor.
    public func stop() {
        let finishNow = shared.withLockedValue { state in
            guard !state.stopped else { return false }
            state.stopped = true
            if state.started {
                if !state.closed { Evdev.wake(wakeWrite) }
                return false
            }
            return true
        }
        if finishNow {
            closeDescriptors()
            continuation.finish()
        }
    }

    /// `body` under the lock, keeping its typed error (`withLockedValue` only rethrows).
    private func locked<T>(_ body: (inout Shared) throws(InputError) -> T) throws(InputError) -> T {
        try shared.withLockedValue { state in Result { () throws(InputError) in try body(&state) } }.get()
    }

    private func closeDescriptors() {
        shared.withLockedValue { state in
            guard !state.closed else { return }
            state.closed = true
            for descriptor in [fd, wakeRead, wakeWrite] { Evdev.close(descriptor) }
        }
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: Evdev.eventSize * 64)
        var pending: [UInt8] = []  // a partial record, which a real evdev node never returns but a pipe may
        var failure: InputError?
        reading: while true {
            switch Evdev.wait(device: fd, wake: wakeRead) {
            case .woken:
                break reading
            case .hungUp:
                failure = InputError(code: ENODEV, call: "poll", device: path)
                break reading
            case .failed(let code):
                failure = InputError(code: code, call: "poll", device: path)
                break reading
            case .readable:
                // poll(2) is level-triggered: one read per wake-up unless it filled the buffer, since fewer bytes
                // mean the queue was empty. It spares a read that only says EAGAIN (under umockdev every read is a
                // round trip to umockdev-run).
                draining: while true {
                    let result = buffer.withUnsafeMutableBytes { Evdev.read(fd, into: $0) }
                    switch result {
                    case .bytes(let count):
                        pending.append(contentsOf: buffer[..<count])
                        let whole = pending.count - pending.count % Evdev.eventSize
                        let decoded = pending.withUnsafeBytes {
                            Evdev.decode(UnsafeRawBufferPointer(rebasing: $0[..<whole]))
                        }
                        for event in decoded { continuation.yield(.input(event)) }
                        pending.removeFirst(whole)
                        if count < buffer.count { break draining }
                    case .drained:
                        break draining
                    case .endOfFile:
                        failure = InputError(code: ENODEV, call: "read", device: path)
                        break reading
                    case .failed(let code):
                        failure = InputError(code: code, call: "read", device: path)
                        break reading
                    }
                }
            }
        }
        closeDescriptors()
        if let failure { continuation.yield(.failed(failure)) }
        continuation.finish()
    }
}
