/// Pixels drawn in memory: premultiplied ARGB32 words (`0xAARRGGBB`), `wordsPerRow` apart (cairo pads rows).
/// What the framebuffer and the thermal raster are made from.
public struct RasterImage: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var wordsPerRow: Int
    public var pixels: [UInt32]

    public init(width: Int, height: Int, wordsPerRow: Int, pixels: [UInt32]) {
        self.width = width
        self.height = height
        self.wordsPerRow = wordsPerRow
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> UInt32 { pixels[y * wordsPerRow + x] }
}
