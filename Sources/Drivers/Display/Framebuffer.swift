import CLinuxIO
public import Core
import Glibc

/// A framebuffer's pixels and geometry: `/dev/fbN` mapped into memory, or a virtual one (the demo, the tests, a
/// headless kiosk). Rows are `stride` bytes apart, which is `line_length`, never `width * bytesPerPixel`: a
/// 1366-pixel panel at 16 bpp has 2752-byte rows on a Raspberry Pi.
///
/// With two pages (a virtual screen twice the panel's height, and both `FBIOPAN_DISPLAY` and `FBIO_WAITFORVSYNC`
/// working) frames are drawn on the hidden page and shown at the next vertical blank: no tearing. Otherwise, and
/// as soon as a flip fails, there is one page and copies land on the panel directly.
///
/// Only the display that owns it writes to it, from one task at a time.
public final class Framebuffer: @unchecked Sendable {
    /// `/dev/fb0`, or `virtual` for one in memory.
    public let device: String
    /// Visible pixels, in the panel's native orientation.
    public let width: Int
    public let height: Int
    /// Bytes from one row to the next.
    public let stride: Int
    public let format: PixelFormat
    /// The panel's size as the driver reports it (`fb_var_screeninfo.width/height`); `nil` when it says 0.
    public let physicalSize: SizeMM?
    /// Whether `FBIOPAN_DISPLAY` and `FBIO_WAITFORVSYNC` both worked when probed (shown on the diagnostics screen).
    public let canPanAndWait: Bool
    /// The first pixel of each page (the mapping plus the x/y offsets the console left): one, or two when frames
    /// flip.
    let pages: [UnsafeMutableRawPointer]
    /// The page on the panel.
    private(set) var shown = 0
    /// Whether frames are drawn on the hidden page and flipped: two pages, and no flip has failed yet.
    public private(set) var flips: Bool
    /// Rectangles drawn on the page shown now but not yet on the hidden one, which is a frame behind.
    private var behind: [PixelRect] = []
    private let flipper: Flipper
    /// Where copies go: the hidden page when frames flip, else the page on the panel.
    var base: UnsafeMutableRawPointer { flips ? pages[1 - shown] : pages[shown] }
    /// Each 8-bit red, green and blue value (256 entries each, in that order) as bits of a pixel in `format`.
    let packing: [UInt32]
    private let release: Release

    /// How the hidden page is brought onto the panel.
    enum Flipper {
        case none
        /// Memory only: the shown page just changes.
        case virtual
        /// `FBIOPAN_DISPLAY` to the page's y offset, then `FBIO_WAITFORVSYNC`.
        case device(fd: CInt, info: fb_var_screeninfo)
    }

    private enum Release {
        case unmap(fd: CInt, mapping: UnsafeMutableRawPointer, length: Int)
        case free(UnsafeMutableRawPointer)
    }

    private init(
        device: String, width: Int, height: Int, stride: Int, format: PixelFormat, physicalSize: SizeMM?,
        canPanAndWait: Bool, pages: [UnsafeMutableRawPointer], flipper: Flipper = .none, release: Release
    ) {
        self.device = device
        self.width = width
        self.height = height
        self.stride = stride
        self.format = format
        self.physicalSize = physicalSize
        self.canPanAndWait = canPanAndWait
        self.pages = pages
        self.flipper = flipper
        flips = pages.count == 2
        self.release = release
        packing =
            (0..<256).map { format.pack(red: UInt32($0), green: 0, blue: 0) }
            + (0..<256).map { format.pack(red: 0, green: UInt32($0), blue: 0) }
            + (0..<256).map { format.pack(red: 0, green: 0, blue: UInt32($0)) }
    }

    deinit {
        switch release {
        case .unmap(let fd, let mapping, let length):
            FramebufferCalls.unmap(mapping, length: length)
            FramebufferCalls.close(fd)
        case .free(let pointer):
            pointer.deallocate()
        }
    }

    /// A framebuffer in memory with the geometry of a real one: `stride` may pad rows, as real drivers do, and
    /// `pages: 2` flips frames as a panel with pan and vsync does.
    public static func virtual(
        width: Int, height: Int, format: PixelFormat = .xrgb8888, stride: Int? = nil, physicalSize: SizeMM? = nil,
        pages: Int = 1
    ) throws(DisplayError) -> Framebuffer {
        let stride = stride ?? width * format.bytesPerPixel
        guard width > 0, height > 0, stride >= width * format.bytesPerPixel, (1...2).contains(pages) else {
            throw .badGeometry(device: "virtual", reason: "\(width)x\(height) with \(stride)-byte rows, \(pages) pages")
        }
        let page = stride * height
        let memory = UnsafeMutableRawPointer.allocate(byteCount: page * pages, alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: page * pages)
        return Framebuffer(
            device: "virtual", width: width, height: height, stride: stride, format: format,
            physicalSize: physicalSize, canPanAndWait: pages == 2, pages: (0..<pages).map { memory + $0 * page },
            flipper: pages == 2 ? .virtual : .none, release: .free(memory))
    }

    /// Opens and maps a framebuffer device (`open`, `FBIOGET_VSCREENINFO`, `FBIOGET_FSCREENINFO`, `mmap`), wakes
    /// the panel (`FBIOBLANK`), and takes the pixel format from the channel offsets. `swapRedAndBlue` is the
    /// override for drivers that report the wrong order. The mode is never changed: several drivers accept a
    /// change, report it done, and stay as they were. So frames flip only where the driver already offers a virtual
    /// screen of two pages (on KMS's fbdev emulation: `drm_kms_helper.drm_fbdev_overalloc=200`) and pan and vsync
    /// work.
    public static func open(_ path: String, swapRedAndBlue: Bool = false) throws(DisplayError) -> Framebuffer {
        let fd = try FramebufferCalls.open(path)
        do {
            let variable = try FramebufferCalls.variableInfo(fd, device: path)
            let fixed = try FramebufferCalls.fixedInfo(fd, device: path)
            var format = try PixelFormat(
                bitsPerPixel: Int(variable.bits_per_pixel),
                red: .init(offset: Int(variable.red.offset), length: Int(variable.red.length)),
                green: .init(offset: Int(variable.green.offset), length: Int(variable.green.length)),
                blue: .init(offset: Int(variable.blue.offset), length: Int(variable.blue.length)), device: path)
            if swapRedAndBlue { format = format.swappingRedAndBlue() }
            let geometry = Geometry(
                width: Int(variable.xres), height: Int(variable.yres), stride: Int(fixed.line_length),
                xOffset: Int(variable.xoffset), yOffset: Int(variable.yoffset), length: Int(fixed.smem_len))
            try geometry.check(format: format, device: path)
            let mapping = try FramebufferCalls.map(fd, length: geometry.length, device: path)
            FramebufferCalls.unblank(fd)
            let size =
                variable.width > 0 && variable.height > 0
                ? SizeMM(width: Double(variable.width), height: Double(variable.height)) : nil
            let canPanAndWait = FramebufferCalls.canPanAndWait(fd, info: variable)
            let first = mapping + geometry.firstPixel(format)
            let twoPages =
                canPanAndWait && variable.yoffset == 0 && Int(variable.yres_virtual) >= 2 * geometry.height
                && geometry.length >= 2 * geometry.height * geometry.stride
            return Framebuffer(
                device: path, width: geometry.width, height: geometry.height, stride: geometry.stride, format: format,
                physicalSize: size, canPanAndWait: canPanAndWait,
                pages: twoPages ? [first, first + geometry.height * geometry.stride] : [first],
                flipper: twoPages ? .device(fd: fd, info: variable) : .none,
                release: .unmap(fd: fd, mapping: mapping, length: geometry.length))
        } catch {
            FramebufferCalls.close(fd)
            throw error
        }
    }

    /// Maps an ordinary file as if it were a framebuffer of the given geometry: the tests' stand-in for a device
    /// (the mapping, the stride and the format are exercised as on `/dev/fb0`; only the ioctls are not).
    public static func mapping(file path: String, width: Int, height: Int, stride: Int, format: PixelFormat)
        throws(DisplayError) -> Framebuffer
    {
        let fd = try FramebufferCalls.open(path)
        do {
            let geometry = Geometry(
                width: width, height: height, stride: stride, xOffset: 0, yOffset: 0, length: stride * height)
            try geometry.check(format: format, device: path)
            let mapping = try FramebufferCalls.map(fd, length: geometry.length, device: path)
            return Framebuffer(
                device: path, width: width, height: height, stride: stride, format: format, physicalSize: nil,
                canPanAndWait: false, pages: [mapping],
                release: .unmap(fd: fd, mapping: mapping, length: geometry.length))
        } catch {
            FramebufferCalls.close(fd)
            throw error
        }
    }

    struct Geometry {
        var width, height, stride, xOffset, yOffset, length: Int

        func check(format: PixelFormat, device: String) throws(DisplayError) {
            guard width > 0, height > 0 else { throw .badGeometry(device: device, reason: "\(width)x\(height) pixels") }
            guard stride >= width * format.bytesPerPixel else {
                throw .badGeometry(
                    device: device, reason: "rows of \(stride) bytes cannot hold \(width) pixels of \(format)")
            }
            let end = (yOffset + height - 1) * stride + (xOffset + width) * format.bytesPerPixel
            guard end <= length else {
                throw .badGeometry(
                    device: device,
                    reason: "\(length) bytes of memory cannot hold \(width)x\(height) at \(stride)-byte rows")
            }
        }

        func firstPixel(_ format: PixelFormat) -> Int { yOffset * stride + xOffset * format.bytesPerPixel }
    }

    /// Puts changed rectangles (drawn coordinates) of `canvas` on the panel. With one page they are copied onto it;
    /// with two they are copied onto the hidden page, with those it missed while it was shown, and it is flipped in
    /// at the next vertical blank (this blocks for up to a frame). `everyPage` brings both pages up to date: after a
    /// session no page may keep a resident's data, shown or not.
    public func present(
        _ rects: [PixelRect], from canvas: ScreenCanvas, rotation: ScreenRotation, everyPage: Bool = false
    ) {
        guard flips else { return copy(rects, from: canvas, rotation: rotation) }
        copy(rects + behind, from: canvas, rotation: rotation)
        guard flip() else {
            // The hidden page cannot be shown: from now on one page, drawn in full once.
            flips = false
            behind = []
            return copy([canvas.bounds], from: canvas, rotation: rotation)
        }
        if everyPage {
            copy(rects, from: canvas, rotation: rotation)
            behind = []
        } else {
            behind = rects
        }
    }

    /// Shows the hidden page; false when the driver refused.
    private func flip() -> Bool {
        let next = 1 - shown
        switch flipper {
        case .none: return false
        case .virtual: break
        case .device(let fd, let info):
            guard FramebufferCalls.show(fd, info: info, yOffset: next * height) else { return false }
        }
        shown = next
        return true
    }

    /// The pixel value at a native position on the page shown (tests, snapshots of what the panel really shows).
    public func pixel(x: Int, y: Int) -> UInt32 {
        let address = pages[shown] + y * stride + x * format.bytesPerPixel
        var value: UInt32 = 0
        for index in 0..<format.bytesPerPixel {
            value |= UInt32(address.load(fromByteOffset: index, as: UInt8.self)) << UInt32(8 * index)
        }
        return value
    }

    /// The colour at a native position, 8 bits per channel.
    public func color(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        format.unpack(pixel(x: x, y: y))
    }
}
