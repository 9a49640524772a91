import Crypto
import Foundation

/// A secret mixed into every stored PIN hash, kept apart from the database: a systemd credential (`pin-pepper`,
/// in `$CREDENTIALS_DIRECTORY`) beside the device key when there is one, else `<state_directory>/pin.pepper`, made
/// at first start (mode 0600). A six-digit PIN under scrypt falls to about a CPU-day of guessing; with the pepper
/// the database alone is not enough to guess at all.
///
/// The stored value is HMAC-SHA-512(pepper, scrypt output), cut to the scrypt output's length. Hashes from the
/// province (computed by OpenSID, which knows no pepper) are peppered the same way when they arrive, and rows
/// stored before the pepper are peppered at start (`SQLiteRegistry.pepperStoredPINs`): no PIN is needed for it.
package struct PINPepper: Sendable, Equatable {
    static let credentialName = "pin-pepper"
    static let fileName = "pin.pepper"

    let bytes: Data

    init(bytes: Data) { self.bytes = bytes }

    /// The kiosk's pepper, made when the state directory has none yet.
    package static func load(
        stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KeyFileError) -> PINPepper {
        PINPepper(
            bytes: try KeyFile.load(
                credential: credentialName, file: fileName, stateDirectory: stateDirectory, environment: environment
            ) { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } })
    }

    /// `derived` (an scrypt output of 16 to 64 bytes) peppered, of the same length.
    func apply(_ derived: [UInt8]) -> [UInt8] {
        let code = HMAC<SHA512>.authenticationCode(for: derived, using: SymmetricKey(data: bytes))
        return Array(Array(code).prefix(derived.count))
    }
}
