package import Core
import Synchronization

/// The card port when a keyboard-wedge reader is configured, in front of the backend's own port.
///
/// The state machine answers `.cardInserted` with a `.readCard` effect, and the runtime then asks this port for the
/// UID. A wedge reader has typed the UID already (`WedgeReaderService` sends it as `.cardRead` right after
/// `.cardInserted`), so for a wedge tap this port answers with that same UID and the machine ignores the second
/// `.cardRead`. Without it the PC/SC port would be asked for a card it does not have, and its `.cardReadFailed`,
/// queued behind the wedge's `.cardRead`, would turn a good tap into the "card unreadable" screen.
///
/// A tap answers only while fresh (`freshness`, the card-read limit, after which the machine gives up on a read
/// anyway), and only once: a tap the machine ignored because a session was running must not become the UID of a
/// PC/SC card inserted much later.
package final class WedgeCardPort: CardReader {
    private let fallback: (any CardReader)?
    private let freshness: Duration
    private let lastTap = Mutex<(uid: CardUID, at: ContinuousClock.Instant)?>(nil)

    init(fallback: (any CardReader)?, freshness: Duration) {
        self.fallback = fallback
        self.freshness = freshness
    }

    /// Called for each complete tap, before the events that announce it.
    func tapped(_ uid: CardUID) {
        lastTap.withLock { $0 = (uid, .now) }
    }

    package func readUID() async throws -> CardUID {
        let tap = lastTap.withLock { tap in
            defer { tap = nil }
            return tap
        }
        if let tap, tap.at.duration(to: .now) <= freshness { return tap.uid }
        guard let fallback else { throw NoCard() }
        return try await fallback.readUID()
    }

    package struct NoCard: Error, CustomStringConvertible {
        package var description: String { "no card was tapped on the wedge reader" }
    }
}
