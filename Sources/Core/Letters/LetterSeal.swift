/// The QR on every letter: which letter this is and who issued it, signed by the issuing kiosk's Ed25519 key so
/// anyone holding the kiosks' public keys can check a letter offline (`kiosk verify`).
///
/// Payload, fields separated by `:` (every character is in QR's alphanumeric set when the kiosk id is upper
/// case, which keeps the code small):
///
///     VK1:<number>:<yyyymmdd>:<kiosk id>:<salt, hex>:<holder digest, hex>:<signature, hex>
///
/// The QR carries it as a link to the province's verification page (`qrText(verifyURL:)`), which any phone opens;
/// `kiosk verify` takes the payload out of the link and checks it offline.
///
/// The number carries the letter kind and the village. The holder digest is SHA-256(salt, NIK, name) cut to 16
/// bytes: it binds the letter to its holder without revealing either (the salt stops a table of all NIKs).
/// The signature covers everything before the last `:`. Core only builds and parses; the Kiosk hashes and signs.
public struct LetterSeal: Hashable, Sendable {
    public static let version = "VK1"

    public var number: LetterNumber
    public var issuedOn: CalendarDate
    public var kioskID: String
    public var salt: [UInt8]
    public var holderDigest: [UInt8]
    public var signature: [UInt8]

    public init(
        number: LetterNumber, issuedOn: CalendarDate, kioskID: String, salt: [UInt8], holderDigest: [UInt8],
        signature: [UInt8] = []
    ) {
        self.number = number
        self.issuedOn = issuedOn
        self.kioskID = kioskID
        self.salt = salt
        self.holderDigest = holderDigest
        self.signature = signature
    }

    /// The bytes the kiosk signs.
    public var signedText: String {
        [Self.version, number.formatted, issuedOn.compact, kioskID, Hex.encode(salt), Hex.encode(holderDigest)]
            .joined(separator: ":")
    }

    /// The signed text with its signature: what `kiosk verify` checks.
    public var payload: String { signedText + ":" + Hex.encode(signature) }

    /// What the QR encodes: the payload as a link to the province's verification page, `<base>?s=<payload>`, so a
    /// phone camera opens the page; `nil` base gives the bare payload. Every character of the payload is allowed
    /// as is in a URL's query (RFC 3986), so the link needs no percent-encoding and `kiosk verify` finds the same
    /// payload in it offline.
    public func qrText(verifyURL base: String?) -> String {
        guard let base, !base.isEmpty else { return payload }
        return base + (base.contains("?") ? "&" : "?") + Self.queryName + "=" + payload
    }

    /// The query parameter of the verification page that carries the payload.
    public static let queryName = "s"

    /// The payload in what a scanner read: the bare payload, or the verification link that carries it (its `s`
    /// parameter, percent-decoded, as a browser or a scanner app may have re-encoded it). `nil` when there is none.
    public static func payload(scanned text: some StringProtocol) -> String? {
        let text = text.trimmingPrefix(while: \.isWhitespace)
        guard let end = text.lastIndex(where: { !$0.isWhitespace }) else { return nil }
        let trimmed = text[...end]
        if trimmed.hasPrefix(version + ":") { return String(trimmed) }
        guard let query = trimmed.firstIndex(of: "?") else { return nil }
        let fragmentless = trimmed[trimmed.index(after: query)...].prefix { $0 != "#" }
        for parameter in fragmentless.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0] == Substring(queryName) else { continue }
            return percentDecoded(pair[1])
        }
        return nil
    }

    /// `%3A` and friends back to their bytes, `+` to a space (form encoding); `nil` for a broken escape or bytes
    /// that are not UTF-8.
    static func percentDecoded(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = Hex.decode(String(decoding: [high, low], as: UTF8.self).uppercased())?.first
                else { return nil }
                bytes.append(value)
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The bytes a holder digest is computed over: salt, NIK digits, and the name in upper case with single
    /// spaces (so "Siti  aminah" on the card and "SITI AMINAH" on the letter agree).
    public static func holderMessage(salt: [UInt8], nik: NIK, name: String) -> [UInt8] {
        let normalized = name.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return salt + Array("\(nik.digits)\n\(normalized)".utf8)
    }

    /// Parses what a scanner read, the bare payload or the verification link; says what is wrong with one that is
    /// not a seal (truncated, another QR, a link without a payload).
    public init(scanned text: some StringProtocol) throws(LetterSealError) {
        guard let payload = Self.payload(scanned: text) else { throw .notASeal }
        try self.init(payload: payload)
    }

    /// Parses a scanned payload; says what is wrong with one that is not a seal (truncated, another QR).
    public init(payload: some StringProtocol) throws(LetterSealError) {
        let fields = String(payload).split(separator: ":", omittingEmptySubsequences: false)
        guard fields.first == Substring(Self.version) else { throw .notASeal }
        guard fields.count == 7 else { throw .malformed("expected 7 fields, found \(fields.count)") }
        guard let number = LetterNumber(fields[1]) else { throw .malformed("the letter number is not valid") }
        guard fields[2].count == 8, fields[2].allSatisfy(\.isASCIIDigit),
            let date = CalendarDate(
                year: Int(fields[2].prefix(4))!, month: Int(fields[2].dropFirst(4).prefix(2))!,
                day: Int(fields[2].suffix(2))!)
        else { throw .malformed("the date is not valid") }
        guard !fields[3].isEmpty, fields[3].count <= 40 else { throw .malformed("the kiosk id is not valid") }
        guard let salt = Hex.decode(fields[4]), salt.count == 8 else { throw .malformed("the salt is not valid") }
        guard let digest = Hex.decode(fields[5]), digest.count == 16 else {
            throw .malformed("the holder digest is not valid")
        }
        guard let signature = Hex.decode(fields[6]), signature.count == 64 else {
            throw .malformed("the signature is truncated or not valid")
        }
        self.init(
            number: number, issuedOn: date, kioskID: String(fields[3]), salt: salt, holderDigest: digest,
            signature: signature)
    }
}

public enum LetterSealError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is not a kiosk letter's QR at all.
    case notASeal
    /// It starts like one but is damaged: truncated, a field cut or changed out of shape.
    case malformed(String)

    public var description: String {
        switch self {
        case .notASeal:
            "not a village kiosk letter QR (neither \(LetterSeal.version):... nor a link with ?\(LetterSeal.queryName)=\(LetterSeal.version):...)"
        case .malformed(let why): "damaged letter QR: \(why)"
        }
    }
}

/// Upper-case hexadecimal: in QR's alphanumeric set, unlike base64.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return text
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let values = text.utf8.map { c -> UInt8? in
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        guard values.count % 2 == 0, !values.contains(nil) else { return nil }
        return stride(from: 0, to: values.count, by: 2).map { values[$0]! << 4 | values[$0 + 1]! }
    }
}
