public import Crypto
public import Foundation
import RawStructuredFieldValues

/// The province's signature on its answers (RFC 9421 on a response): one Ed25519 signature, labelled `province`,
/// over the status, the answer's `Content-Digest` and the request's own `Signature-Input` (`;req`), with `created`,
/// `keyid` and `alg`.
///
/// TLS already authenticates the server to the kiosk; the signature keeps the answers the kiosk acts on (records
/// settled, registry rows, the clock) authentic past a TLS-terminating proxy, and binds each answer to the request it
/// answers: the request's `Signature-Input` carries the kiosk's nonce and time, so an answer cannot be replayed to
/// another request. The kiosk learns the province's key at enrollment (`Enrollment.serverKey`) and takes its clock
/// offset only from the `created` of a signature that verifies.
public enum ResponseSignature {
    public static let label = "province"
    /// The same headers as a request's signature, with the label `province`.
    public static let inputHeaderName = MessageSignature.inputHeaderName
    public static let headerName = MessageSignature.headerName
    /// The covered components, in order, as they appear in `Signature-Input`.
    static let components: [(name: String, ofRequest: Bool)] = [
        ("@status", false), ("content-digest", false), ("signature-input", true),
    ]

    /// What a signature covers of an answer.
    public struct Message: Sendable, Hashable {
        public var status: Int
        /// The answer's `Content-Digest` header value.
        public var contentDigest: String
        /// The `Signature-Input` header value of the request this answers.
        public var requestSignatureInput: String

        public init(status: Int, contentDigest: String, requestSignatureInput: String) {
            self.status = status
            self.contentDigest = contentDigest
            self.requestSignatureInput = requestSignatureInput
        }
    }

    /// The `Signature-Input` and `Signature` header values for `message`.
    public static func sign(
        _ message: Message, created: Int64, keyID: String, with key: Curve25519.Signing.PrivateKey
    ) throws -> (signatureInput: String, signature: String) {
        let list = innerList(created: created, keyID: keyID)
        let serialized = try SignatureFields.serialize(list, label: label)
        let signature = try key.signature(for: Data(signatureBase(message, signatureParams: serialized).utf8))
        return SignatureFields.headers(label: label, serialized: serialized, signature: signature)
    }

    /// Checks the signature of an answer whose body was `body`; returns its `created` (the server's clock).
    public static func verify(
        _ message: Message, body: some DataProtocol, signatureInput: String?, signature: String?,
        key: Curve25519.Signing.PublicKey
    ) throws(ResponseSignatureRejection) -> Int64 {
        guard let signatureInput, let signature else { throw .missing }
        guard let (covered, created, serialized) = parseInput(signatureInput),
            let signatureBytes = SignatureFields.signature(signature, label: label)
        else { throw .malformed }
        guard covered.elementsEqual(components, by: { $0.name == $1.name && $0.ofRequest == $1.ofRequest }) else {
            throw .malformed
        }
        guard ContentDigest.matches(message.contentDigest, body: body) else { throw .digestMismatch }
        let base = signatureBase(message, signatureParams: serialized)
        guard key.isValidSignature(signatureBytes, for: Data(base.utf8)) else { throw .badSignature }
        return created
    }

    /// RFC 9421 §2.5, with §2.4's `;req` for the request's component.
    static func signatureBase(_ message: Message, signatureParams: String) -> String {
        [
            "\"@status\": \(message.status)",
            "\"content-digest\": \(message.contentDigest)",
            "\"signature-input\";req: \(message.requestSignatureInput)",
            "\"@signature-params\": \(signatureParams)",
        ].joined(separator: "\n")
    }

    private static func innerList(created: Int64, keyID: String) -> InnerList {
        var items = BareInnerList()
        for component in components {
            var parameters = OrderedMap<String, RFC9651BareItem>()
            if component.ofRequest { parameters["req"] = .bool(true) }
            items.append(Item(bareItem: RFC9651BareItem.string(component.name), parameters: parameters))
        }
        var parameters = OrderedMap<String, RFC9651BareItem>()
        parameters["created"] = .integer(created)
        parameters["keyid"] = .string(keyID)
        parameters["alg"] = .string(MessageSignature.algorithm)
        return InnerList(bareInnerList: items, parameters: parameters)
    }

    private static func parseInput(_ header: String) -> ([(name: String, ofRequest: Bool)], Int64, String)? {
        guard let (list, serialized) = SignatureFields.input(header, label: label),
            let covered = SignatureFields.components(of: list),
            case .integer(let created) = list.rfc9651Parameters["created"],
            case .string(MessageSignature.algorithm) = list.rfc9651Parameters["alg"]
        else { return nil }
        return (covered, created, serialized)
    }
}

/// Why the kiosk refuses an answer's signature.
public enum ResponseSignatureRejection: String, Error, Sendable, CaseIterable, CustomStringConvertible {
    case missing
    case malformed
    case digestMismatch
    case badSignature

    public var description: String {
        switch self {
        case .missing: "the answer carries no signature labelled 'province'"
        case .malformed: "the answer's Signature-Input or Signature cannot be read, or covers other components"
        case .digestMismatch: "the answer's body does not match its Content-Digest"
        case .badSignature: "the answer's signature does not verify with the province's key from enrollment"
        }
    }
}
