/// Reads the ESC/POS a kiosk sends, byte by byte, into what would come out on paper and what the printer must
/// answer. Written from the command reference (printing.md §1), independently of the kiosk's encoder, so that a
/// test of the two together is not the encoder checking itself. Unknown commands are reported, never guessed.
struct EscPosDecoder {
    /// What the paper shows, top to bottom.
    enum Paper: Equatable {
        /// A printed line of text (code page 858 decoded), with its style at the time.
        case line(String, bold: Bool, alignment: Int, scale: Int)
        /// A raster band: `widthBytes * 8` dots wide, rows MSB first.
        case raster(widthBytes: Int, height: Int, bits: [UInt8])
        /// A native QR (`GS ( k`): its data, and the dots a module (function 167, 1-16).
        case qr(String, moduleSize: Int)
        case feed(Int)
        case cut
    }

    private(set) var paper: [Paper] = []
    /// Status requests (`DLE EOT n`) in the order they came, for the printer to answer.
    private(set) var statusRequests: [UInt8] = []
    private(set) var unknown: [String] = []
    private var pending: [UInt8] = []
    private var text: [UInt8] = []
    private var bold = false
    private var alignment = 0
    private var scale = 1
    private var qrData: [UInt8] = []
    /// The printers' usual default until function 167 sets it.
    private var qrModuleSize = 3

    /// Feeds bytes; returns the status requests they completed.
    mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        pending += bytes
        let before = statusRequests.count
        while let consumed = step(), consumed > 0 { pending.removeFirst(consumed) }
        return Array(statusRequests[before...])
    }

    /// Ends the job: text not yet ended by a newline is printed as a line.
    mutating func finish() {
        flushText()
        if !pending.isEmpty { unknown.append("\(pending.count) bytes of an unfinished command") }
    }

    /// Decodes one command at the head of `pending`; returns how many bytes it took, or nil when more are needed.
    private mutating func step() -> Int? {
        guard let first = pending.first else { return nil }
        func need(_ count: Int) -> Bool { pending.count >= count }
        func u16(_ at: Int) -> Int { Int(pending[at]) | Int(pending[at + 1]) << 8 }
        switch first {
        case 0x0A:
            flushText(force: true)
            return 1
        case 0x10:  // DLE EOT n
            guard need(3) else { return nil }
            if pending[1] == 0x04 { statusRequests.append(pending[2]) } else { unknown.append("DLE \(pending[1])") }
            return 3
        case 0x1B:
            guard need(2) else { return nil }
            switch pending[1] {
            case 0x40:  // ESC @
                bold = false
                alignment = 0
                scale = 1
                return 2
            case 0x74, 0x2D, 0x4D, 0x21:  // ESC t n, ESC - n, ESC M n, ESC ! n: no mark on paper of ours
                return need(3) ? 3 : nil
            case 0x45:
                guard need(3) else { return nil }
                flushText()
                bold = pending[2] & 1 == 1
                return 3
            case 0x61:
                guard need(3) else { return nil }
                flushText()
                alignment = Int(pending[2] & 3)
                return 3
            case 0x64:
                guard need(3) else { return nil }
                flushText()
                paper.append(.feed(Int(pending[2])))
                return 3
            default:
                unknown.append("ESC \(pending[1])")
                return 2
            }
        case 0x1C:  // FS . (cancel Kanji)
            guard need(2) else { return nil }
            if pending[1] != 0x2E { unknown.append("FS \(pending[1])") }
            return 2
        case 0x1D:
            guard need(2) else { return nil }
            switch pending[1] {
            case 0x21:  // GS ! n
                guard need(3) else { return nil }
                flushText()
                scale = max(Int(pending[2] >> 4), Int(pending[2] & 0x0F)) + 1
                return 3
            case 0x56:  // GS V m [n]
                guard need(3) else { return nil }
                flushText()
                paper.append(.cut)
                return pending[2] >= 0x41 ? (need(4) ? 4 : nil) : 3
            case 0x76:  // GS v 0 m xL xH yL yH data
                guard need(8) else { return nil }
                let (widthBytes, height) = (u16(4), u16(6))
                guard need(8 + widthBytes * height) else { return nil }
                flushText()
                paper.append(
                    .raster(widthBytes: widthBytes, height: height, bits: Array(pending[8..<8 + widthBytes * height])))
                return 8 + widthBytes * height
            case 0x28:  // GS ( L / GS ( k: a 16-bit length after the function letter
                guard need(5) else { return nil }
                let length = u16(3)
                guard need(5 + length) else { return nil }
                let body = Array(pending[5..<5 + length])
                flushText()
                switch pending[2] {
                case 0x4C: graphics(body)
                case 0x6B: qrFunction(body)
                default: unknown.append("GS ( \(pending[2])")
                }
                return 5 + length
            default:
                unknown.append("GS \(pending[1])")
                return 2
            }
        default:
            text.append(first)
            return 1
        }
    }

    private mutating func graphics(_ body: [UInt8]) {
        // 30 70 30 bx by c xL xH yL yH data: store; 30 32: print what was stored.
        if body.count >= 10, body[0] == 0x30, body[1] == 0x70 {
            let width = Int(body[6]) | Int(body[7]) << 8
            let height = Int(body[8]) | Int(body[9]) << 8
            paper.append(.raster(widthBytes: (width + 7) / 8, height: height, bits: Array(body[10...])))
        } else if body != [0x30, 0x32] {
            unknown.append("GS ( L function \(body.dropFirst().first ?? 0)")
        }
    }

    private mutating func qrFunction(_ body: [UInt8]) {
        guard body.count >= 2, body[0] == 0x31 else { return }
        switch body[1] {
        case 0x43 where body.count >= 3: qrModuleSize = Int(min(max(body[2], 1), 16))
        case 0x50: qrData = Array(body.dropFirst(3))
        case 0x51: paper.append(.qr(String(decoding: qrData, as: UTF8.self), moduleSize: qrModuleSize))
        default: break  // model, error correction
        }
    }

    private mutating func flushText(force: Bool = false) {
        guard force || !text.isEmpty else { return }
        paper.append(.line(CP858.decode(text), bold: bold, alignment: alignment, scale: scale))
        text = []
    }
}

/// Code page 858's upper half, for the transcript (the lower half is ASCII).
enum CP858 {
    static let upper = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{AD}±‗¾¶§÷¸°¨·¹³²■\u{A0}"
    )

    static func decode(_ bytes: [UInt8]) -> String {
        String(bytes.map { $0 < 0x80 ? Character(UnicodeScalar($0)) : upper[Int($0) - 0x80] })
    }
}
