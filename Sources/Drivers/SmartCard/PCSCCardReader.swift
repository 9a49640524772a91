public import Core
import Dispatch
import Synchronization

/// Core's `CardReader` port over PC/SC: reads the UID of the card on the reader where the monitor last saw one.
///
/// Card I/O blocks (the reader talks to the card over the air), so it runs on a serial dispatch queue of its own
/// and never on the Swift concurrency pool.
public final class PCSCCardReader: CardReader, Sendable {
    private let queue = DispatchQueue(label: "kiosk.smartcard")
    private let reader = Mutex<String?>(nil)

    public init() {}

    /// The reader holding the card of the current session (`nil` when none).
    public func setCurrentReader(_ name: String?) {
        reader.withLock { $0 = name }
    }

    public var currentReader: String? { reader.withLock { $0 } }

    public func readUID() async throws -> CardUID {
        try await withConnection { try $0.readUID() }
    }

    /// Runs `body` with a connection to the current card, on the card queue.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (SmartCardConnection) throws -> T) async throws
        -> T
    {
        guard let name = currentReader else { throw SmartCardError.noCard }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(try SmartCardConnection(reader: name)) })
            }
        }
    }
}
