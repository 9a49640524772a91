package import Core
import Crypto
package import Foundation
import ProvincialAPI

/// Seals letters with the device's Ed25519 key: the QR payload of `LetterSeal`, with the holder digest computed
/// here (SHA-256 lives in swift-crypto, not in Core).
package struct LetterSigner: Sendable {
    let kioskID: String
    let key: DeviceKey

    init(kioskID: String, key: DeviceKey) {
        self.kioskID = kioskID
        self.key = key
    }

    /// A signed seal for `number`, issued on `date` to `resident`. The salt is the record's (`LetterSalt`, from
    /// `recordID`), so the province can find its record of a QR; each record has its own, so two letters of one
    /// resident do not share a digest. Without a record (tests) the salt is random.
    package func seal(
        _ number: LetterNumber, issuedOn date: CalendarDate, to resident: Resident, recordID: String? = nil
    )
        throws -> LetterSeal
    {
        let salt =
            recordID.map(LetterSalt.derive(recordID:))
            ?? (0..<8).map { _ in UInt8.random(in: .min ... .max) }
        var seal = LetterSeal(
            number: number, issuedOn: date, kioskID: kioskID, salt: salt,
            holderDigest: Self.holderDigest(salt: salt, nik: resident.nik, name: resident.name))
        seal.signature = Array(try key.signature(for: Data(seal.signedText.utf8)))
        return seal
    }

    static func holderDigest(salt: [UInt8], nik: NIK, name: String) -> [UInt8] {
        Array(SHA256.hash(data: LetterSeal.holderMessage(salt: salt, nik: nik, name: name)).prefix(16))
    }
}

/// Checks a letter's QR offline against the kiosks' public keys.
package struct LetterVerifier: Sendable {
    /// Raw Ed25519 public keys by kiosk id.
    var keys: [String: Data]

    /// A verifier that knows `keys`, raw Ed25519 public keys by kiosk id.
    package init(keys: [String: Data]) {
        self.keys = keys
    }

    package enum Verdict: Equatable, Sendable {
        /// Signed by the kiosk it names: the number, date and holder digest are as the kiosk issued them.
        case valid(LetterSeal)
        /// The kiosk it names did not sign these fields: a forgery, or a genuine QR whose fields were changed.
        case forged(kioskID: String)
        /// The QR itself is genuine, but the printed letter around it says something else (another number or
        /// date): the paper was altered.
        case altered(LetterSeal, reason: String)
        /// No key is known for the kiosk it names (a new kiosk: refresh the key list).
        case unknownKiosk(String)
        /// Not a letter QR, or a damaged one (truncated, a field cut).
        case malformed(LetterSealError)
    }

    /// Checks what a scanner read: the bare payload, or the verification link that carries it.
    package func verify(payload: String) -> Verdict {
        let seal: LetterSeal
        do throws(LetterSealError) {
            seal = try LetterSeal(scanned: payload)
        } catch {
            return .malformed(error)
        }
        guard let raw = keys[seal.kioskID], let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            return .unknownKiosk(seal.kioskID)
        }
        guard key.isValidSignature(Data(seal.signature), for: Data(seal.signedText.utf8)) else {
            return .forged(kioskID: seal.kioskID)
        }
        return .valid(seal)
    }

    /// Verifies the QR and then that the letter's own text carries the QR's number and date: a genuine QR cut
    /// out and pasted on another letter, or a letter with its number or date changed, is `altered`.
    package func verify(payload: String, documentText: String) -> Verdict {
        let verdict = verify(payload: payload)
        guard case .valid(let seal) = verdict else { return verdict }
        let text = documentText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if !text.contains(seal.number.formatted) {
            return .altered(seal, reason: "the letter does not show the number \(seal.number.formatted) its QR holds")
        }
        if !text.contains(IndonesianDate.long(seal.issuedOn)) {
            return .altered(seal, reason: "the letter does not show the date its QR holds")
        }
        return verdict
    }

    /// Whether a seal binds this holder (the verifier has the resident's e-KTP in hand).
    package static func binds(_ seal: LetterSeal, nik: NIK, name: String) -> Bool {
        LetterSigner.holderDigest(salt: seal.salt, nik: nik, name: name) == seal.holderDigest
    }

    /// Reads a key list: the province's `GET /v1/kiosks/keys` answer (JSON; revoked keys are left out), or lines of
    /// `KIOSK-ID BASE64-ED25519-PUBLIC-KEY` with `#` comments (what `kiosk verify --print-key` prints).
    package static func parseKeys(_ text: String) throws -> [String: Data] {
        if let list = try? APIJSON.decoder().decode(KioskKeys.self, from: Data(text.utf8)) {
            return Dictionary(
                list.keys.filter { !$0.revoked }.compactMap { key in
                    Data(base64Encoded: key.publicKey).map { (key.kioskId, $0) }
                }, uniquingKeysWith: { _, last in last })
        }
        var keys: [String: Data] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let raw = Data(base64Encoded: String(parts[1])),
                (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
            else {
                throw KeyListError(line: index + 1)
            }
            keys[String(parts[0])] = raw
        }
        return keys
    }

    package struct KeyListError: Error, CustomStringConvertible {
        let line: Int
        package var description: String {
            "key list line \(line): expected \"KIOSK-ID BASE64-KEY\" (a 32-byte Ed25519 public key in base64)"
        }
    }
}
