/// One step of the finger a touch panel follows: what `TouchGesture` consumes.
public struct TouchContact: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        /// The finger touched.
        case down
        /// It moved while touching.
        case move
        /// It lifted, at `point`.
        case up
        /// The panel lost track of it (the kernel dropped events): it ends without acting.
        case cancelled
    }

    public var phase: Phase
    public var point: PanelPoint
    /// The kernel's timestamp of the report (`CLOCK_MONOTONIC` where the device accepts it): gestures measure
    /// durations in the panel's own time, so they behave the same however late the events are read.
    public var time: Duration

    public init(_ phase: Phase, _ point: PanelPoint, at time: Duration) {
        self.phase = phase
        self.point = point
        self.time = time
    }
}
