/// How a framebuffer packs a pixel: 2, 3 or 4 bytes, little-endian, each colour channel at a bit offset with a
/// bit length, as `fb_var_screeninfo` reports them. Derived from the offsets, never from the depth alone: a
/// BGR panel at 32 bpp or a BGR565 one draws with red and blue swapped otherwise (the bug users report most).
public struct PixelFormat: Hashable, Sendable, CustomStringConvertible {
    public struct Channel: Hashable, Sendable {
        public var offset: Int
        public var length: Int

        public init(offset: Int, length: Int) {
            self.offset = offset
            self.length = length
        }
    }

    public let bytesPerPixel: Int
    public let red: Channel
    public let green: Channel
    public let blue: Channel

    /// Checks the layout: 16, 24 or 32 bits per pixel, each channel 1-8 bits wide, inside the pixel, not
    /// overlapping another.
    public init(bitsPerPixel: Int, red: Channel, green: Channel, blue: Channel, device: String = "framebuffer")
        throws(DisplayError)
    {
        let layout =
            "\(bitsPerPixel) bpp, red \(red.length)@\(red.offset), green \(green.length)@\(green.offset), blue \(blue.length)@\(blue.offset)"
        let channels = [red, green, blue]
        guard [16, 24, 32].contains(bitsPerPixel),
            channels.allSatisfy({
                (1...8).contains($0.length) && $0.offset >= 0 && $0.offset + $0.length <= bitsPerPixel
            })
        else { throw .unsupportedFormat(device: device, layout: layout) }
        let masks = channels.map { ((1 << $0.length) - 1) << $0.offset }
        guard masks[0] & masks[1] == 0, masks[0] & masks[2] == 0, masks[1] & masks[2] == 0 else {
            throw .unsupportedFormat(device: device, layout: layout)
        }
        bytesPerPixel = bitsPerPixel / 8
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// The same format with red and blue exchanged: the override for drivers that report the wrong order.
    public func swappingRedAndBlue() -> PixelFormat {
        try! PixelFormat(bitsPerPixel: bytesPerPixel * 8, red: blue, green: green, blue: red)
    }

    /// The common layouts, for the virtual framebuffer and tests.
    public static let xrgb8888 = try! PixelFormat(
        bitsPerPixel: 32, red: .init(offset: 16, length: 8), green: .init(offset: 8, length: 8),
        blue: .init(offset: 0, length: 8))
    public static let xbgr8888 = xrgb8888.swappingRedAndBlue()
    public static let rgb888 = try! PixelFormat(
        bitsPerPixel: 24, red: .init(offset: 16, length: 8), green: .init(offset: 8, length: 8),
        blue: .init(offset: 0, length: 8))
    public static let bgr888 = rgb888.swappingRedAndBlue()
    public static let rgb565 = try! PixelFormat(
        bitsPerPixel: 16, red: .init(offset: 11, length: 5), green: .init(offset: 5, length: 6),
        blue: .init(offset: 0, length: 5))
    public static let bgr565 = rgb565.swappingRedAndBlue()

    /// The pixel value of an 8-bit-per-channel colour, channels cut to their lengths.
    @inline(__always)
    public func pack(red r: UInt32, green g: UInt32, blue b: UInt32) -> UInt32 {
        (r >> UInt32(8 - red.length)) << UInt32(red.offset) | (g >> UInt32(8 - green.length)) << UInt32(green.offset)
            | (b >> UInt32(8 - blue.length)) << UInt32(blue.offset)
    }

    /// The 8-bit channels of a pixel value, short channels scaled up to the full 0-255 range.
    public func unpack(_ value: UInt32) -> (red: UInt8, green: UInt8, blue: UInt8) {
        func channel(_ c: Channel) -> UInt8 {
            let maximum = UInt32(1) << UInt32(c.length) - 1
            let v = (value >> UInt32(c.offset)) & maximum
            return UInt8((v * 255 + maximum / 2) / maximum)
        }
        return (channel(red), channel(green), channel(blue))
    }

    /// `XRGB8888`, `BGR565`, ...: the name technicians see in `fbset` and on the diagnostics screen.
    public var description: String {
        let order = red.offset > blue.offset ? "RGB" : "BGR"
        switch (bytesPerPixel, red.length, green.length, blue.length) {
        case (4, 8, 8, 8): return "X" + order + "8888"
        case (3, 8, 8, 8): return order + "888"
        case (2, 5, 6, 5): return order + "565"
        default:
            return
                "\(bytesPerPixel * 8) bpp r\(red.length)@\(red.offset) g\(green.length)@\(green.offset) b\(blue.length)@\(blue.offset)"
        }
    }
}
