import Core
import Synchronization

/// What can go wrong between a kiosk and the province, injected by `kiosk-sim api` options: each signed request
/// draws one fault (or none) from a seeded generator, so a failing run can be replayed with the same seed.
final class APIFaults: Sendable {
    enum Fault: Equatable {
        /// Close the connection without an answer, before doing anything.
        case drop
        /// Answer with this status (500, 503, 429) and do nothing.
        case status(Int)
        /// Do the work and commit it, then close the connection without an answer.
        case loseAnswer
    }

    struct Rates: Sendable {
        var drop = 0.0
        var status = 0.0
        var loseAnswer = 0.0
    }

    let rates: Rates
    /// The status of `.status` faults.
    let status: Int
    /// Sent with 429 and 503.
    let retryAfterSeconds: Int?
    /// Added before every signed answer.
    let delay: Duration
    /// A misbehaving server: every records answer also claims these record ids accepted, sent or not.
    let acknowledgeUnsent: [String]
    /// A misbehaving server: every record is rejected with this reason (which may echo personal data).
    let rejectReason: String?
    private let generator: Mutex<SplitMix64>

    init(
        rates: Rates = .init(), status: Int = 503, retryAfterSeconds: Int? = nil, delay: Duration = .zero,
        acknowledgeUnsent: [String] = [], rejectReason: String? = nil, seed: UInt64
    ) {
        self.acknowledgeUnsent = acknowledgeUnsent
        self.rejectReason = rejectReason
        self.rates = rates
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.delay = delay
        generator = Mutex(SplitMix64(seed: seed))
    }

    func draw() -> Fault? {
        let roll = generator.withLock { Double($0.next() >> 11) / Double(1 << 53) }
        if roll < rates.drop { return .drop }
        if roll < rates.drop + rates.status { return .status(status) }
        if roll < rates.drop + rates.status + rates.loseAnswer { return .loseAnswer }
        return nil
    }
}
