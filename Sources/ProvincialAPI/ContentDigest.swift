import Crypto
public import Foundation
import RawStructuredFieldValues

/// RFC 9530 `Content-Digest` with SHA-256: what the request signature covers in place of the body.
public enum ContentDigest {
    public static let headerName = "Content-Digest"

    /// `sha-256=:<base64>:` of `body`.
    public static func header(for body: some DataProtocol) -> String {
        "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):"
    }

    /// Whether `header` holds a SHA-256 digest and it is the digest of `body`. Other algorithms in the field are
    /// ignored; without `sha-256` the answer is no.
    public static func matches(_ header: String, body: some DataProtocol) -> Bool {
        var parser = StructuredFieldValueParser(Array(header.utf8))
        guard let dictionary = try? parser.parseDictionaryFieldValue(),
            case .item(let item) = dictionary["sha-256"],
            case .undecodedByteSequence(let base64) = item.rfc9651BareItem,
            let digest = Data(base64Encoded: base64)
        else { return false }
        return digest == Data(SHA256.hash(data: body))
    }
}
