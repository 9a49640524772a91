public import Foundation

/// The JSON conventions of the contract: camelCase keys, RFC 3339 times in UTC (`2026-11-25T03:15:00Z`), keys
/// sorted so a body's bytes, and so its digest, depend only on its content.
public enum APIJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// `application/json`, the media type of every request body.
    public static let mediaType = "application/json"
    /// RFC 9457's media type, of every error answer.
    public static let problemMediaType = "application/problem+json"
}
