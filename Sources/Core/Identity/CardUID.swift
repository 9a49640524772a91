/// The unique identifier a contactless card gives the reader (`FF CA 00 00 00`): 4, 7 or 10 bytes.
///
/// Stored in reader order as hex. OpenSID's `tag_id_card` holds what a keyboard-wedge reader typed: usually the
/// bytes as one big-endian decimal number (10 digits for 4 bytes, up to 17 for 7), sometimes hex, sometimes with
/// the bytes reversed; `matches(tag:allowReversed:)` accepts all of them.
public struct CardUID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CardUIDError) {
        guard [4, 7, 10].contains(bytes.count) else { throw .wrongLength(found: bytes.count) }
        self.bytes = bytes
    }

    /// Parses the hex form, with or without separators (`04:A2:1B`, `04 a2 1b`).
    public init(hex text: some StringProtocol) throws(CardUIDError) {
        let nibbles = text.unicodeScalars.filter { !" :-".unicodeScalars.contains($0) }.map(Self.hexValue)
        guard nibbles.allSatisfy({ $0 != nil }), nibbles.count % 2 == 0 else { throw .notHex }
        let values = nibbles.map { UInt8($0!) }
        try self.init(bytes: stride(from: 0, to: values.count, by: 2).map { values[$0] << 4 | values[$0 + 1] })
    }

    private static func hexValue(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "0"..."9": Int(s.value - 48)
        case "a"..."f": Int(s.value - 87)
        case "A"..."F": Int(s.value - 55)
        default: nil
        }
    }

    /// Upper-case hex in reader order, `04A21B6C9E4F80`.
    public var hex: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
    }

    /// The UID as a report may name it (an operator's stop in the heartbeat): the last two bytes, `****4F80`. Enough
    /// for a village to tell its few operator cards apart, too little to clone one.
    public var masked: String { "****" + String(hex.suffix(4)) }

    /// The UID as OpenSID's `tag_id_card`: the bytes as one big-endian decimal number, zero-padded to 10 digits
    /// for 4-byte UIDs as wedge readers type them. `nil` for 10-byte UIDs, whose number (up to 25 digits) does
    /// not fit OpenSID's 17-character column.
    public var openSIDTag: String? { bytes.count == 10 ? nil : Self.decimal(bytes, width: 10) }

    /// The same with the byte order reversed, for readers that report the UID backwards.
    public var reversedOpenSIDTag: String? { bytes.count == 10 ? nil : Self.decimal(bytes.reversed(), width: 10) }

    /// The full decimal number (any length), zero-padded to `width`.
    public var decimal: String { Self.decimal(bytes, width: 1) }

    public var reversed: CardUID { CardUID(unchecked: bytes.reversed()) }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Whether an OpenSID `tag_id_card` (decimal, or hex as some readers type it) names this card.
    /// Decimal tags compare as numbers, so leading zeros do not matter.
    public func matches(tag: some StringProtocol, allowReversed: Bool = false) -> Bool {
        guard let other = CardTag(tag) else { return false }
        return other.matches(self) || (allowReversed && other.matches(reversed))
    }

    public var description: String { hex }

    /// Big-endian bytes to decimal by long division, for numbers wider than 64 bits.
    static func decimal(_ bytes: some Collection<UInt8>, width: Int) -> String {
        var number = Array(bytes)
        var digits: [UInt8] = []
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in number.indices {
                let value = remainder << 8 | Int(number[i])
                number[i] = UInt8(value / 10)
                remainder = value % 10
            }
            digits.append(UInt8(remainder) + UInt8(ascii: "0"))
        }
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}

/// A `tag_id_card` as registered in OpenSID: a decimal number of 10-17 digits, or the UID's hex.
public struct CardTag: Hashable, Sendable {
    enum Form: Hashable, Sendable {
        case decimal(String)  // without leading zeros
        case hex(CardUID)
    }
    let form: Form

    /// `nil` for anything that is neither 10-17 decimal digits nor the hex of a 4-, 7- or 10-byte UID.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        // All-digit text of another length may still be hex (`12345678` is a 4-byte UID), so it falls through.
        if trimmed.allSatisfy(\.isASCIIDigit), (10...17).contains(trimmed.count) {
            let stripped = trimmed.drop { $0 == "0" }
            form = .decimal(stripped.isEmpty ? "0" : String(stripped))
        } else if let uid = try? CardUID(hex: trimmed) {
            form = .hex(uid)
        } else {
            return nil
        }
    }

    /// Whether this tag names the card with `uid` (decimal tags compare as numbers).
    public func matches(_ uid: CardUID) -> Bool {
        switch form {
        case .decimal(let digits): digits == CardUID.decimal(uid.bytes, width: 1)
        case .hex(let other): other == uid
        }
    }
}

public enum CardUIDError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(found: Int)
    case notHex

    public var description: String {
        switch self {
        case .wrongLength(let n): "a card UID has 4, 7 or 10 bytes, this one has \(n)"
        case .notHex: "a card UID in hex holds pairs of 0-9 and A-F only"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line ends (Core has no Foundation).
    func trimmingWhitespace() -> Substring {
        let s = self[...]
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = s.firstIndex(where: { !isSpace($0) }), let end = s.lastIndex(where: { !isSpace($0) }) else {
            return Substring()
        }
        return Substring(s[start...end])
    }
}
