/// A service record's identity, made at capture and kept forever: it is also the upload's idempotency key.
///
/// ULID layout: 48 bits of milliseconds since 1970 then 80 random bits, in Crockford base32 (26 characters), so
/// ids sort by capture time and two kiosks never make the same one.
public struct RecordID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let text: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// An id of `time` with the system's random bits: the one the kiosk makes.
    public init(at time: Timestamp) {
        self.init(at: time, random: (UInt16.random(in: .min ... .max), UInt64.random(in: .min ... .max)))
    }

    /// An id of `time` with random bits from `generator` (a seeded one makes reproducible ids).
    public init(at time: Timestamp, using generator: inout some RandomNumberGenerator) {
        self.init(
            at: time,
            random: (UInt16.random(in: .min ... .max, using: &generator), UInt64.random(in: .min ... .max, using: &generator)))
    }

    private init(at time: Timestamp, random: (UInt16, UInt64)) {
        let ms = UInt64(max(0, time.millisecondsSince1970)) & 0xFFFF_FFFF_FFFF
        // 128 bits as two halves: 48-bit time + 16 random bits, then 64 random bits.
        let high = ms << 16 | UInt64(random.0)
        let low = random.1
        var chars = [UInt8](repeating: 0, count: 26)
        // 26 characters of 5 bits = 130 bits: the first character holds the top 3 bits.
        for i in 0..<26 {
            let shift = 125 - 5 * i
            let value: UInt64
            if shift >= 64 {
                value = (high >> UInt64(shift - 64)) & 0x1F
            } else if shift > 59 {
                value = ((high << UInt64(64 - shift)) | (low >> UInt64(shift))) & 0x1F
            } else {
                value = (low >> UInt64(shift)) & 0x1F
            }
            chars[i] = Self.alphabet[Int(value)]
        }
        text = String(decoding: chars, as: UTF8.self)
    }

    /// Accepts 26 Crockford base32 characters whose first is 0-7.
    public init?(_ text: some StringProtocol) {
        let upper = Array(text.utf8)
        guard upper.count == 26, upper.allSatisfy({ Self.alphabet.contains($0) }),
            let first = upper.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "7")
        else { return nil }
        self.text = String(text)
    }

    /// The capture time encoded in the first ten characters.
    public var timestamp: Timestamp {
        let ms = text.utf8.prefix(10).reduce(UInt64(0)) { $0 << 5 | UInt64(Self.alphabet.firstIndex(of: $1)!) }
        return Timestamp(millisecondsSince1970: Int64(ms))
    }

    public static func < (a: RecordID, b: RecordID) -> Bool { a.text < b.text }

    public var description: String { text }
}
