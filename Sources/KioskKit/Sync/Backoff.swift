/// Exponential backoff with full jitter: after the n-th failure in a row, wait a random time in
/// `0 ... min(cap, base × 2ⁿ)`, so a fleet of kiosks coming back online does not knock on the server in step.
/// A server's `Retry-After` is a floor, never shortened, up to an hour (`longestRetryAfter`).
package struct Backoff: Sendable {
    var base: Duration = .seconds(1)
    var cap: Duration = .seconds(900)

    /// Waits start from `base` and never exceed `cap`.
    package init(base: Duration = .seconds(1), cap: Duration = .seconds(900)) {
        self.base = base
        self.cap = cap
    }

    /// A `Retry-After` longer than this is taken as this: a server (or anyone between) asking for a week's pause
    /// would otherwise keep a village's records off the province for a week.
    static let longestRetryAfter: Duration = .seconds(3600)

    func delay(
        afterFailures failures: Int, retryAfter: Duration? = nil, using generator: inout some RandomNumberGenerator
    )
        -> Duration
    {
        let exponent = min(max(failures - 1, 0), 30)
        let ceiling = min(cap, base * (1 << exponent))
        let jittered = Duration.milliseconds(Int64.random(in: 0...max(ceiling.milliseconds, 0), using: &generator))
        return max(jittered, min(retryAfter ?? .zero, Self.longestRetryAfter))
    }
}
