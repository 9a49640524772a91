import Core
import Testing

@testable import Drivers

/// Golden bytes for every command, written out from the ESC/POS reference (printing.md §1), not from the
/// encoder's own tables.
@Suite("ESC/POS encoder, status replies and 1-bit rasters")
struct EscPosTests {
    static let pos58 = PrinterProfile.builtIn["pos58"]!
    static let pos80 = PrinterProfile.builtIn["pos80"]!
    static let tmT88 = PrinterProfile.builtIn["tm-t88"]!

    static func bytes(_ profile: PrinterProfile = pos80, _ build: (inout EscPosEncoder) throws -> Void) rethrows
        -> [UInt8]
    {
        var encoder = EscPosEncoder(profile: profile)
        try build(&encoder)
        return encoder.bytes
    }

    @Test("initialise: ESC @, FS . on Kanji firmware, ESC t 19 (CP858)")
    func initialize() {
        #expect(Self.bytes(Self.pos58) { $0.initialize() } == [0x1B, 0x40, 0x1C, 0x2E, 0x1B, 0x74, 19])
        #expect(Self.bytes(PrinterProfile.builtIn["tm-t20"]!) { $0.initialize() } == [0x1B, 0x40, 0x1B, 0x74, 19])
    }

    @Test("styles, alignment, size and feed")
    func styles() {
        #expect(Self.bytes { $0.bold(true) } == [0x1B, 0x45, 0x01])
        #expect(Self.bytes { $0.bold(false) } == [0x1B, 0x45, 0x00])
        #expect(Self.bytes { $0.underline(2) } == [0x1B, 0x2D, 0x02])
        #expect(Self.bytes { $0.align(.center) } == [0x1B, 0x61, 0x01])
        #expect(Self.bytes { $0.align(.right) } == [0x1B, 0x61, 0x02])
        #expect(Self.bytes { $0.size(width: 2, height: 2) } == [0x1D, 0x21, 0x11])
        #expect(Self.bytes { $0.size(width: 1, height: 3) } == [0x1D, 0x21, 0x02])
        #expect(Self.bytes { $0.size(width: 9, height: 0) } == [0x1D, 0x21, 0x70], "clamped to 1-8")
        #expect(Self.bytes { $0.feed(lines: 3) } == [0x1B, 0x64, 0x03])
    }

    @Test("cut: feed-and-cut partial or full by the profile; no cutter, only a feed")
    func cuts() {
        #expect(Self.bytes(Self.pos80) { $0.cut(.partial) } == [0x1D, 0x56, 0x42, 0x03])
        #expect(Self.bytes(Self.pos80) { $0.cut(.full) } == [0x1D, 0x56, 0x41, 0x03])
        var fullOnly = Self.pos80
        fullOnly.cutter = .full
        #expect(Self.bytes(fullOnly) { $0.cut(.partial) } == [0x1D, 0x56, 0x41, 0x03])
        #expect(Self.bytes(Self.pos58) { $0.cut() } == [0x1B, 0x64, 0x04])
    }

    @Test("text in CP858, transliterated where the code page lacks a letter, control bytes dropped")
    func text() throws {
        #expect(try Self.bytes { try $0.line("Rp 5.000") } == Array("Rp 5.000\n".utf8))
        // Ñ 0xA5, é 0x82, € 0xD5 in CP858; ễ has no glyph: e.
        #expect(try Self.bytes { try $0.text("Ñé€ễ") } == [0xA5, 0x82, 0xD5, 0x65])
        #expect(try Self.bytes { try $0.text("A\u{1B}@B\u{10}\u{04}C") } == Array("A@BC".utf8), "no command smuggled")
        #expect(try Self.bytes { try $0.text("日") } == [0x3F])
    }

    @Test("GS v 0: width in bytes, height in dots, bands no taller than the profile allows")
    func rasterBands() throws {
        // 12 x 3 dots: a row of black, a row of white, the left dot only.
        let image = MonochromeBitmap(width: 12, height: 3, bits: [0xFF, 0xF0, 0x00, 0x00, 0x80, 0x00])
        #expect(
            try Self.bytes { try $0.raster(image) } == [
                0x1D, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00, 0xFF, 0xF0, 0x00, 0x00, 0x80, 0x00,
            ])
        var short = Self.pos80
        short.maxBandHeight = 2
        #expect(
            try Self.bytes(short) { try $0.raster(image) } == [
                0x1D, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, 0xFF, 0xF0, 0x00, 0x00,
                0x1D, 0x76, 0x30, 0x00, 0x02, 0x00, 0x01, 0x00, 0x80, 0x00,
            ])
    }

    @Test("GS ( L store and print; a block never exceeds its 16-bit length field")
    func graphicsBlocks() throws {
        let image = MonochromeBitmap(width: 8, height: 1, bits: [0xAA])
        #expect(
            try Self.bytes(Self.tmT88) { try $0.raster(image) } == [
                0x1D, 0x28, 0x4C, 0x0B, 0x00, 0x30, 0x70, 0x30, 0x01, 0x01, 0x31, 0x08, 0x00, 0x01, 0x00, 0xAA,
                0x1D, 0x28, 0x4C, 0x02, 0x00, 0x30, 0x32,
            ])
        // 512 dots x 2000 rows = 128,000 bytes in one band: split until every block fits.
        var tall = Self.tmT88
        tall.maxBandHeight = 2000
        let big = MonochromeBitmap(width: 512, height: 2000, bits: [UInt8](repeating: 0x55, count: 64 * 2000))
        let bytes = try Self.bytes(tall) { try $0.raster(big) }
        var index = 0
        var stored = 0
        while index < bytes.count {
            #expect(Array(bytes[index..<index + 3]) == [0x1D, 0x28, 0x4C])
            let length = Int(bytes[index + 3]) | Int(bytes[index + 4]) << 8
            if bytes[index + 6] == 0x70 {
                let rows = Int(bytes[index + 13]) | Int(bytes[index + 14]) << 8
                #expect(length == 10 + rows * 64, "the declared length is the real one")
                stored += rows
            }
            index += 5 + length
        }
        #expect(index == bytes.count)
        #expect(stored == 2000)
    }

    @Test("an image wider than the paper is refused")
    func tooWide() {
        let image = MonochromeBitmap(width: 400, height: 1, bits: [UInt8](repeating: 0, count: 50))
        #expect(throws: EscPosError.imageTooWide(width: 400, printable: 384)) {
            try Self.bytes(Self.pos58) { try $0.raster(image) }
        }
    }

    @Test("native QR: model 2, module size, ECC M, store, print; raster where the profile has no QR")
    func qr() throws {
        let native = try Self.bytes {
            try $0.qr("AB", moduleSize: 6) { MonochromeBitmap(width: 8, height: 1, bits: [0]) }
        }
        #expect(
            native == [
                0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,
                0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06,
                0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31,
                0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, 0x41, 0x42,
                0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30,
            ])
        let raster = try Self.bytes(Self.pos58) {
            try $0.qr("AB") { MonochromeBitmap(width: 8, height: 1, bits: [0xF0]) }
        }
        #expect(raster == [0x1D, 0x76, 0x30, 0x00, 0x01, 0x00, 0x01, 0x00, 0xF0])
    }

    // MARK: Status

    @Test("DLE EOT replies by bit pattern: ready, paper out, cover open, cutter, offline, near end")
    func statusBits() {
        func status(_ replies: [UInt8]) -> ThermalStatus {
            var status = ThermalStatus()
            for (n, byte) in zip(UInt8(1)...4, replies) { status.apply(reply: byte, to: n) }
            return status
        }
        #expect(status([0x12, 0x12, 0x12, 0x12]).problem == nil)
        #expect(status([0x1A, 0x32, 0x12, 0x7E]).problem == .paperOut, "the documented out-of-paper example")
        #expect(status([0x1A, 0x16, 0x12, 0x12]).problem == .coverOpen)
        #expect(status([0x1A, 0x12, 0x1A, 0x12]).problem == .cutterError)
        #expect(status([0x1A, 0x12, 0x12, 0x12]).problem == .offline)
        let nearEnd = status([0x12, 0x12, 0x12, 0x1E])
        #expect(nearEnd.paperNearEnd && nearEnd.problem == nil, "near end still prints")
        #expect(ThermalStatus.fullCheck == [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4])
    }

    @Test("replies are matched to their requests through XON/XOFF, ASB blocks and stray bytes")
    func replyScanner() {
        var scanner = EscPosReplyScanner()
        scanner.sent(1)
        scanner.sent(4)
        // XOFF, an ASB block (first byte 0xx1xx00, three more), noise, reply 1, XON, reply 4.
        let replies = scanner.receive([0x13, 0x10, 0x0C, 0x00, 0x00, 0x41, 0x1A, 0x11, 0x7E])
        #expect(replies.map(\.request) == [1, 4])
        #expect(replies.map(\.reply) == [0x1A, 0x7E])
        #expect(!scanner.isWaiting)
        #expect(scanner.receive([0x12]).isEmpty, "an unsolicited reply is not matched to anything")
    }

    // MARK: 1-bit raster

    @Test("a drawn page thresholds to black dots where it is dark, over white where transparent")
    func threshold() {
        // ARGB premultiplied: opaque black, opaque white, transparent, 60 % grey, dark red.
        let image = RasterImage(
            width: 5, height: 1, wordsPerRow: 8,
            pixels: [0xFF00_0000, 0xFFFF_FFFF, 0x0000_0000, 0xFF99_9999, 0xFF80_0000, 0, 0, 0])
        let bitmap = MonochromeBitmap(image)
        #expect((0..<5).map { bitmap.isBlack(x: $0, y: 0) } == [true, false, false, false, true])
        #expect(bitmap.bits == [0b1000_1000])
    }

    @Test("the eight-pixel vector path and the tail agree with the per-pixel rule on every kind of pixel")
    func thresholdMatchesThePerPixelRule() {
        // Width 21: two whole bytes through the vector path, five pixels through the tail; rows padded to 24 words.
        var generator = SplitMix64(seed: 5)
        let (width, height, wordsPerRow) = (21, 9, 24)
        var pixels = [UInt32](repeating: 0, count: wordsPerRow * height)
        for i in pixels.indices {
            // Premultiplied: no channel above alpha. Some all-white and all-black runs, the rest anything.
            let a = UInt32(generator.next() % 256)
            let pick = generator.next() % 4
            pixels[i] =
                pick == 0
                ? 0xFFFF_FFFF
                : pick == 1
                    ? 0xFF00_0000
                    : a << 24 | UInt32(generator.next() % UInt64(a + 1)) << 16 | UInt32(
                        generator.next() % UInt64(a + 1)) << 8
                        | UInt32(generator.next() % UInt64(a + 1))
        }
        let image = RasterImage(width: width, height: height, wordsPerRow: wordsPerRow, pixels: pixels)
        for threshold in [0, 1, 128, 200, 255, 256] {
            let bitmap = MonochromeBitmap(image, threshold: threshold)
            for y in 0..<height {
                for x in 0..<width {
                    let p = Int(image[x, y])
                    let paper = 255 - p >> 24
                    let luminance =
                        299 * ((p >> 16 & 0xFF) + paper) + 587 * ((p >> 8 & 0xFF) + paper) + 114 * ((p & 0xFF) + paper)
                    #expect(
                        bitmap.isBlack(x: x, y: y) == (luminance < threshold * 1000),
                        "x \(x) y \(y) threshold \(threshold)")
                }
            }
        }
    }
}

@Suite("Slips set for the printer")
struct SlipEncodingTests {
    @Test("words wrap to the columns; a word longer than a line is cut")
    func wrap() {
        #expect(EscPosEncoder.wrap("Surat Keterangan Domisili Usaha", 16) == ["Surat Keterangan", "Domisili Usaha"])
        #expect(EscPosEncoder.wrap(String(repeating: "A", count: 20), 8) == ["AAAAAAAA", "AAAAAAAA", "AAAA"])
        #expect(EscPosEncoder.wrap("", 8) == [""])
    }

    @Test("a printer without native QR gets the QR as raster, no wider than its paper")
    func rasterQR() throws {
        var encoder = EscPosEncoder(profile: PrinterProfile.builtIn["pos58"]!)
        try encoder.slip(Slip([.qr("VK1:TEST")]), renderer: try Renderer())
        let bytes = encoder.bytes
        let start = try #require((0..<bytes.count - 3).first { bytes[$0...$0 + 3] == [0x1D, 0x76, 0x30, 0x00] })
        let widthBytes = Int(bytes[start + 4]) | Int(bytes[start + 5]) << 8
        #expect(widthBytes == 48, "384 dots")
        #expect(!(0..<bytes.count - 2).contains { bytes[$0...$0 + 2] == [0x1D, 0x28, 0x6B] }, "no GS ( k")
    }
}
