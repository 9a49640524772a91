package import Crypto
package import Foundation

/// The kiosk's Ed25519 key: made on the device at first start, never leaves it. It signs every request to the
/// province and the QR of every letter. `<state_directory>/device.key`, mode 0600, or the systemd credential
/// `device-key` when the unit provides one. The one holder of the key: the API client's signer and the letter
/// signer keep this value, not a key of their own.
package struct DeviceKey: Sendable {
    static let credentialName = "device-key"
    static let fileName = "device.key"

    /// The raw 32-byte key (swift-crypto's key types are not `Sendable` on Linux).
    let rawKey: Data
    /// The raw 32-byte public key, as the province and `kiosk verify` know it.
    package let publicKey: Data

    /// The key of `rawKey`'s 32 bytes; throws when they are not an Ed25519 private key.
    package init(rawKey: Data) throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
        self.rawKey = rawKey
        publicKey = key.publicKey.rawRepresentation
    }

    /// A fresh key (tests, and the first start before it is written).
    package static func generate() -> DeviceKey {
        // A fresh key's raw bytes are a valid key.
        try! DeviceKey(rawKey: Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// The key as swift-crypto uses it, made anew for each use since it cannot be shared between tasks.
    package func privateKey() throws -> Curve25519.Signing.PrivateKey {
        try Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
    }

    /// The Ed25519 signature of `message`.
    package func signature(for message: Data) throws -> Data {
        try privateKey().signature(for: message)
    }

    package var publicKeyBase64: String { publicKey.base64EncodedString() }

    static func load(stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> DeviceKey
    {
        try DeviceKey(
            rawKey: try KeyFile.load(
                credential: credentialName, file: fileName, stateDirectory: stateDirectory, environment: environment
            ) { Curve25519.Signing.PrivateKey().rawRepresentation })
    }
}
