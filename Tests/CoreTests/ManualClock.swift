import NIOConcurrencyHelpers

/// A clock that moves only when a test says so. Its instants are offsets from an arbitrary zero.
///
/// The kiosk state machine never sleeps (the runtime sends `.tick` at `nextWakeUp`), so `sleep(until:)` does not
/// wait: it returns at once if the deadline has passed and throws `CancellationError` otherwise.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol, CustomStringConvertible {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }

        var description: String { "t+\(offset)" }
    }

    private let elapsed: NIOLockedValueBox<Duration>

    init(start: Duration = .zero) { elapsed = NIOLockedValueBox(start) }

    var now: Instant { Instant(offset: elapsed.withLockedValue { $0 }) }
    var minimumResolution: Duration { .zero }

    /// Moves the clock forward (never backward).
    func advance(by duration: Duration) {
        precondition(duration >= .zero, "a manual clock only moves forward")
        elapsed.withLockedValue { $0 += duration }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        if deadline <= now { return }
        throw CancellationError()
    }
}
