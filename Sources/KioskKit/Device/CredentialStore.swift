import Foundation

/// Where the package keeps the kiosk's keys as encrypted systemd credentials (`systemd-creds encrypt`, sealed to the
/// TPM2 and the host key, or the host key alone): `/etc/kiosk/credentials/<name>.cred`, which kiosk.service loads
/// with `LoadCredentialEncrypted=`. Only root (through systemd) can decrypt them.
package enum CredentialStore {
    package static let directory = "/etc/kiosk/credentials"
    /// The credentials of the kiosk's keys: the device key, the record key, the PIN pepper.
    package static let names = ["device-key", "record-key", "pin-pepper"]

    /// The folder; `KIOSK_CREDENTIAL_STORE` moves it (tests).
    static func directory(_ environment: [String: String]) -> String {
        environment["KIOSK_CREDENTIAL_STORE"] ?? directory
    }

    static func path(of name: String, environment: [String: String]) -> String {
        (directory(environment) as NSString).appendingPathComponent(name + ".cred")
    }

    /// The kiosk's keys held here, by name and path.
    package static func held(environment: [String: String] = ProcessInfo.processInfo.environment) -> [(
        name: String, path: String
    )] {
        names.map { ($0, path(of: $0, environment: environment)) }.filter {
            FileManager.default.fileExists(atPath: $0.path)
        }
    }
}
