/// A 1-bit image as thermal printers take it: rows of bits, most significant bit first, 1 for a black dot, each
/// row padded to whole bytes (ESC/POS raster commands count the width in bytes).
public struct MonochromeBitmap: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public let bytesPerRow: Int
    public private(set) var bits: [UInt8]

    public init(width: Int, height: Int, bits: [UInt8]) {
        precondition(bits.count == (width + 7) / 8 * height, "bits must hold height rows of (width + 7) / 8 bytes")
        self.width = width
        self.height = height
        bytesPerRow = (width + 7) / 8
        self.bits = bits
    }

    /// Thresholds a drawn page: a dot is black where its luminance, composited over white paper, is below
    /// `threshold` (0-255). Text and rules from display lists are already black and white, so a threshold keeps
    /// their edges crisp where dithering would fray them.
    public init(_ image: RasterImage, threshold: Int = 128) {
        let bytesPerRow = (image.width + 7) / 8
        var bits = [UInt8](repeating: 0, count: bytesPerRow * image.height)
        // One pass, no intermediate arrays: eight premultiplied ARGB words are loaded as one SIMD vector, composited
        // over white (c + 255 - a), weighed to integer luminance (×1000), compared with the threshold and folded
        // into the output byte by the bit weights. Eight white pixels (most of a slip) compare equal to all ones
        // and leave the zero byte that is already there.
        let limit = SIMD8<UInt32>(repeating: UInt32(max(threshold, 0) * 1000))
        let weights = SIMD8<UInt32>(128, 64, 32, 16, 8, 4, 2, 1)
        let white = SIMD8<UInt32>(repeating: .max)
        let whole = image.width / 8
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress.map(UnsafeRawPointer.init) else { return }
            bits.withUnsafeMutableBufferPointer { out in
                for y in 0..<image.height {
                    let row = y * image.wordsPerRow
                    let outRow = y * bytesPerRow
                    for byteIndex in 0..<whole {
                        let p = base.loadUnaligned(
                            fromByteOffset: (row + byteIndex * 8) * MemoryLayout<UInt32>.stride, as: SIMD8<UInt32>.self)
                        if p == white { continue }
                        let paper = 255 &- (p &>> 24)
                        let luminance =
                            299 &* ((p &>> 16 & 0xFF) &+ paper) &+ 587 &* ((p &>> 8 & 0xFF) &+ paper)
                            &+ 114 &* ((p & 0xFF) &+ paper)
                        let byte = weights.replacing(with: 0, where: luminance .>= limit).wrappedSum()
                        out[outRow + byteIndex] = UInt8(truncatingIfNeeded: byte)
                    }
                    // A width that is not a multiple of 8: the last pixels one by one.
                    for x in whole * 8..<image.width {
                        let p = pixels[row + x]
                        let paper = 255 - p >> 24
                        let luminance =
                            299 * ((p >> 16 & 0xFF) + paper) + 587 * ((p >> 8 & 0xFF) + paper) + 114
                            * ((p & 0xFF) + paper)
                        if luminance < limit[0] { out[outRow + whole] |= 0x80 >> UInt8(x & 7) }
                    }
                }
            }
        }
        self.init(width: image.width, height: image.height, bits: bits)
    }

    public func isBlack(x: Int, y: Int) -> Bool { bits[y * bytesPerRow + x >> 3] & (0x80 >> UInt8(x & 7)) != 0 }

    /// Rows `range` as their own bitmap: one band of a raster print.
    public func rows(_ range: Range<Int>) -> MonochromeBitmap {
        MonochromeBitmap(
            width: width, height: range.count,
            bits: Array(bits[range.lowerBound * bytesPerRow..<range.upperBound * bytesPerRow]))
    }
}
