import Core

/// A rectangle of whole pixels: what a partial update redraws and copies.
public struct PixelRect: Hashable, Sendable, CustomStringConvertible {
    public var x, y, width, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var area: Int { width * height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The smallest whole-pixel rectangle covering `rect`, grown by `padding` (antialiased edges bleed a pixel).
    init(covering rect: Rect, padding: Double = 2) {
        let minX = Int((rect.origin.x - padding).rounded(.down))
        let minY = Int((rect.origin.y - padding).rounded(.down))
        let maxX = Int((rect.maxX + padding).rounded(.up))
        let maxY = Int((rect.maxY + padding).rounded(.up))
        self.init(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    public func union(_ other: PixelRect) -> PixelRect {
        let (minX, minY) = (min(x, other.x), min(y, other.y))
        return PixelRect(x: minX, y: minY, width: max(maxX, other.maxX) - minX, height: max(maxY, other.maxY) - minY)
    }

    public func intersects(_ other: PixelRect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    /// The part inside `bounds` (empty when outside).
    public func clipped(to bounds: PixelRect) -> PixelRect {
        let (minX, minY) = (max(x, bounds.x), max(y, bounds.y))
        return PixelRect(
            x: minX, y: minY, width: max(0, min(maxX, bounds.maxX) - minX),
            height: max(0, min(maxY, bounds.maxY) - minY))
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}


