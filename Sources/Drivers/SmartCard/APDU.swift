/// A command APDU (ISO 7816-4), short or extended: the form is chosen from the lengths.
public struct CommandAPDU: Hashable, Sendable, CustomStringConvertible {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    public var data: [UInt8]
    /// Expected response length; 0 means none expected, `.max` (256 short / 65536 extended) means "all".
    public var le: Int

    public init(cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], le: Int = 0) {
        precondition(data.count <= 65535 && le >= 0 && le <= 65536, "APDU lengths out of range")
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.le = le
    }

    /// Extended lengths are needed when data exceeds 255 bytes or more than 256 bytes are expected.
    public var isExtended: Bool { data.count > 255 || le > 256 }

    /// The bytes on the wire: cases 1-4, short or extended (ISO 7816-4 §5.1).
    public var bytes: [UInt8] {
        var out = [cla, ins, p1, p2]
        if isExtended {
            if !data.isEmpty {
                out += [0, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
            }
            if le > 0 {
                let encoded = le == 65536 ? 0 : le
                out += (data.isEmpty ? [0] : []) + [UInt8(encoded >> 8), UInt8(encoded & 0xFF)]
            }
        } else {
            if !data.isEmpty { out += [UInt8(data.count)] + data }
            if le > 0 { out.append(le == 256 ? 0 : UInt8(le)) }
        }
        return out
    }

    public var description: String { bytes.hexString }

    /// `FF CA 00 00 00`: PC/SC's GET DATA for the card's UID (the reader answers, not the card).
    public static let getUID = CommandAPDU(cla: 0xFF, ins: 0xCA, p1: 0x00, p2: 0x00, le: 256)

    /// `00 C0 00 00 Le`: GET RESPONSE, fetching what a `61xx` announced.
    static func getResponse(_ length: Int) -> CommandAPDU {
        CommandAPDU(cla: 0x00, ins: 0xC0, p1: 0, p2: 0, le: length == 0 ? 256 : length)
    }
}

/// A response APDU: data and the status word.
public struct ResponseAPDU: Hashable, Sendable, CustomStringConvertible {
    public var data: [UInt8]
    public var sw1: UInt8
    public var sw2: UInt8

    public init(data: [UInt8], sw1: UInt8, sw2: UInt8) {
        self.data = data
        self.sw1 = sw1
        self.sw2 = sw2
    }

    /// `nil` when fewer than two bytes came back: no status word, the card misbehaved.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 2 else { return nil }
        data = Array(bytes.dropLast(2))
        sw1 = bytes[bytes.count - 2]
        sw2 = bytes[bytes.count - 1]
    }

    public var statusWord: UInt16 { UInt16(sw1) << 8 | UInt16(sw2) }
    public var isSuccess: Bool { statusWord == 0x9000 }

    public var description: String { (data + [sw1, sw2]).hexString }
}

extension Array where Element == UInt8 {
    /// `FF CA 00 00 00`.
    public var hexString: String {
        map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
