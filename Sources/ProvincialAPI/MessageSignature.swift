public import Crypto
public import Foundation
import RawStructuredFieldValues

/// HTTP Message Signatures (RFC 9421) as the kiosks use them: one Ed25519 signature, labelled `kiosk`, over the
/// method, path, query and `Content-Digest` of a request, with `created`, `nonce`, `keyid` and `alg` parameters.
///
/// The kiosk signs at upload time (not at capture) so a record captured while the clock was wrong still gets a
/// fresh `created`; the server checks the window, the nonce and the digest, and answers `stale-signature` with its
/// `Date` so the kiosk can correct its offset.
public enum MessageSignature {
    public static let label = "kiosk"
    public static let algorithm = "ed25519"
    /// The covered components, in order.
    public static let components = ["@method", "@path", "@query", "content-digest"]
    public static let inputHeaderName = "Signature-Input"
    public static let headerName = "Signature"
    /// How far `created` may be from the server's clock, either way.
    public static let window: Int64 = 300

    /// What the signature covers of a request.
    public struct Message: Sendable, Hashable {
        public var method: String
        public var path: String
        /// The query without its `?`; empty when there is none.
        public var query: String
        /// The `Content-Digest` header value.
        public var contentDigest: String

        public init(method: String, path: String, query: String, contentDigest: String) {
            self.method = method
            self.path = path
            self.query = query
            self.contentDigest = contentDigest
        }
    }

    /// The signature parameters: when, which key, and a nonce the server remembers for the window.
    public struct Parameters: Sendable, Hashable {
        public var created: Int64
        public var nonce: String
        public var keyID: String

        public init(created: Int64, nonce: String, keyID: String) {
            self.created = created
            self.nonce = nonce
            self.keyID = keyID
        }
    }

    /// The `Signature-Input` and `Signature` header values for `message`.
    public static func sign(_ message: Message, _ parameters: Parameters, with key: Curve25519.Signing.PrivateKey)
        throws -> (signatureInput: String, signature: String)
    {
        let signatureParams = try serializedParams(parameters)
        let base = signatureBase(message, signatureParams: signatureParams)
        let signature = try key.signature(for: Data(base.utf8))
        return SignatureFields.headers(label: label, serialized: signatureParams, signature: signature)
    }

    /// Checks the signature of a request whose body was `body`, with the key `publicKey(keyid)` gives; returns
    /// the parameters so the caller can check the nonce. The order of the checks is the order of the cheap ones.
    public static func verify(
        _ message: Message, body: some DataProtocol, signatureInput: String?, signature: String?, now: Int64,
        publicKey: (String) -> Curve25519.Signing.PublicKey?
    ) throws(SignatureRejection) -> Parameters {
        guard let signatureInput, let signature,
            let (covered, parameters, serialized) = parseInput(signatureInput),
            let signatureBytes = SignatureFields.signature(signature, label: label)
        else { throw .missing }
        guard covered == components else { throw .missing }
        guard ContentDigest.matches(message.contentDigest, body: body) else { throw .digestMismatch }
        guard abs(now - parameters.created) <= window else { throw .stale }
        guard let key = publicKey(parameters.keyID) else { throw .unknownKiosk }
        let base = signatureBase(message, signatureParams: serialized)
        guard key.isValidSignature(signatureBytes, for: Data(base.utf8)) else { throw .badSignature }
        return parameters
    }

    /// A random nonce: 16 bytes, base64url.
    public static func makeNonce() -> String {
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// RFC 9421 §2.5: one line per component, then `@signature-params`, joined by LF.
    static func signatureBase(_ message: Message, signatureParams: String) -> String {
        [
            "\"@method\": \(message.method.uppercased())",
            "\"@path\": \(message.path)",
            "\"@query\": ?\(message.query)",
            "\"content-digest\": \(message.contentDigest)",
            "\"@signature-params\": \(signatureParams)",
        ].joined(separator: "\n")
    }

    /// The inner list `("@method" ...);created=...;nonce="...";keyid="...";alg="ed25519"` as a structured field.
    static func serializedParams(_ parameters: Parameters) throws -> String {
        var items = BareInnerList()
        let noParameters = OrderedMap<String, RFC9651BareItem>()
        for component in components {
            items.append(Item(bareItem: RFC9651BareItem.string(component), parameters: noParameters))
        }
        var signatureParameters = OrderedMap<String, RFC9651BareItem>()
        signatureParameters["created"] = .integer(parameters.created)
        signatureParameters["nonce"] = .string(parameters.nonce)
        signatureParameters["keyid"] = .string(parameters.keyID)
        signatureParameters["alg"] = .string(algorithm)
        return try SignatureFields.serialize(
            InnerList(bareInnerList: items, parameters: signatureParameters), label: label)
    }

    private static func parseInput(_ header: String) -> ([String], Parameters, String)? {
        guard let (list, serialized) = SignatureFields.input(header, label: label),
            let covered = SignatureFields.components(of: list), !covered.contains(where: \.ofRequest),
            case .integer(let created) = list.rfc9651Parameters["created"],
            case .string(let nonce) = list.rfc9651Parameters["nonce"],
            case .string(let keyID) = list.rfc9651Parameters["keyid"],
            case .string(algorithm) = list.rfc9651Parameters["alg"],
            !nonce.isEmpty
        else { return nil }
        return (covered.map(\.name), Parameters(created: created, nonce: nonce, keyID: keyID), serialized)
    }
}

/// Why a server refuses a request's signature; the raw value is the problem `code` of the contract.
public enum SignatureRejection: String, Error, Sendable, CaseIterable {
    case missing = "signature-missing"
    case unknownKiosk = "unknown-kiosk"
    case digestMismatch = "digest-mismatch"
    case stale = "stale-signature"
    case replayedNonce = "replayed-nonce"
    case badSignature = "bad-signature"

    /// For the problem's `detail`: what the kiosk's technician should check.
    public var detail: String {
        switch self {
        case .missing: "the request carries no valid Signature-Input/Signature pair labelled 'kiosk'"
        case .unknownKiosk: "the signing key is not enrolled (or was revoked): run kiosk enroll"
        case .digestMismatch: "the body does not match its Content-Digest"
        case .stale: "the signature's created time is more than 300 s from the server's clock: check the kiosk's clock"
        case .replayedNonce: "this nonce was already used: the request is a replay"
        case .badSignature: "the signature does not verify with the enrolled key"
        }
    }
}
