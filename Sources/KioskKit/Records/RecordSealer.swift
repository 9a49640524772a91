import Crypto
import Foundation

/// Seals the personal fields of a service record with AES-256-GCM. The key is 32 random bytes in a file only the
/// daemon may read: a systemd credential (`LoadCredentialEncrypted=record-key:...`, found in
/// `$CREDENTIALS_DIRECTORY`) when there is one, else `<state_directory>/record.key`, made at first start.
/// The record id is the associated data, so a sealed blob copied into another row fails to open.
package struct RecordSealer: Sendable {
    static let credentialName = "record-key"
    static let fileName = "record.key"

    /// The raw 32-byte key (swift-crypto's `SymmetricKey` is not `Sendable` on Linux).
    private let keyBytes: Data

    init(key: SymmetricKey) { keyBytes = key.withUnsafeBytes { Data($0) } }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// The kiosk's record key, made (mode 0600) when the state directory has none yet.
    static func load(stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(KeyFileError) -> RecordSealer
    {
        RecordSealer(key: SymmetricKey(data: try loadKey(stateDirectory: stateDirectory, environment: environment)))
    }

    /// The record key's 32 bytes: what `load` seals with, and what the registry's keys derive from (`RegistryKeys`).
    static func loadKey(stateDirectory: String, environment: [String: String]) throws(KeyFileError) -> Data {
        try KeyFile.load(
            credential: credentialName, file: fileName, stateDirectory: stateDirectory, environment: environment
        ) { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } }
    }

    /// HMAC-SHA-256 of `text` under the record key, for `purpose`: what the kiosk keeps to recognise a value (a
    /// prepared letter's holder) without keeping the value.
    func digest(_ text: String, purpose: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data((purpose + "\n" + text).utf8), using: key))
    }

    /// nonce ‖ ciphertext ‖ tag.
    func seal(_ plaintext: Data, recordID: String) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Data(recordID.utf8)).combined
        else { throw CryptoKitError.incorrectParameterSize }
        return combined
    }

    func open(_ sealed: Data, recordID: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(recordID.utf8))
    }
}
