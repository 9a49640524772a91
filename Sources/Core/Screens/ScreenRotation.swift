/// How the drawn screen sits on the panel, clockwise: a panel mounted in portrait on a stand is 90 or 270.
/// One value turns both the drawing and the touch points, so they can never disagree.
public enum ScreenRotation: Int, Hashable, Sendable, CaseIterable {
    case none = 0
    case quarter = 90
    case half = 180
    case threeQuarters = 270

    /// The drawn screen's size for a panel of `width` x `height` native pixels (or millimetres).
    public func drawnSize(width: Double, height: Double) -> Size {
        switch self {
        case .none, .half: Size(width: width, height: height)
        case .quarter, .threeQuarters: Size(width: height, height: width)
        }
    }

    /// A point of the panel in its native orientation, as fractions 0...1 of its width and height (what a
    /// calibrated touch reports), as fractions of the drawn screen.
    public func drawn(fromPanel x: Double, _ y: Double) -> (x: Double, y: Double) {
        switch self {
        case .none: (x, y)
        case .quarter: (y, 1 - x)
        case .half: (1 - x, 1 - y)
        case .threeQuarters: (1 - y, x)
        }
    }

    /// The inverse: a fraction of the drawn screen as a fraction of the panel.
    public func panel(fromDrawn x: Double, _ y: Double) -> (x: Double, y: Double) {
        switch self {
        case .none: (x, y)
        case .quarter: (1 - y, x)
        case .half: (1 - x, 1 - y)
        case .threeQuarters: (y, 1 - x)
        }
    }
}
