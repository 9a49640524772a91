import Core
import Foundation
import Testing

@testable import Drivers

/// The framebuffer path from drawn pixels to panel memory: pixel formats taken from channel offsets, padded
/// strides, rotation, a real `mmap`, partial updates and wiping a resident's data.
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

    // MARK: The display

    static func display(_ framebuffer: Framebuffer, rotation: ScreenRotation = .none) throws -> FramebufferDisplay {
        try FramebufferDisplay(
            framebuffer: framebuffer, size: rotation.drawnSize(width: 222, height: 125).mm, rotation: rotation,
            renderer: renderer)
    }

    @Test("a pressed button, a countdown step and an animation step redraw only a small area")
    func partialUpdates() async throws {
        let display = try Self.display(try Framebuffer.virtual(width: 1024, height: 600))
        let screenArea = 1024 * 600
        let confirm = KioskScreens.confirm(
            letter: LetterCatalogue.openSIDSelfService.selfService[0], resident: ScreenGallery.sample,
            purpose: "Lainnya")
        await display.show(confirm)
        #expect(await display.present().isEmpty, "nothing changed, nothing drawn")

        await display.highlight(.confirm)
        // The same screen shown again (health unchanged) keeps the finger's highlight.
        await display.show(confirm)
        #expect(await display.highlighted == .confirm)

        await display.show(KioskScreens.timeoutWarning(secondsLeft: 14))
        let countdown = try await Self.changes(display) {
            await display.show(KioskScreens.timeoutWarning(secondsLeft: 13))
        }
        #expect(countdown > 0 && countdown < screenArea / 20, "countdown step redrew \(countdown) pixels")

        await display.show(KioskScreens.idle(health: Health()))
        let wave = try await Self.changes(display) { await display.advanceAnimation() }
        #expect(wave > 0 && wave < screenArea / 20, "idle animation step redrew \(wave) pixels")

        await display.show(KioskScreens.printing(progress: 30, number: nil))
        let spin = try await Self.changes(display) { await display.advanceAnimation() }
        #expect(spin > 0 && spin < screenArea / 50, "spinner step redrew \(spin) pixels")

        await display.show(confirm)
        let press = try await Self.changes(display) { await display.highlight(.confirm) }
        #expect(press > 0 && press < screenArea / 10, "pressing Cetak redrew \(press) pixels")
    }

    /// Pixels of the panel that differ after `change`.
    static func changes(_ display: FramebufferDisplay, _ change: () async -> Void) async throws -> Int {
        let framebuffer = display.framebuffer
        func pixels() -> [UInt32] {
            (0..<framebuffer.height).flatMap { y in (0..<framebuffer.width).map { framebuffer.pixel(x: $0, y: y) } }
        }
        let before = pixels()
        await change()
        return zip(before, pixels()).count { $0 != $1 }
    }

    @Test("after a session the panel holds exactly a fresh idle screen: no trace of the resident's data")
    func wipe() async throws {
        let used = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565)
        let fresh = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565)
        let session = try FramebufferDisplay(
            framebuffer: used, size: SizeMM(width: 154, height: 86), renderer: Self.renderer)
        let clean = try FramebufferDisplay(
            framebuffer: fresh, size: SizeMM(width: 154, height: 86), renderer: Self.renderer)
        for (_, screen) in ScreenGallery.screens() { await session.show(screen) }
        await session.show(KioskScreens.idle(health: Health()))
        await clean.show(KioskScreens.idle(health: Health()))
        #expect(memcmp(used.base, fresh.base, used.stride * used.height) == 0)
    }

    @Test("with two pages every frame is shown whole, and after a session neither page keeps the resident's data")
    func flipping() async throws {
        let paged = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565, pages: 2)
        let single = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565)
        let flipping = try FramebufferDisplay(
            framebuffer: paged, size: SizeMM(width: 154, height: 86), renderer: Self.renderer)
        let reference = try FramebufferDisplay(
            framebuffer: single, size: SizeMM(width: 154, height: 86), renderer: Self.renderer)
        let confirm = KioskScreens.confirm(
            letter: LetterCatalogue.openSIDSelfService.selfService[0], resident: ScreenGallery.sample,
            purpose: "Lainnya")
        // Full frames and partial ones, alternating, so the hidden page must catch up on what it missed.
        let steps: [@Sendable (FramebufferDisplay) async -> Void] = [
            { await $0.show(confirm) }, { await $0.highlight(.confirm) }, { await $0.highlight(nil) },
            { await $0.show(KioskScreens.timeoutWarning(secondsLeft: 14)) },
            { await $0.show(KioskScreens.timeoutWarning(secondsLeft: 13)) },
            { await $0.show(KioskScreens.timeoutWarning(secondsLeft: 12)) },
            { await $0.show(KioskScreens.printing(progress: 30, number: nil)) }, { await $0.advanceAnimation() },
            { await $0.advanceAnimation() }, { await $0.show(KioskScreens.printing(progress: 60, number: nil)) },
        ]
        let bytes = paged.stride * paged.height
        for (index, step) in steps.enumerated() {
            let before = paged.shown
            await step(flipping)
            await step(reference)
            #expect(paged.shown != before, "step \(index) was not flipped in")
            #expect(
                memcmp(paged.pages[paged.shown], single.pages[0], bytes) == 0, "step \(index) shows another picture")
        }
        #expect(paged.flips)

        // Through the port, as the runtime does it.
        let port: any Display = flipping
        await port.sessionCleared()
        await port.show(KioskScreens.idle(health: Health()))
        await reference.show(KioskScreens.idle(health: Health()))
        #expect(memcmp(paged.pages[0], single.pages[0], bytes) == 0)
        #expect(memcmp(paged.pages[1], single.pages[0], bytes) == 0)
    }

    @Test("the diagnostics screen lists the framebuffer's facts, shows colour bars and a crosshair at the touch")
    func diagnostics() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600, format: .bgr565)
        let display = try Self.display(framebuffer)
        await display.show(KioskScreens.diagnostics())
        #expect(display.facts[0].contains("1024x600") && display.facts[0].contains("BGR565"))
        // The first bar is red on the panel, through its BGR565 format.
        let redBar = (x: 60, y: 200)
        #expect(
            framebuffer.color(x: redBar.x, y: redBar.y) == (255, 0, 0), "\(framebuffer.color(x: redBar.x, y: redBar.y))"
        )
        let before = framebuffer.color(x: 700, y: 520)
        _ = await display.button(atPanel: 700.0 / 1024, 520.0 / 600)
        let mark = framebuffer.color(x: 700, y: 520)
        #expect(mark != before && mark.red > 0x80 && mark.green < 0x40, "a red crosshair where the finger landed")
    }

    @Test("a touch is hit-tested through the rotation and the panel's millimetres")
    func touch() async throws {
        let display = try Self.display(try Framebuffer.virtual(width: 1024, height: 600), rotation: .half)
        await display.show(KioskScreens.done(draft: false))
        // Selesai spans the bottom of the drawn screen; turned 180°, that is the top of the panel.
        #expect(await display.button(atPanel: 0.5, 0.05) == .finish)
        #expect(await display.button(atPanel: 0.5, 0.95) == nil)
    }
}

extension Size {
    var mm: SizeMM { SizeMM(width: width, height: height) }
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
