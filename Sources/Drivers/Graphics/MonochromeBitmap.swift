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
        // Integer luminance (×1000) against the threshold; one output byte per 8 pixels, written once. Paper is
        // mostly white and text mostly black: those two skip the arithmetic.
        let limit = threshold * 1000
        image.pixels.withUnsafeBufferPointer { pixels in
            bits.withUnsafeMutableBufferPointer { out in
                for y in 0..<image.height {
                    let row = y * image.wordsPerRow
                    for byteIndex in 0..<bytesPerRow {
                        var byte: UInt8 = 0
                        let first = byteIndex * 8
                        let end = min(first + 8, image.width)
                        // Eight white pixels (most of a slip) make a zero byte, already there.
                        var all = UInt32.max
                        for x in first..<end { all &= pixels[row + x] }
                        if all == UInt32.max { continue }
                        for x in first..<end {
                            let p = pixels[row + x]
                            let black: Bool
                            switch p {
                            case 0xFFFF_FFFF: black = false
                            case 0xFF00_0000: black = true
                            default:
                                // Premultiplied ARGB over white: c + (255 - a).
                                let white = 255 - Int(p >> 24)
                                let r = Int(p >> 16 & 0xFF) + white
                                let g = Int(p >> 8 & 0xFF) + white
                                let b = Int(p & 0xFF) + white
                                black = 299 * r + 587 * g + 114 * b < limit
                            }
                            if black { byte |= 0x80 >> UInt8(x - first) }
                        }
                        out[y * bytesPerRow + byteIndex] = byte
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
            width: width, height: range.count, bits: Array(bits[range.lowerBound * bytesPerRow..<range.upperBound * bytesPerRow]))
    }
}
