import Drivers
import Foundation

/// Secret key files: read whole, created atomically with mode 0600, refused when others may read them.
package enum KeyFile {
    /// One of the kiosk's keys (32 bytes): the systemd credential `credential` (`LoadCredentialEncrypted=`, found in
    /// `$CREDENTIALS_DIRECTORY`) when the unit gives one, else `<stateDirectory>/<file>`, made by `make` at first
    /// start. The device key, the record key and the PIN pepper all load this way.
    ///
    /// Where the key is held as an encrypted credential (`CredentialStore`, made by the package) but this process was
    /// not given it (a command run by hand as a user that cannot decrypt it), the plain file is neither read nor made:
    /// a new key there would seal and sign with a key kiosk.service never sees.
    static func load(
        credential: String, file: String, stateDirectory: String, environment: [String: String],
        make: () -> Data
    ) throws(KeyFileError) -> Data {
        if let credentials = environment["CREDENTIALS_DIRECTORY"] {
            let path = (credentials as NSString).appendingPathComponent(credential)
            if FileManager.default.fileExists(atPath: path) { return try read(path, length: 32) }
        }
        let encrypted = CredentialStore.path(of: credential, environment: environment)
        if FileManager.default.fileExists(atPath: encrypted) { throw .credentialNotGiven(encrypted) }
        return try readOrCreate((stateDirectory as NSString).appendingPathComponent(file), length: 32, make: make)
    }

    static func read(_ path: String, length: Int) throws(KeyFileError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        guard data.count == length else { throw .wrongLength(path, found: data.count, expected: length) }
        if FileSystem.isOpenToOthers(path) == true { throw .tooOpen(path) }
        return data
    }

    static func readOrCreate(_ path: String, length: Int, make: () -> Data) throws(KeyFileError) -> Data {
        if FileManager.default.fileExists(atPath: path) { return try read(path, length: length) }
        let data = make()
        // All or nothing, so a crash never leaves a half key; two processes starting at once agree on one key (the
        // second reads the first's).
        let created: Bool
        do {
            created = try FileSystem.createOnce(path, contents: data)
        } catch {
            throw .cannotCreate(path, reason: error.message)
        }
        return created ? data : try read(path, length: length)
    }
}

package enum KeyFileError: Error, CustomStringConvertible {
    case unreadable(String)
    case wrongLength(String, found: Int, expected: Int)
    case tooOpen(String)
    case cannotCreate(String, reason: String)
    /// The key is the encrypted credential at this path, and this process was not given it.
    case credentialNotGiven(String)

    package var description: String {
        switch self {
        case .unreadable(let path):
            "cannot read the key file \(path): run the kiosk as the user owning the state directory"
        case .wrongLength(let path, let found, let expected):
            "the key file \(path) holds \(found) bytes, expected \(expected): it is damaged; restore it from backup "
                + "(records sealed with the old key cannot be read without it)"
        case .tooOpen(let path):
            "the key file \(path) is readable by other users: chmod 600 it"
        case .cannotCreate(let path, let reason):
            "cannot create the key file \(path): \(reason)"
        case .credentialNotGiven(let path):
            "the key is held as the encrypted systemd credential \(path), and this process was not given it: run "
                + "kiosk commands as root (sudo kiosk ...; they run as the kiosk user with the credentials), not as "
                + "the kiosk user"
        }
    }
}
