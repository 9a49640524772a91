import Crypto
import Foundation
import Testing

@testable import ProvincialAPI

@Suite("HTTP message signatures (RFC 9421) and Content-Digest")
struct MessageSignatureTests {
    let key = Curve25519.Signing.PrivateKey()
    let body = Data(#"{"records":[]}"#.utf8)
    let now: Int64 = 1_795_000_000

    func signed(body: Data? = nil, created: Int64? = nil, nonce: String = "n-1", keyID: String = "1809072001-01")
        throws -> (MessageSignature.Message, String, String)
    {
        let message = MessageSignature.Message(
            method: "POST", path: "/v1/records", query: "", contentDigest: ContentDigest.header(for: body ?? self.body))
        let (input, signature) = try MessageSignature.sign(
            message, .init(created: created ?? now, nonce: nonce, keyID: keyID), with: key)
        return (message, input, signature)
    }

    func verify(_ message: MessageSignature.Message, _ input: String?, _ signature: String?, body: Data? = nil)
        throws(SignatureRejection) -> MessageSignature.Parameters
    {
        try MessageSignature.verify(
            message, body: body ?? self.body, signatureInput: input, signature: signature, now: now
        ) { $0 == "1809072001-01" ? key.publicKey : nil }
    }

    @Test func aSignedRequestVerifiesAndGivesItsParameters() throws {
        let (message, input, signature) = try signed()
        #expect(input.hasPrefix(#"kiosk=("@method" "@path" "@query" "content-digest");created=1795000000;"#))
        #expect(input.contains(#"keyid="1809072001-01""#) && input.contains(#"alg="ed25519""#))
        let parameters = try verify(message, input, signature)
        #expect(parameters == .init(created: now, nonce: "n-1", keyID: "1809072001-01"))
    }

    @Test func theSignatureBaseFollowsRFC9421() throws {
        let base = MessageSignature.signatureBase(
            .init(method: "get", path: "/v1/registry", query: "cursor=5", contentDigest: "sha-256=:x:"),
            signatureParams: "(\"@method\");created=1")
        #expect(
            base == """
                "@method": GET
                "@path": /v1/registry
                "@query": ?cursor=5
                "content-digest": sha-256=:x:
                "@signature-params": ("@method");created=1
                """)
    }

    @Test func aTamperedBodyFailsItsDigest() throws {
        let (message, input, signature) = try signed()
        #expect(throws: SignatureRejection.digestMismatch) {
            try verify(message, input, signature, body: Data(#"{"records":[1]}"#.utf8))
        }
    }

    @Test func aBodyWithItsOwnNewDigestStillFailsTheSignature() throws {
        let (message, input, signature) = try signed()
        let forged = Data(#"{"records":[2]}"#.utf8)
        var changed = message
        changed.contentDigest = ContentDigest.header(for: forged)
        #expect(throws: SignatureRejection.badSignature) { try verify(changed, input, signature, body: forged) }
    }

    @Test func anotherPathOrMethodFailsTheSignature() throws {
        let (message, input, signature) = try signed()
        var otherPath = message
        otherPath.path = "/v1/heartbeats"
        #expect(throws: SignatureRejection.badSignature) { try verify(otherPath, input, signature) }
        var otherMethod = message
        otherMethod.method = "PUT"
        #expect(throws: SignatureRejection.badSignature) { try verify(otherMethod, input, signature) }
    }

    @Test(arguments: [-301, 301, -100_000])
    func aSignatureOutsideTheWindowIsStale(offset: Int64) throws {
        let (message, input, signature) = try signed(created: now + offset)
        #expect(throws: SignatureRejection.stale) { try verify(message, input, signature) }
    }

    @Test func aSignatureAtTheEdgeOfTheWindowIsAccepted() throws {
        let (message, input, signature) = try signed(created: now - 300)
        #expect(throws: Never.self) { try verify(message, input, signature) }
    }

    @Test func anUnknownKioskAndAnotherKeyAreRefused() throws {
        let (message, input, signature) = try signed(keyID: "9999999999-01")
        #expect(throws: SignatureRejection.unknownKiosk) { try verify(message, input, signature) }
        let stranger = Curve25519.Signing.PrivateKey()
        let (strangerInput, strangerSignature) = try MessageSignature.sign(
            message, .init(created: now, nonce: "n-2", keyID: "1809072001-01"), with: stranger)
        #expect(throws: SignatureRejection.badSignature) { try verify(message, strangerInput, strangerSignature) }
    }

    @Test(
        arguments: [
            (nil, "kiosk=:AAAA:"), ("kiosk=(\"@method\");created=1", nil), ("garbage(", "kiosk=:AAAA:"),
            (
                #"other=("@method" "@path" "@query" "content-digest");created=1;nonce="a";keyid="k";alg="ed25519""#,
                "kiosk=:AAAA:"
            ),
            (
                #"kiosk=("@method" "@path" "@query" "content-digest");created=1;nonce="a";keyid="k";alg="rsa""#,
                "kiosk=:AAAA:"
            ),
            (#"kiosk=("@method");created=1795000000;nonce="a";keyid="1809072001-01";alg="ed25519""#, "kiosk=:AAAA:"),
        ] as [(String?, String?)])
    func missingOrMalformedSignaturesAreRefused(input: String?, signature: String?) throws {
        let (message, _, _) = try signed()
        #expect(throws: SignatureRejection.missing) { try verify(message, input, signature) }
    }

    @Test func aTruncatedSignatureIsRefused() throws {
        let (message, input, signature) = try signed()
        let truncated = String(signature.dropLast(10)) + ":"
        #expect(throws: SignatureRejection.self) { try verify(message, input, truncated) }
    }

    @Test func contentDigestIsSHA256InBase64AndRejectsOtherAlgorithms() {
        #expect(ContentDigest.header(for: Data()) == "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:")
        #expect(ContentDigest.matches("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:", body: Data()))
        #expect(!ContentDigest.matches("sha-512=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:", body: Data()))
        #expect(!ContentDigest.matches("not a dictionary(", body: Data()))
    }

    @Test func noncesAreRandomAndURLSafe() {
        let nonces = Set((0..<100).map { _ in MessageSignature.makeNonce() })
        #expect(nonces.count == 100)
        #expect(nonces.allSatisfy { $0.count == 22 && !$0.contains("/") && !$0.contains("+") })
    }
}
