import Core
import Foundation
import NIOConcurrencyHelpers

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
    /// How the answers to signed requests are signed: by the server's key, not at all, or by a key no kiosk knows
    /// (an impostor, or a proxy rewriting answers).
    let answerSignature: AnswerSignature
    /// Seconds the server's clock runs ahead (or behind) of the machine's, for signatures only: its `Date` header
    /// keeps the machine's time, as a proxy in front of it might send.
    let clockSkew: Int64
    private let generator: NIOLockedValueBox<SplitMix64>

    enum AnswerSignature: String, Sendable, CaseIterable {
        case signed
        case unsigned
        case foreign
    }

    init(
        rates: Rates = .init(), status: Int = 503, retryAfterSeconds: Int? = nil, delay: Duration = .zero,
        acknowledgeUnsent: [String] = [], rejectReason: String? = nil, answerSignature: AnswerSignature = .signed,
        clockSkew: Int64 = 0, seed: UInt64
    ) {
        self.clockSkew = clockSkew
        self.acknowledgeUnsent = acknowledgeUnsent
        self.rejectReason = rejectReason
        self.answerSignature = answerSignature
        self.rates = rates
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.delay = delay
        generator = NIOLockedValueBox(SplitMix64(seed: seed))
    }

    /// The server's clock, in unix seconds.
    var now: Int64 { Int64(Date().timeIntervalSince1970) + clockSkew }

    func draw() -> Fault? {
        let roll = generator.withLockedValue { Double($0.next() >> 11) / Double(1 << 53) }
        if roll < rates.drop { return .drop }
        if roll < rates.drop + rates.status { return .status(status) }
        if roll < rates.drop + rates.status + rates.loseAnswer { return .loseAnswer }
        return nil
    }
}
