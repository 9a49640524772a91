import CQREncode
import Glibc
import NIOConcurrencyHelpers

/// A QR code's modules, from libqrencode.
struct QRCode: Sendable {
    let payload: String
    /// Modules per side, without the quiet zone.
    let side: Int
    /// Row-major, `true` for a dark module.
    let modules: [Bool]

    /// `QRcode_encodeString` at error correction level M (15 % of the code may be lost to a fold or a stain),
    /// the smallest version that fits, case-sensitive. Upper-case payloads get the compact alphanumeric mode.
    init(_ payload: String) throws(GraphicsError) {
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw .qrTooLong(length: payload.utf8.count)
        }
        defer { QRcode_free(code) }
        self.payload = payload
        side = Int(code.pointee.width)
        // Bit 0 of each byte is the module's colour; the other bits are libqrencode's bookkeeping.
        modules = (0..<side * side).map { code.pointee.data[$0] & 1 == 1 }
    }

    func isDark(x: Int, y: Int) -> Bool { modules[y * side + x] }

    /// The code of `payload`, the last one encoded kept: a letter's layout asks for the side of the very code its
    /// drawing encodes next, and libqrencode's choice of mask (eight tried, each scored) was a tenth of a letter's
    /// time (perf of LetterBenchmarks).
    static func encoded(_ payload: String) throws(GraphicsError) -> QRCode {
        if let last = last.withLockedValue({ $0 }), last.payload == payload { return last }
        let code = try QRCode(payload)
        last.withLockedValue { $0 = code }
        return code
    }

    private static let last = NIOLockedValueBox<QRCode?>(nil)
}
