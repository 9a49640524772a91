import Foundation

/// Secret key files: read whole, created atomically with mode 0600, refused when others may read them.
package enum KeyFile {
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

package enum KeyFileError: Error, CustomStringConvertible {
    case unreadable(String)
    case wrongLength(String, found: Int, expected: Int)
    case tooOpen(String)
    case cannotCreate(String, reason: String)

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
        }
    }
}
