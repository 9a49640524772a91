/// A point on the display panel, each coordinate normalized to 0...1 in the framebuffer's native, unrotated
/// orientation, (0, 0) at the top left: what a touch panel reports once calibrated. The display side turns it into
/// pixels or millimetres (it knows the rotation and the panel's size); input never needs to.
public struct PanelPoint: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public var description: String {
        "(\((x * 1000).rounded() / 1000), \((y * 1000).rounded() / 1000))"
    }
}
