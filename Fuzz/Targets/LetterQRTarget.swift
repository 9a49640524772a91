import Core
import Crypto
import Foundation
import KioskKit

extension FuzzTarget {
    /// What `kiosk verify` reads: a scanned QR payload, the letter's text around it, and a key list. Fields cut
    /// at NUL bytes. A payload that parses is also signed again with a test key and checked once more, so the
    /// accepting path (valid, or altered when the text disagrees) is reached without a seed signed for each
    /// mutation.
    static let letterQR = FuzzTarget("letter-qr", "a letter QR payload, letter text and key list") { bytes in
        let fields = bytes.fields(3)
        let payload = fields[0].text
        _ = try? LetterVerifier.parseKeys(fields[2].text)
        // As the verifier reads it: the bare payload or the verification link that carries it.
        guard let seal = try? LetterSeal(scanned: payload) else {
            let verdict = LetterVerifier(keys: [:]).verify(payload: payload)
            if case .malformed = verdict {} else { require(false, "an unparsable payload judged \(verdict)") }
            return
        }
        let verifier = LetterVerifier(keys: [seal.kioskID: letterKey.publicKey.rawRepresentation])
        _ = verifier.verify(payload: payload, documentText: fields[1].text)

        var signed = seal
        signed.signature = Array((try? letterKey.signature(for: Data(seal.signedText.utf8))) ?? Data())
        require((try? LetterSeal(payload: signed.payload)) == signed, "a seal does not round-trip through its payload")
        switch verifier.verify(payload: signed.payload, documentText: fields[1].text) {
        case .valid, .altered: break
        case let verdict: require(false, "a payload signed by the kiosk's key judged \(verdict)")
        }
    }

    /// A fixed key: the target checks parsing and verification, not key secrecy. Never mutated.
    nonisolated(unsafe) static let letterKey = try! Curve25519.Signing.PrivateKey(
        rawRepresentation: Data(repeating: 7, count: 32))
}
