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

    /// The pixels that differ from `other`'s by more than `tolerance` in any colour channel (alpha is ignored):
    /// how many, and the rectangle holding them (everything when the sizes differ). Golden screens are compared with
    /// 8 for 24-bit panels and 24 for 16-bit ones (5-6 bits a channel): enough for font hinting, never for a missing
    /// word or a stray cursor.
    public func differences(from other: RasterImage, tolerance: Int) -> (count: Int, region: PixelRect?) {
        guard width == other.width, height == other.height else {
            return (width * height, PixelRect(x: 0, y: 0, width: width, height: height))
        }
        var count = 0
        var region: PixelRect?
        for y in 0..<height {
            for x in 0..<width {
                let (p, q) = (self[x, y], other[x, y])
                for shift: UInt32 in [16, 8, 0] where abs(Int(p >> shift & 0xFF) - Int(q >> shift & 0xFF)) > tolerance {
                    count += 1
                    let pixel = PixelRect(x: x, y: y, width: 1, height: 1)
                    region = region.map { $0.union(pixel) } ?? pixel
                    break
                }
            }
        }
        return (count, region)
    }
}
