/// The vsmartcard vpcd wire format, both directions: a 2-byte big-endian length, then that many payload bytes
/// (vsmartcard `virtualsmartcard/src/vpcd/vpcd.c`, `sendToVICC`/`recvFromVICC`).
package enum VPCDFrame {
    /// The largest payload a frame can carry.
    package static let maximumPayload = 0xFFFF

    /// The payload with its length prefix. The card's answers are at most a few hundred bytes.
    package static func encode(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= maximumPayload, "a vpcd frame carries at most 65535 bytes")
        return [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
    }
}

/// Collects bytes as TCP delivers them and cuts them into frames: a read may end inside a length prefix or a
/// payload, or hold several frames at once.
package struct VPCDFrameDecoder: Sendable {
    private var buffer: [UInt8] = []

    package init() {}

    package mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete payload, or `nil` until enough bytes have arrived.
    package mutating func next() -> [UInt8]? {
        guard buffer.count >= 2 else { return nil }
        let length = Int(buffer[0]) << 8 | Int(buffer[1])
        guard buffer.count >= 2 + length else { return nil }
        let payload = Array(buffer[2..<2 + length])
        buffer.removeFirst(2 + length)
        return payload
    }

    /// Bytes received but not yet part of a complete frame.
    package var pendingByteCount: Int { buffer.count }
}

/// What vpcd (the reader driver inside pcscd) asks of the card: a 1-byte payload is a control message, anything
/// longer a command APDU.
package enum VPCDMessage: Hashable, Sendable {
    case powerOff
    case powerOn
    case reset
    /// The only control message that expects an answer: the ATR. vpcd also sends it to poll for presence.
    case getATR
    /// A control byte vpcd 0.8 does not send; ignored rather than answered, since vpcd would not read an answer.
    case unknownControl(UInt8)
    case apdu([UInt8])

    package init(payload: [UInt8]) {
        guard payload.count == 1 else {
            self = .apdu(payload)
            return
        }
        switch payload[0] {
        case 0x00: self = .powerOff
        case 0x01: self = .powerOn
        case 0x02: self = .reset
        case 0x04: self = .getATR
        default: self = .unknownControl(payload[0])
        }
    }
}
