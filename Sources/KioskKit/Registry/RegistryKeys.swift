import Crypto
import Foundation

/// The registry's two keys: one seals each resident's personal fields and card tag (AES-256-GCM, as service records
/// are sealed), the other keys the index the registry is searched by (HMAC-SHA-256 of the NIK, of the card's number
/// and of its hex UID). So the database alone gives neither a resident's data nor a way to test whether a given NIK
/// or card is registered.
///
/// Both are derived from the record key with HKDF-SHA-256, under labels of their own, rather than kept as a fourth
/// secret: they need exactly the protection the record key has (a systemd credential, docs/DEPLOY.md), and one secret
/// fewer to provision, back up and keep in step. Losing the record key loses the records anyway; the registry is a
/// copy of OpenSID's and comes back with the next import or sync. The derivation keeps the keys apart: knowing an
/// index value or a sealing key tells nothing about the record key or the other.
package struct RegistryKeys: Sendable {
    /// Seals a resident's fields (`"resident:" + NIK index` as associated data) and a card's tag (`"card:" + number
    /// index`), so a blob moved to another row does not open.
    private let sealer: RecordSealer
    /// Keys the lookups; the HMAC purpose separates NIKs from card numbers from hex UIDs.
    private let index: RecordSealer

    init(recordKey: Data) {
        func derived(_ label: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: recordKey), info: Data(label.utf8), outputByteCount: 32)
        }
        sealer = RecordSealer(key: derived("kiosk registry seal v1"))
        index = RecordSealer(key: derived("kiosk registry index v1"))
    }

    /// The keys derived from the kiosk's record key (its credential or its file, made at first start).
    static func load(stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(KeyFileError) -> RegistryKeys
    {
        RegistryKeys(recordKey: try RecordSealer.loadKey(stateDirectory: stateDirectory, environment: environment))
    }

    /// The index of a NIK (its 16 digits).
    func index(nik digits: String) -> Data { index.digest(digits, purpose: "resident nik") }

    /// The index of a card's number in decimal without leading zeros (`RegisteredTag.number`).
    func index(cardNumber: String) -> Data { index.digest(cardNumber, purpose: "card number") }

    /// The index of a card's UID in upper-case hex (`RegisteredTag.hex`).
    func index(cardHex: String) -> Data { index.digest(cardHex, purpose: "card hex") }

    /// What the database keeps to tell whether it was sealed under these keys: opening it under another record key
    /// then fails with that, instead of every card turning "unknown".
    var check: Data { index.digest("kiosk registry", purpose: "key check") }

    func seal(_ plaintext: Data, context: String) throws -> Data { try sealer.seal(plaintext, recordID: context) }

    func open(_ sealed: Data, context: String) throws -> Data { try sealer.open(sealed, recordID: context) }
}

extension Data {
    /// Lower-case hex, for associated data and keys built from an index value.
    var lowercaseHex: String { map { String(format: "%02x", $0) }.joined() }
}
