import CLinuxIO
public import Core
import NIOConcurrencyHelpers

/// A keyboard-wedge card reader: a USB keyboard that types each card's UID and Enter. Reads its evdev device
/// (grabbed, so the numbers never reach the console) and turns its keys into card UIDs through Core's
/// `WedgeDecoder`.
///
/// The reader may be missing at start or unplugged at any time. It is then opened again every `retryInterval`
/// (one second by default) until it answers: a retry interval rather than inotify on /dev/input, because a
/// `/dev/input/by-id/` link appears after the event node and its folder can vanish and come back with the last
/// USB input device, which a watch on one folder misses; one failed open(2) a second costs nothing. The wait is a
/// cancellable sleep, so `stop()` ends it at once.
public final class WedgeReader: Sendable {
    public enum Event: Hashable, Sendable {
        /// The reader is open: at start, and each time it comes back. Its evdev name, and whether it has digit
        /// and Enter keys: a USB reader often has a second event node (`...-if01-event-kbd`, media keys) that never
        /// types a number, and a technician who configured that one needs telling.
        case connected(name: String, typesNumbers: Bool)
        /// A complete number and Enter.
        case card(CardUID)
        /// Typed input that is not a card number; the reason never holds what was typed.
        case rejected(WedgeDecoder.Rejection)
        /// The reader went away or cannot be opened; it is tried again every `retryInterval`. Reported when the
        /// problem starts or changes, not at every retry.
        case unavailable(InputError)
    }

    /// The configured device path (`/dev/input/by-id/usb-...-event-kbd`).
    public let path: String
    public let events: AsyncStream<Event>

    private let continuation: AsyncStream<Event>.Continuation
    private let grab: Bool
    private let decoder: WedgeDecoder
    private let retryInterval: Duration
    private let task = NIOLockedValueBox<(started: Bool, task: Task<Void, Never>?)>((false, nil))

    /// `grab: false` leaves the keys visible to others too (to watch the reader with `evtest` beside the kiosk).
    public init(
        path: String, grab: Bool = true, decoder: WedgeDecoder = WedgeDecoder(), retryInterval: Duration = .seconds(1)
    ) {
        self.path = path
        self.grab = grab
        self.decoder = decoder
        self.retryInterval = retryInterval
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
        continuation.onTermination = { [weak self] _ in self?.stop() }
    }

    /// Opens the reader (or starts waiting for it); events flow until `stop()`.
    public func start() {
        task.withLockedValue { state in
            guard !state.started else { return }
            state.started = true
            state.task = Task { [self] in
                await run()
                continuation.finish()
            }
        }
    }

    /// Closes the reader or ends the wait for it; `events` finishes.
    public func stop() {
        let running = task.withLockedValue { state in
            defer { state.started = true }  // a reader stopped before it started never starts
            return state.task
        }
        if let running { running.cancel() } else { continuation.finish() }
    }

    private func run() async {
        var problem: InputError?
        while !Task.isCancelled {
            let device: EvdevDevice
            do {
                device = try EvdevDevice(path: path, grab: grab)
            } catch {
                if error != problem { continuation.yield(.unavailable(error)) }
                problem = error
                try? await Task.sleep(for: retryInterval)
                continue
            }
            problem = nil
            continuation.yield(.connected(name: device.name, typesNumbers: Self.typesNumbers(device)))
            device.start()
            var decoder = self.decoder
            for await event in device.events {
                switch event {
                case .input(let input):
                    if let outcome = Self.decode(input, with: &decoder) {
                        switch outcome {
                        case .card(let uid): continuation.yield(.card(uid))
                        case .rejected(let reason): continuation.yield(.rejected(reason))
                        }
                    }
                case .failed(let error):
                    problem = error
                    continuation.yield(.unavailable(error))
                }
            }
            device.stop()
            if problem != nil { try? await Task.sleep(for: retryInterval) }
        }
    }

    /// Whether the device has Enter and the ten digits (main row or keypad); `true` when it will not say.
    static func typesNumbers(_ device: EvdevDevice) -> Bool {
        guard let keys = try? device.codes(ofType: UInt16(EV_KEY)) else { return true }
        return KeyCodes.typesNumbers(keys)
    }

    /// Feeds one evdev event to the decoder: key events with the keys a reader types, and the kernel's notice that
    /// it dropped events (`SYN_DROPPED`), which spoils a number being typed.
    package static func decode(_ event: InputEvent, with decoder: inout WedgeDecoder) -> WedgeDecoder.Outcome? {
        switch Int32(event.type) {
        case EV_KEY:
            guard let action = action(event.value), let key = key(event.code) else { return nil }
            return decoder.handle(key, action, at: event.time)
        case EV_SYN where Int32(event.code) == SYN_DROPPED:
            return decoder.eventsLost()
        default:
            return nil
        }
    }

    static func action(_ value: Int32) -> KeyAction? {
        switch value {
        case 0: .released
        case 1: .pressed
        case 2: .repeated
        default: nil
        }
    }

    /// The decoder's key for an evdev key code; `nil` for keys that carry nothing and are skipped: Shift (readers
    /// that type hex in upper case hold it) and the lock keys (some readers toggle Num Lock around keypad digits).
    static func key(_ code: UInt16) -> WedgeKey? {
        if let digit = KeyCodes.digit(code) { return .digit(UInt8(digit)) }
        if KeyCodes.isEnter(code) { return .enter }
        return switch Int32(code) {
        case KEY_A: .hexLetter(10)
        case KEY_B: .hexLetter(11)
        case KEY_C: .hexLetter(12)
        case KEY_D: .hexLetter(13)
        case KEY_E: .hexLetter(14)
        case KEY_F: .hexLetter(15)
        case KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_NUMLOCK, KEY_CAPSLOCK: nil
        default: .other
        }
    }
}
