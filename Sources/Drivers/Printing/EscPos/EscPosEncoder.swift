/// Builds the bytes of an ESC/POS job for one printer profile. Each method appends one command; `bytes` is the
/// job. The byte values follow Epson's ESC/POS reference as python-escpos emits them (printing.md §1).
public struct EscPosEncoder: Sendable {
    public let profile: PrinterProfile
    public private(set) var bytes: [UInt8] = []

    public init(profile: PrinterProfile) {
        self.profile = profile
    }

    public enum Alignment: UInt8, Sendable {
        case left = 0
        case center = 1
        case right = 2
    }

    public enum Cut: Sendable {
        case full
        case partial
    }

    // MARK: Set-up and text

    /// `ESC @`, then `FS .` on Kanji firmware and `ESC t` for the profile's code page.
    public mutating func initialize() {
        bytes += [0x1B, 0x40]
        if profile.cancelsKanji { bytes += [0x1C, 0x2E] }
        bytes += [0x1B, 0x74, UInt8(profile.codePage)]
    }

    /// Text in the profile's code page: letters it lacks become their closest ASCII ("ễ" → "e", iconv's
    /// transliteration), and what has none becomes "?". Control characters other than newline are dropped, so
    /// a name can never smuggle a command to the printer.
    public mutating func text(_ text: String) throws(EscPosError) {
        let clean = String(text.unicodeScalars.filter { $0 == "\n" || $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        bytes += try CodePage.encode(clean, as: profile.encoding)
    }

    /// `text` and a newline.
    public mutating func line(_ text: String) throws(EscPosError) {
        try self.text(text)
        bytes.append(0x0A)
    }

    /// `ESC E n`.
    public mutating func bold(_ on: Bool) { bytes += [0x1B, 0x45, on ? 1 : 0] }

    /// `ESC - n`: 0 off, 1 thin, 2 thick.
    public mutating func underline(_ weight: UInt8) { bytes += [0x1B, 0x2D, min(weight, 2)] }

    /// `ESC a n`.
    public mutating func align(_ alignment: Alignment) { bytes += [0x1B, 0x61, alignment.rawValue] }

    /// `GS ! n`: width and height multipliers, 1-8 each.
    public mutating func size(width: Int, height: Int) {
        let w = UInt8(min(max(width, 1), 8) - 1)
        let h = UInt8(min(max(height, 1), 8) - 1)
        bytes += [0x1D, 0x21, w << 4 | h]
    }

    /// `ESC d n`: feeds `lines` lines (0-255).
    public mutating func feed(lines: Int) { bytes += [0x1B, 0x64, UInt8(min(max(lines, 0), 255))] }

    /// Feeds the paper past the cutter and cuts (`GS V 66 n`, feed and cut). A partial cut where the profile has
    /// none falls back to full; without a cutter, only the feed (the resident tears the paper).
    public mutating func cut(_ cut: Cut = .partial) {
        switch profile.cutter {
        case .none: feed(lines: 4)
        case .full: bytes += [0x1D, 0x56, 0x41, 0x03]
        case .partial: bytes += [0x1D, 0x56, cut == .partial ? 0x42 : 0x41, 0x03]
        }
    }

    // MARK: Images

    /// A 1-bit image, in bands no taller than the profile allows (a printer's buffer is a few KB: one huge
    /// command overflows it and the rest of the image prints as garbage). Wider than the paper is an error.
    public mutating func raster(_ image: MonochromeBitmap) throws(EscPosError) {
        guard image.width <= profile.widthDots else {
            throw .imageTooWide(width: image.width, printable: profile.widthDots)
        }
        var top = 0
        while top < image.height {
            let band = image.rows(top..<min(top + profile.maxBandHeight, image.height))
            switch profile.rasterCommand {
            case .gsV0: gsV0(band)
            case .graphics: graphics(band)
            }
            top += band.height
        }
    }

    /// `GS v 0 m xL xH yL yH d1...dk`: width in bytes, height in dots.
    private mutating func gsV0(_ band: MonochromeBitmap) {
        bytes += [0x1D, 0x76, 0x30, 0x00]
        bytes += Self.littleEndian16(band.bytesPerRow)
        bytes += Self.littleEndian16(band.height)
        bytes += band.bits
    }

    /// `GS ( L pL pH 30 70 ...` stores a band in the graphics buffer, `GS ( L 02 00 30 32` prints it. The length
    /// field has 16 bits: a band whose data would not fit is split in halves until each does (python-escpos
    /// wraps the length silently, printing.md §4).
    private mutating func graphics(_ band: MonochromeBitmap) {
        let header = 10  // 30 70 30 01 01 31 xL xH yL yH
        if band.bits.count + header > 0xFFFF, band.height > 1 {
            graphics(band.rows(0..<band.height / 2))
            graphics(band.rows(band.height / 2..<band.height))
            return
        }
        bytes += [0x1D, 0x28, 0x4C]
        bytes += Self.littleEndian16(band.bits.count + header)
        bytes += [0x30, 0x70, 0x30, 0x01, 0x01, 0x31]
        bytes += Self.littleEndian16(band.width)
        bytes += Self.littleEndian16(band.height)
        bytes += band.bits
        bytes += [0x1D, 0x28, 0x4C, 0x02, 0x00, 0x30, 0x32]
    }

    // MARK: QR

    /// A QR code: native (`GS ( k`: model 2, module size, error correction M, store, print) where the profile
    /// supports it, else the `fallback` raster (the caller draws it with Drivers/Graphics at the right size).
    public mutating func qr(_ payload: String, moduleSize: Int = 4, fallback: () throws(EscPosError) -> MonochromeBitmap)
        throws(EscPosError)
    {
        guard profile.nativeQR else {
            try raster(fallback())
            return
        }
        let data = Array(payload.utf8)
        guard data.count + 3 <= 7089 else { throw .qrTooLong(data.count) }
        func function(_ fn: UInt8, _ parameters: [UInt8]) {
            bytes += [0x1D, 0x28, 0x6B] + Self.littleEndian16(parameters.count + 2) + [0x31, fn] + parameters
        }
        function(0x41, [0x32, 0x00])  // model 2
        function(0x43, [UInt8(min(max(moduleSize, 1), 16))])
        function(0x45, [0x31])  // error correction M
        function(0x50, [0x30] + data)  // store
        function(0x51, [0x30])  // print
    }

    static func littleEndian16(_ value: Int) -> [UInt8] {
        precondition((0...0xFFFF).contains(value), "ESC/POS length fields have 16 bits")
        return [UInt8(value & 0xFF), UInt8(value >> 8)]
    }
}

public enum EscPosError: Error, Hashable, Sendable, CustomStringConvertible {
    case imageTooWide(width: Int, printable: Int)
    case qrTooLong(Int)
    case encodingUnavailable(String)

    public var description: String {
        switch self {
        case .imageTooWide(let width, let printable):
            "an image of \(width) dots does not fit the printer's \(printable) printable dots (check the profile)"
        case .qrTooLong(let count): "a QR code cannot hold \(count) bytes"
        case .encodingUnavailable(let name): "the code page \(name) is not available (iconv -l lists them)"
        }
    }
}
