import Crypto
import Foundation
import Testing

@testable import ProvincialAPI

/// The province's signature on its answers: it verifies with the enrolled key, and each part it covers (status,
/// body, the request it answers) breaks it when changed.
@Suite("Answer signatures (RFC 9421 on a response)")
struct ResponseSignatureTests {
    let key = Curve25519.Signing.PrivateKey()
    let body = Data(#"{"results":[]}"#.utf8)
    let requestInput = #"kiosk=("@method" "@path" "@query" "content-digest");created=1795000000;nonce="n-1";keyid="1809072001-01";alg="ed25519""#

    func signed(status: Int = 200) throws -> (ResponseSignature.Message, String, String) {
        let message = ResponseSignature.Message(
            status: status, contentDigest: ContentDigest.header(for: body), requestSignatureInput: requestInput)
        let (input, signature) = try ResponseSignature.sign(
            message, created: 1_795_000_007, keyID: "province", with: key)
        return (message, input, signature)
    }

    @Test func aSignedAnswerVerifiesAndGivesTheServersClock() throws {
        let (message, input, signature) = try signed()
        #expect(input.hasPrefix(#"province=("@status" "content-digest" "signature-input";req);created=1795000007;"#))
        let created = try ResponseSignature.verify(
            message, body: body, signatureInput: input, signature: signature, key: key.publicKey)
        #expect(created == 1_795_000_007)
    }

    @Test func theSignatureBaseFollowsRFC9421() {
        let base = ResponseSignature.signatureBase(
            .init(status: 401, contentDigest: "sha-256=:x:", requestSignatureInput: "kiosk=()"), signatureParams: "()")
        #expect(
            base == """
                "@status": 401
                "content-digest": sha-256=:x:
                "signature-input";req: kiosk=()
                "@signature-params": ()
                """)
    }

    @Test func everyCoveredPartIsBound() throws {
        let (message, input, signature) = try signed()
        func rejection(_ message: ResponseSignature.Message, body: Data? = nil, key: Curve25519.Signing.PublicKey? = nil)
            -> ResponseSignatureRejection?
        {
            do {
                _ = try ResponseSignature.verify(
                    message, body: body ?? self.body, signatureInput: input, signature: signature,
                    key: key ?? self.key.publicKey)
                return nil
            } catch { return error }
        }
        var otherStatus = message
        otherStatus.status = 503
        #expect(rejection(otherStatus) == .badSignature)
        var otherRequest = message
        otherRequest.requestSignatureInput = requestInput.replacingOccurrences(of: "n-1", with: "n-2")
        #expect(rejection(otherRequest) == .badSignature, "an answer replayed to another request")
        #expect(rejection(message, body: Data(#"{"results":[1]}"#.utf8)) == .digestMismatch)
        var reDigested = message
        let forged = Data(#"{"results":[1]}"#.utf8)
        reDigested.contentDigest = ContentDigest.header(for: forged)
        #expect(rejection(reDigested, body: forged) == .badSignature, "a body and digest both replaced")
        #expect(rejection(message, key: Curve25519.Signing.PrivateKey().publicKey) == .badSignature)
    }

    @Test func missingOrGarbledHeadersAreRefusedWithoutACrash() throws {
        let (message, input, signature) = try signed()
        let cases: [(String?, String?, ResponseSignatureRejection)] = [
            (nil, signature, .missing), (input, nil, .missing),
            ("province=(", signature, .malformed), (input, "province=:!!:", .malformed),
            (input.replacingOccurrences(of: ";req", with: ""), signature, .malformed),
            (input.replacingOccurrences(of: "province=", with: "kiosk="), signature, .malformed),
        ]
        for (input, signature, expected) in cases {
            #expect(throws: expected) {
                try ResponseSignature.verify(
                    message, body: body, signatureInput: input, signature: signature, key: key.publicKey)
            }
        }
    }
}
