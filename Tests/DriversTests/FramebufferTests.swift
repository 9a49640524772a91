import Core
import Foundation
import Testing

@testable import Drivers

/// The framebuffer path from drawn pixels to panel memory: pixel formats taken from channel offsets, padded
/// strides, rotation, a real `mmap`.
@Suite("Framebuffer: formats, stride, rotation, partial updates")
struct FramebufferTests {
    static let renderer = try! Renderer()

    /// Four colour bars across the drawn screen, and a 10-pixel red marker in its top-left corner.
    static func bars(width: Double, height: Double) -> DisplayPage {
        let colors: [Color] = [
            Color(red: 1, green: 0, blue: 0), Color(red: 0, green: 1, blue: 0), Color(red: 0, green: 0, blue: 1),
            .white,
        ]
        var items: [DisplayItem] = colors.enumerated().map { index, color in
            .fill(Rect(x: Double(index) * width / 4, y: 0, width: width / 4, height: height), color)
        }
        items.append(.fill(Rect(x: 0, y: 0, width: 10, height: 10), .black))
        return DisplayPage(size: Size(width: width, height: height), items: items)
    }

    @Test("the format comes from the channel offsets, not the depth")
    func formats() throws {
        #expect(PixelFormat.xrgb8888.description == "XRGB8888")
        #expect(PixelFormat.xbgr8888.description == "XBGR8888")
        #expect(PixelFormat.rgb565.description == "RGB565")
        #expect(PixelFormat.bgr565.description == "BGR565")
        #expect(PixelFormat.bgr888.description == "BGR888")
        // A Pi 5 at depth 24 reporting r8g8b8 while it is BGR: the configured swap corrects it.
        let reported = try PixelFormat(
            bitsPerPixel: 32, red: .init(offset: 16, length: 8), green: .init(offset: 8, length: 8),
            blue: .init(offset: 0, length: 8))
        #expect(reported.swappingRedAndBlue() == .xbgr8888)
        #expect(PixelFormat.rgb565.pack(red: 255, green: 0, blue: 0) == 0xF800)
        #expect(PixelFormat.bgr565.pack(red: 255, green: 0, blue: 0) == 0x001F)
        #expect(PixelFormat.rgb565.unpack(0x07E0) == (0, 255, 0))
    }

    @Test(
        "palette and malformed layouts are refused with a hint",
        arguments: [
            (8, PixelFormat.Channel(offset: 0, length: 8), PixelFormat.Channel(offset: 0, length: 8)),
            (32, PixelFormat.Channel(offset: 8, length: 8), PixelFormat.Channel(offset: 12, length: 8)),
            (16, PixelFormat.Channel(offset: 11, length: 5), PixelFormat.Channel(offset: 14, length: 6)),
        ])
    func refused(bits: Int, red: PixelFormat.Channel, green: PixelFormat.Channel) {
        #expect {
            try PixelFormat(
                bitsPerPixel: bits, red: red, green: green, blue: .init(offset: 0, length: 5), device: "/dev/fb0")
        } throws: { error in
            let message = "\(error)"
            return message.contains("/dev/fb0") && message.contains("16, 24 or 32 bits per pixel")
        }
    }

    @Test(
        "colour bars land in every format, with padded rows left alone",
        arguments: [
            (PixelFormat.xrgb8888, 0), (.xbgr8888, 64), (.rgb888, 0), (.bgr888, 12), (.rgb565, 0),
            (.bgr565, 20),
        ])
    func bars(format: PixelFormat, padding: Int) throws {
        let (width, height) = (200, 40)
        let framebuffer = try Framebuffer.virtual(
            width: width, height: height, format: format, stride: width * format.bytesPerPixel + padding)
        let canvas = try ScreenCanvas(width: width, height: height)
        // Padding bytes hold a sentinel the copy must never overwrite.
        for row in 0..<height {
            (framebuffer.base + row * framebuffer.stride + width * format.bytesPerPixel)
                .initializeMemory(as: UInt8.self, repeating: 0xAB, count: padding)
        }
        framebuffer.copy(try canvas.draw(Self.bars(width: 200, height: 40)), from: canvas, rotation: .none)
        #expect(framebuffer.color(x: 25, y: 20) == (255, 0, 0))
        #expect(framebuffer.color(x: 75, y: 20) == (0, 255, 0))
        #expect(framebuffer.color(x: 125, y: 20) == (0, 0, 255))
        #expect(framebuffer.color(x: 175, y: 20) == (255, 255, 255))
        #expect(framebuffer.color(x: 2, y: 2) == (0, 0, 0))
        for row in 0..<height {
            let pad = framebuffer.base + row * framebuffer.stride + width * format.bytesPerPixel
            #expect((0..<padding).allSatisfy { pad.load(fromByteOffset: $0, as: UInt8.self) == 0xAB })
        }
    }

    @Test("a 1366-pixel panel at 16 bpp with 2752-byte rows (the Raspberry Pi case) is not skewed")
    func piStride() throws {
        let framebuffer = try Framebuffer.virtual(width: 1366, height: 20, format: .rgb565, stride: 2752)
        let canvas = try ScreenCanvas(width: 1366, height: 20)
        let page = DisplayPage(
            size: Size(width: 1366, height: 20),
            items: [
                .fill(Rect(x: 0, y: 0, width: 1366, height: 20), .white),
                .fill(Rect(x: 1360, y: 0, width: 6, height: 20), .black),
            ])
        framebuffer.copy(try canvas.draw(page), from: canvas, rotation: .none)
        for y in [0, 10, 19] {
            #expect(framebuffer.color(x: 1362, y: y) == (0, 0, 0))
            #expect(framebuffer.color(x: 1359, y: y) == (255, 255, 255))
        }
    }

    @Test(
        "rotation turns the drawing: the drawn top-left corner lands where the panel's mounting puts it",
        arguments: [
            (ScreenRotation.none, 0, 0), (.quarter, 39, 0), (.half, 39, 19), (.threeQuarters, 0, 19),
        ])
    func rotation(rotation: ScreenRotation, cornerX: Int, cornerY: Int) throws {
        // A 40 x 20 panel; at 90 and 270 the drawn screen is 20 x 40.
        let framebuffer = try Framebuffer.virtual(width: 40, height: 20)
        let drawn = rotation.drawnSize(width: 40, height: 20)
        let canvas = try ScreenCanvas(width: Int(drawn.width), height: Int(drawn.height))
        let page = DisplayPage(
            size: drawn,
            items: [
                .fill(Rect(x: 0, y: 0, width: drawn.width, height: drawn.height), .white),
                .fill(Rect(x: 0, y: 0, width: 1, height: 1), Color(red: 1, green: 0, blue: 0)),
            ])
        framebuffer.copy(try canvas.draw(page), from: canvas, rotation: rotation)
        #expect(framebuffer.color(x: cornerX, y: cornerY) == (255, 0, 0))
        var red = 0
        for y in 0..<20 { for x in 0..<40 where framebuffer.color(x: x, y: y) == (255, 0, 0) { red += 1 } }
        #expect(red == 1)
        // A touch at that panel corner is at the drawn top-left.
        let touched = rotation.drawn(fromPanel: (Double(cornerX) + 0.5) / 40, (Double(cornerY) + 0.5) / 20)
        #expect(touched.x < 0.1 && touched.y < 0.1)
        let back = rotation.panel(fromDrawn: touched.x, touched.y)
        #expect(abs(back.x - (Double(cornerX) + 0.5) / 40) < 1e-9 && abs(back.y - (Double(cornerY) + 0.5) / 20) < 1e-9)
    }

    @Test(
        "pieces copied at any rotation and in any format match a pixel-by-pixel reference",
        arguments: [ScreenRotation.none, .quarter, .half, .threeQuarters],
        [PixelFormat.xrgb8888, .xbgr8888, .rgb888, .bgr565])
    func piecesMatchTheReference(rotation: ScreenRotation, format: PixelFormat) throws {
        // A 37 x 23 panel (odd sizes catch off-by-one errors) with 6 padding bytes a row.
        let (width, height) = (37, 23)
        let framebuffer = try Framebuffer.virtual(
            width: width, height: height, format: format, stride: width * format.bytesPerPixel + 6)
        let drawn = rotation.drawnSize(width: Double(width), height: Double(height))
        let canvas = try ScreenCanvas(width: Int(drawn.width), height: Int(drawn.height))
        // Stripes of distinct colours both ways, so a pixel taken from the wrong row or column shows.
        var items: [DisplayItem] = []
        for x in 0..<Int(drawn.width) {
            items.append(
                .fill(
                    Rect(x: Double(x), y: 0, width: 1, height: drawn.height),
                    Color(red: Double(x * 7 % 32) / 31, green: 0.5, blue: 0)))
        }
        for y in stride(from: 0, to: Int(drawn.height), by: 3) {
            items.append(
                .fill(
                    Rect(x: 0, y: Double(y), width: drawn.width, height: 1),
                    Color(red: 0, green: Double(y % 8) / 7, blue: Double(y) / drawn.height)))
        }
        _ = try canvas.draw(DisplayPage(size: drawn, items: items))
        // Four uneven pieces tiling the drawn screen, copied one by one.
        let (cw, ch) = (canvas.width, canvas.height)
        let pieces = [
            PixelRect(x: 0, y: 0, width: 5, height: 7), PixelRect(x: 5, y: 0, width: cw - 5, height: 7),
            PixelRect(x: 0, y: 7, width: 11, height: ch - 7), PixelRect(x: 11, y: 7, width: cw - 11, height: ch - 7),
        ]
        framebuffer.copy(pieces, from: canvas, rotation: rotation)
        let expected: [[UInt32]] = canvas.withPixels { pixels, wordsPerRow in
            (0..<height).map { py in
                (0..<width).map { px in
                    // The reference: the inverse rotation worked out for each pixel on its own.
                    let (dx, dy): (Int, Int) =
                        switch rotation {
                        case .none: (px, py)
                        case .half: (cw - 1 - px, ch - 1 - py)
                        case .quarter: (py, ch - 1 - px)
                        case .threeQuarters: (cw - 1 - py, px)
                        }
                    let argb = pixels[dy * wordsPerRow + dx]
                    return format.pack(red: argb >> 16 & 0xFF, green: argb >> 8 & 0xFF, blue: argb & 0xFF)
                }
            }
        }
        // Compared channel by channel: the unused byte of a 32-bit pixel may hold anything.
        var wrong = 0
        for py in 0..<height {
            for px in 0..<width where framebuffer.color(x: px, y: py) != format.unpack(expected[py][px]) { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of \(width * height) pixels differ")
    }

    @Test("a file mapped with mmap, as /dev/fb0 is, receives the pixels at their stride")
    func mappedFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stride = 64 * 4 + 32
        try Data(count: stride * 16).write(to: URL(fileURLWithPath: path))
        do {
            let framebuffer = try Framebuffer.mapping(
                file: path, width: 64, height: 16, stride: stride, format: .xbgr8888)
            let canvas = try ScreenCanvas(width: 64, height: 16)
            let page = DisplayPage(
                size: Size(width: 64, height: 16),
                items: [.fill(Rect(x: 0, y: 0, width: 64, height: 16), Color(red: 1, green: 0, blue: 0))])
            framebuffer.copy(try canvas.draw(page), from: canvas, rotation: .none)
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // XBGR8888 little-endian: R, G, B, X; row 3 starts at 3 * stride; the padding stays zero.
        #expect(Array(bytes[(3 * stride)..<(3 * stride + 3)]) == [0xFF, 0, 0])
        #expect(bytes[(3 * stride + 64 * 4)..<(4 * stride)].allSatisfy { $0 == 0 })
    }

    @Test("a missing device and a node that is no framebuffer get errors a technician can act on")
    func openErrors() {
        #expect {
            _ = try Framebuffer.open("/dev/fb-missing")
        } throws: { "\($0)".contains("does not exist") && "\($0)".contains("/dev/fb-missing") }
        #expect {
            _ = try Framebuffer.open("/dev/null")
        } throws: { "\($0)".contains("is not a framebuffer device") }
    }
}

@Suite("ScreenCanvas: what a partial update redraws")
struct ScreenCanvasTests {
    @Test("a pressed button, a countdown step and a spinner step redraw small rectangles only")
    func dirtyRectangles() throws {
        let renderer = try Renderer()
        let painter = ScreenPainter(
            layout: try ScreenLayout(size: SizeMM(width: 222, height: 125)), size: Size(width: 1024, height: 600),
            measurer: renderer)
        let confirm = KioskScreens.confirm(
            letter: LetterCatalogue.openSIDSelfService.selfService[0], resident: ScreenGallery.sample,
            purpose: "Lainnya")
        let cases: [(DisplayPage, DisplayPage, Int)] = [
            (painter.page(confirm), painter.page(confirm, highlighted: .confirm), 1024 * 600 / 10),
            (
                painter.page(KioskScreens.timeoutWarning(secondsLeft: 15)),
                painter.page(KioskScreens.timeoutWarning(secondsLeft: 14)), 1024 * 600 / 20
            ),
            (
                painter.page(KioskScreens.printing(progress: 10, number: nil), phase: 1),
                painter.page(KioskScreens.printing(progress: 10, number: nil), phase: 2), 1024 * 600 / 50
            ),
        ]
        for (before, after, limit) in cases {
            let canvas = try ScreenCanvas(width: 1024, height: 600)
            #expect(try canvas.draw(before) == [canvas.bounds])
            let dirty = try canvas.draw(after)
            let area = dirty.reduce(0) { $0 + $1.area }
            #expect(area > 0 && area < limit, "\(dirty)")
            #expect(try canvas.draw(after).isEmpty)
        }
    }
}
