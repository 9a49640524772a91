/// A `Duration` in the units C calls, files and messages take: the one place that turns `components` into
/// milliseconds or microseconds, instead of a copy of the arithmetic at each call.
extension Duration {
    /// Whole milliseconds, rounded down (`poll(2)`, libusb and socket timeouts, stored timestamps).
    public var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Whole microseconds, rounded down (`timeval.tv_usec`, benchmark figures).
    public var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }

    /// Seconds as a floating-point number (Foundation's `TimeInterval`).
    public var fractionalSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole seconds, rounded up: a countdown reads 15 until 14 whole seconds remain.
    public var secondsRoundedUp: Int {
        let (seconds, attoseconds) = components
        return max(0, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
