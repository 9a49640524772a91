package import Crypto
import Foundation

/// The kiosk's Ed25519 key: made on the device at first start, never leaves it. It signs every request to the
/// province (and, with the letters work, the QR of every letter). `<state_directory>/device.key`, mode 0600, or
/// the systemd credential `device-key` when the unit provides one.
package struct DeviceKey: Sendable {
    static let credentialName = "device-key"
    static let fileName = "device.key"

    /// The raw 32-byte key (swift-crypto's key types are not `Sendable` on Linux).
    let rawKey: Data

    package var privateKey: Curve25519.Signing.PrivateKey { try! .init(rawRepresentation: rawKey) }

    package var publicKeyBase64: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    static func load(stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> DeviceKey
    {
        if let credentials = environment["CREDENTIALS_DIRECTORY"] {
            let path = (credentials as NSString).appendingPathComponent(credentialName)
            if FileManager.default.fileExists(atPath: path) {
                return DeviceKey(rawKey: try KeyFile.read(path, length: 32))
            }
        }
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        let bytes = try KeyFile.readOrCreate(path, length: 32) { Curve25519.Signing.PrivateKey().rawRepresentation }
        return DeviceKey(rawKey: bytes)
    }
}
