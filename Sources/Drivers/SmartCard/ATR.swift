/// An Answer To Reset as PC/SC reports it, parsed far enough to tell a contactless e-KTP from other cards.
///
/// Contactless readers build the ATR themselves (PC/SC part 3): `3B 8n 80 01` then n historical bytes (a Type A
/// card's ATS historical bytes, or a Type B card's ATQB) and a check byte TCK. e-KTPs are recognised by their
/// historical bytes, never by the full ATR: a Type B ATR carries the card's own PUPI.
public struct ATR: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The historical bytes, if the ATR is well formed (T0's low nibble says how many; the interface bytes are
    /// skipped by following the TDi chain). `nil` for a truncated or garbage ATR.
    public var historicalBytes: [UInt8]? {
        guard bytes.count >= 2, bytes[0] == 0x3B || bytes[0] == 0x3F else { return nil }
        let count = Int(bytes[1] & 0x0F)
        var index = 1
        var y = bytes[1] >> 4  // which of TA/TB/TC/TD follow
        while true {
            let present = (0..<4).filter { y & (1 << $0) != 0 }.count
            guard index + present < bytes.count else { return nil }
            let td = y & 0x8 != 0 ? bytes[index + present] : nil
            index += present
            guard let td else { break }
            y = td >> 4
        }
        let start = index + 1
        guard start + count <= bytes.count else { return nil }
        return Array(bytes[start..<start + count])
    }

    /// Whether the check byte is right (XOR of T0 through TCK is zero); ATRs that announce only T=0 have none.
    public var checksumValid: Bool {
        guard bytes.count >= 2 else { return false }
        return bytes.dropFirst().reduce(0, ^) == 0
    }

    /// What kind of card this is, as far as the ATR tells.
    public var kind: CardKind {
        guard bytes.count >= 4, bytes[0] == 0x3B, bytes[1] & 0xF0 == 0x80, bytes[2] == 0x80, bytes[3] == 0x01,
            let history = historicalBytes
        else { return historicalBytes == nil ? .unreadable : .other }
        if Self.eKTPTypeAHistories.contains(history) { return .ektpTypeA }
        // ATQB: 50, PUPI (4 bytes, per card), application data 30 AA AA 01, protocol info.
        if history.count == 12, history[0] == 0x50, Array(history[5..<9]) == [0x30, 0xAA, 0xAA, 0x01] {
            return .ektpTypeB
        }
        return history.first == 0x50 ? .contactlessTypeB : .contactlessTypeA
    }

    /// ATS historical bytes of the known Type A e-KTPs (pcsc-tools' smartcard_list: `eKTP0D2eKTP`, `P308G0P3_10`).
    static let eKTPTypeAHistories: Set<[UInt8]> = [
        Array("eKTP0D2eKTP".utf8),
        Array("P308G0P3_10".utf8),
    ]

    public var description: String { bytes.hexString }
}

/// What card lies on the reader.
public enum CardKind: String, Hashable, Sendable {
    case ektpTypeA = "e-KTP (ISO 14443 Type A)"
    case ektpTypeB = "e-KTP (ISO 14443 Type B)"
    case contactlessTypeA = "contactless card (Type A), not a known e-KTP"
    case contactlessTypeB = "contactless card (Type B), not a known e-KTP"
    case other = "contact card or unknown card"
    case unreadable = "card with an unreadable ATR"

    public var isEKTP: Bool { self == .ektpTypeA || self == .ektpTypeB }
}
