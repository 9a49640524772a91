/// A short command APDU (ISO 7816-3 section 12.1): the header and, by case, data and Le.
///
/// Extended lengths are not parsed: the e-KTP read flow uses short APDUs only (208-byte chunks), and an extended
/// APDU fails to parse, which the card answers with `67 00` as a real short-only card would.
struct CommandAPDU: Hashable, Sendable {
    var cla: UInt8
    var ins: UInt8
    var p1: UInt8
    var p2: UInt8
    var data: [UInt8]
    /// The raw Le byte; `nil` when absent (cases 1 and 3). `0` means "up to 256".
    var le: UInt8?

    /// `nil` when the length fields do not add up.
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 4 else { return nil }
        (cla, ins, p1, p2) = (bytes[0], bytes[1], bytes[2], bytes[3])
        let body = bytes.dropFirst(4)
        switch body.count {
        case 0:  // case 1
            data = []
            le = nil
        case 1:  // case 2
            data = []
            le = body.first
        default:
            let lc = Int(body[body.startIndex])
            guard lc > 0 else { return nil }
            let rest = body.dropFirst()
            if rest.count == lc {  // case 3
                data = Array(rest)
                le = nil
            } else if rest.count == lc + 1 {  // case 4
                data = Array(rest.prefix(lc))
                le = rest.last
            } else {
                return nil
            }
        }
    }

    /// Ne, the most bytes the reader accepts: Le, with 00 meaning 256; 0 when Le is absent.
    var expectedLength: Int {
        guard let le else { return 0 }
        return le == 0 ? 256 : Int(le)
    }
}
