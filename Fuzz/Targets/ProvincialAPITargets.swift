import Crypto
import Foundation
import ProvincialAPI

extension FuzzTarget {
    /// A signed request as `kiosk-sim api` (and the province) receives it: method, path, query, Content-Digest,
    /// body, Signature-Input and Signature, cut at NUL bytes. The same request is then signed with a test key
    /// and must verify: signing and checking agree for any method, path, query and body.
    static let messageSignature = FuzzTarget("message-signature", "an RFC 9421 signed request") { bytes in
        let fields = bytes.fields(7)
        let message = MessageSignature.Message(
            method: fields[0].text, path: fields[1].text, query: fields[2].text, contentDigest: fields[3].text)
        let body = fields[4]
        let now: Int64 = 1_767_225_600
        _ = try? MessageSignature.verify(
            message, body: body, signatureInput: fields[5].text, signature: fields[6].text, now: now,
            publicKey: { _ in signingKey.publicKey })

        var honest = message
        honest.contentDigest = ContentDigest.header(for: body)
        require(ContentDigest.matches(honest.contentDigest, body: body), "a body does not match its own digest")
        let parameters = MessageSignature.Parameters(created: now, nonce: "bm9uY2U", keyID: "KIOSK-01")
        guard let headers = try? MessageSignature.sign(honest, parameters, with: signingKey) else { return }
        do {
            let checked = try MessageSignature.verify(
                honest, body: body, signatureInput: headers.signatureInput, signature: headers.signature,
                now: now, publicKey: { _ in signingKey.publicKey })
            require(checked == parameters, "a signature's parameters changed between signing and checking")
        } catch {
            require(false, "a request signed by the kiosk's key refused: \(error)")
        }
    }

    /// An answer as the kiosk receives it from the province: status (decimal), Content-Digest, body, the request's
    /// Signature-Input, the answer's Signature-Input and Signature, cut at NUL bytes. The same answer signed with the
    /// test key must verify and give back its `created`.
    static let responseSignature = FuzzTarget("response-signature", "an RFC 9421 signed answer") { bytes in
        let fields = bytes.fields(6)
        let message = ResponseSignature.Message(
            status: Int(fields[0].text.prefix(3)) ?? 200, contentDigest: fields[1].text,
            requestSignatureInput: fields[3].text)
        let body = fields[2]
        _ = try? ResponseSignature.verify(
            message, body: body, signatureInput: fields[4].text, signature: fields[5].text, key: signingKey.publicKey)

        var honest = message
        honest.contentDigest = ContentDigest.header(for: body)
        guard let headers = try? ResponseSignature.sign(honest, created: 1_767_225_600, keyID: "province", with: signingKey)
        else { return }
        do {
            let created = try ResponseSignature.verify(
                honest, body: body, signatureInput: headers.signatureInput, signature: headers.signature,
                key: signingKey.publicKey)
            require(created == 1_767_225_600, "an answer's created changed between signing and checking")
        } catch {
            require(false, "an answer signed by the province's key refused: \(error)")
        }
    }

    /// A fixed key, never mutated.
    nonisolated(unsafe) static let signingKey = try! Curve25519.Signing.PrivateKey(
        rawRepresentation: Data(repeating: 9, count: 32))

    /// A JSON body of the contract, either way: the first byte picks the type. What decodes must encode and
    /// decode again to the same value.
    static let apiJSON = FuzzTarget("api-json", "a JSON body of the provincial API") { bytes in
        guard let first = bytes.first else { return }
        let body = Data(bytes.dropFirst())
        switch first % 9 {
        case 0: roundTrip(EnrollmentRequest.self, body)
        case 1: roundTrip(Enrollment.self, body)
        case 2: roundTrip(Heartbeat.self, body)
        case 3: roundTrip(KioskKeys.self, body)
        case 4: roundTrip(LetterVerification.self, body)
        case 5: roundTrip(Problem.self, body)
        case 6: roundTrip(RecordBatch.self, body)
        case 7: roundTrip(RecordBatchResult.self, body)
        default: roundTrip(RegistryPage.self, body)
        }
    }

    private static func roundTrip<Body: Codable & Equatable>(_ type: Body.Type, _ body: Data) {
        guard let value = try? APIJSON.decoder().decode(type, from: body) else { return }
        guard let encoded = try? APIJSON.encoder().encode(value) else {
            require(false, "a decoded \(type) does not encode")
            return
        }
        require((try? APIJSON.decoder().decode(type, from: encoded)) == value, "a \(type) does not round-trip")
    }
}
