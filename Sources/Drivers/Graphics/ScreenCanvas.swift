public import Core

/// A screen-sized ARGB32 image in memory that keeps its pixels between frames, so that a new frame is drawn only
/// where it differs from the one before: a pressed button, a countdown digit or a spinner dot repaints a few
/// thousand pixels, not the screen. The framebuffer display copies the changed rectangles out of it.
public final class ScreenCanvas {
    public let width: Int
    public let height: Int
    private let canvas: CairoCanvas
    private let fonts: Fonts
    private var drawn: DisplayPage?
    /// Beyond this many separate changes, one rectangle around them all is cheaper to draw and copy.
    static let maximumRects = 6

    public init(width: Int, height: Int, fonts: Fonts = Fonts()) throws(GraphicsError) {
        self.width = width
        self.height = height
        canvas = try CairoCanvas(surface: CairoCanvas.imageSurface(width: width, height: height), scale: 1, fonts: fonts)
        self.fonts = fonts
    }

    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// Draws `page` where it differs from the page drawn before (everywhere the first time, or after
    /// `invalidate()`), and says which rectangles changed: none when the page is the same.
    @discardableResult
    public func draw(_ page: DisplayPage) throws(GraphicsError) -> [PixelRect] {
        let dirty = drawn.map { changes(from: $0, to: page) } ?? [bounds]
        drawn = page
        guard !dirty.isEmpty else { return [] }
        if dirty == [bounds] {
            for item in page.items { try canvas.draw(item) }
            return dirty
        }
        // Each changed rectangle is drawn on a scratch canvas of its own size (its edges clip for free) and
        // blitted in: measured several times faster than drawing the same items under a cairo clip.
        let itemBounds = page.items.map { bounds(of: $0) }
        for rect in dirty {
            let scratch = try CairoCanvas(
                surface: CairoCanvas.imageSurface(width: rect.width, height: rect.height), scale: 1, fonts: fonts)
            scratch.translate(x: -Double(rect.x), y: -Double(rect.y))
            for (item, box) in zip(page.items, itemBounds) where box.intersects(rect) { try scratch.draw(item) }
            canvas.blit(scratch, x: rect.x, y: rect.y, width: rect.width, height: rect.height)
        }
        return dirty
    }

    /// Forgets what was drawn: the next `draw` paints everything (after a VT switch, or to wipe a resident's data
    /// off every pixel).
    public func invalidate() {
        drawn = nil
    }

    /// The pixels (premultiplied ARGB32 words, native byte order) and the row stride in words.
    public func withPixels<R>(_ body: (UnsafePointer<UInt32>, Int) throws -> R) rethrows -> R {
        try canvas.withPixels(body)
    }

    /// The canvas as PNG, for snapshots and the demo.
    public func png() throws(GraphicsError) -> [UInt8] {
        try canvas.png()
    }

    /// Where two pages differ: the old and new bounds of every item that changed in place, merged. Pages of one
    /// screen keep their items in the same order (a pressed button changes colours, a countdown its text); pages
    /// with a different number of items are a different screen, drawn in full. Comparing in place is also far
    /// cheaper than hashing every item into sets.
    func changes(from old: DisplayPage, to new: DisplayPage) -> [PixelRect] {
        guard old.size == new.size, old.items.count == new.items.count else { return [bounds] }
        var rects: [PixelRect] = []
        for (before, after) in zip(old.items, new.items) where before != after {
            rects.append(bounds(of: before).clipped(to: bounds))
            rects.append(bounds(of: after).clipped(to: bounds))
        }
        rects.removeAll { $0.isEmpty }
        // Overlapping rectangles become one, so no pixel is drawn twice with antialiased edges over each other.
        var merged: [PixelRect] = []
        while let next = rects.popLast() {
            if let index = merged.firstIndex(where: { $0.intersects(next) }) {
                rects.append(merged.remove(at: index).union(next))
            } else {
                merged.append(next)
            }
        }
        if merged.count > Self.maximumRects {
            return [merged.dropFirst().reduce(merged[0]) { $0.union($1) }]
        }
        return merged.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
    }

    /// What an item may touch, generously: text by its measured advance and the font's ascent and descent.
    func bounds(of item: DisplayItem) -> PixelRect {
        switch item {
        case .text(let run):
            let width = canvas.width(of: run.text, in: run.font)
            return PixelRect(
                covering: Rect(
                    x: run.origin.x, y: run.origin.y - run.font.size * 1.05, width: width,
                    height: run.font.size * 1.4))
        case .rule(let from, let to, let width):
            return PixelRect(covering: Self.box(around: [from, to]), padding: width + 2)
        case .fill(let rect, _), .roundedRect(let rect, _, _), .outline(let rect, _, _, _):
            return PixelRect(covering: rect)
        case .image(_, let frame), .qr(_, let frame):
            return PixelRect(covering: frame)
        case .circle(let center, let radius, _):
            return PixelRect(
                covering: Rect(x: center.x - radius, y: center.y - radius, width: 2 * radius, height: 2 * radius))
        case .stroke(let points, let width, _):
            return PixelRect(covering: Self.box(around: points), padding: width / 2 + 2)
        case .polygon(let points, _):
            return PixelRect(covering: Self.box(around: points))
        case .arc(let center, let radius, _, _, let width, _):
            let r = radius + width / 2
            return PixelRect(covering: Rect(x: center.x - r, y: center.y - r, width: 2 * r, height: 2 * r))
        }
    }

    static func box(around points: [Point]) -> Rect {
        let xs = points.map(\.x)
        let ys = points.map(\.y)
        let (minX, minY) = (xs.min() ?? 0, ys.min() ?? 0)
        return Rect(x: minX, y: minY, width: (xs.max() ?? 0) - minX, height: (ys.max() ?? 0) - minY)
    }
}
