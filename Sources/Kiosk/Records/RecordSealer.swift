import Crypto
import Foundation

/// Seals the personal fields of a service record with AES-256-GCM. The key is 32 random bytes in a file only the
/// daemon may read: a systemd credential (`LoadCredentialEncrypted=record-key:...`, found in
/// `$CREDENTIALS_DIRECTORY`) when there is one, else `<state_directory>/record.key`, made at first start.
/// The record id is the associated data, so a sealed blob copied into another row fails to open.
struct RecordSealer: Sendable {
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
        if let credentials = environment["CREDENTIALS_DIRECTORY"] {
            let path = (credentials as NSString).appendingPathComponent(credentialName)
            if FileManager.default.fileExists(atPath: path) {
                return RecordSealer(key: SymmetricKey(data: try KeyFile.read(path, length: 32)))
            }
        }
        let path = (stateDirectory as NSString).appendingPathComponent(fileName)
        let bytes = try KeyFile.readOrCreate(path, length: 32) {
            SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        }
        return RecordSealer(key: SymmetricKey(data: bytes))
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

/// Secret key files: read whole, created atomically with mode 0600, refused when others may read them.
enum KeyFile {
    static func read(_ path: String, length: Int) throws(KeyFileError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        guard data.count == length else { throw .wrongLength(path, found: data.count, expected: length) }
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & 0o077 != 0 { throw .tooOpen(path) }
        return data
    }

    static func readOrCreate(_ path: String, length: Int, make: () -> Data) throws(KeyFileError) -> Data {
        if FileManager.default.fileExists(atPath: path) { return try read(path, length: length) }
        let data = make()
        // Written to a temporary name and linked into place, so a crash never leaves a half key, and two
        // processes starting at once agree on one key (link fails for the second, which then reads the first's).
        let temporary = "\(path).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotCreate(path, reason: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        defer { unlink(temporary) }
        guard written == data.count, synced == 0 else {
            throw .cannotCreate(path, reason: String(cString: strerror(errno)))
        }
        if link(temporary, path) != 0 {
            guard errno == EEXIST else { throw .cannotCreate(path, reason: String(cString: strerror(errno))) }
            return try read(path, length: length)
        }
        return data
    }
}

enum KeyFileError: Error, CustomStringConvertible {
    case unreadable(String)
    case wrongLength(String, found: Int, expected: Int)
    case tooOpen(String)
    case cannotCreate(String, reason: String)

    var description: String {
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
        }
    }
}
