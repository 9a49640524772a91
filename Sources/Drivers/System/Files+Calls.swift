public import Foundation
import Glibc

/// The file-system calls the kiosk's storage needs (its database file, its key files, the disk guard), in Swift
/// terms: the libc calls KioskKit used to make itself, gathered here so that C stays in Drivers.
public enum FileSystem {
    /// Whether group or others may read or write the file at `path` (`stat`'s mode & 077); `nil` when it cannot be
    /// asked.
    public static func isOpenToOthers(_ path: String) -> Bool? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o077 != 0
    }

    /// Writes `contents` as the new file `path`, mode 0600, all or nothing: into a temporary name, `fsync`ed, then
    /// linked into place, so a crash never leaves half a file and two processes starting at once agree on one
    /// (`link` fails for the second). Returns `false` when `path` already existed. The link is made durable by an
    /// `fsync` of the folder, so a power cut right after cannot take back a key that already sealed a record.
    public static func createOnce(_ path: String, contents: Data) throws(SystemCallError) -> Bool {
        let temporary = "\(path).\(getpid()).tmp"
        // A temporary name with our PID belongs to no living process but us: it is what a crash left behind (after
        // a reboot systemd often gives the kiosk the same PID again), so it goes, and O_EXCL then still guards
        // against anything else.
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemCallError(call: "open", code: errno) }
        let written = SystemCall.retrying {
            contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
        let synced = fsync(descriptor)
        let failure = errno
        close(descriptor)
        defer { unlink(temporary) }
        guard written == contents.count, synced == 0 else {
            throw SystemCallError(call: written != contents.count ? "write" : "fsync", code: failure)
        }
        if link(temporary, path) != 0 {
            guard errno == EEXIST else { throw SystemCallError(call: "link", code: errno) }
            return false
        }
        try syncFolder(of: path)
        return true
    }

    /// `fsync` of the folder holding `path`: what makes a new name in it survive a power cut.
    static func syncFolder(of path: String) throws(SystemCallError) {
        let folder = (path as NSString).deletingLastPathComponent
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(call: "open", code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SystemCallError(call: "fsync", code: errno) }
    }

    /// Why `createPrivately` failed.
    public enum PrivateFileError: Error, Sendable {
        /// The file could not be opened or created.
        case cannotOpen(SystemCallError)
        /// Others may read it and its mode could not be tightened to 0600.
        case cannotTighten(SystemCallError)
    }

    /// Creates `path` empty with mode 0600 when it is missing, and tightens an existing file to 0600. When root
    /// creates it (a technician's `sudo`), it goes to the owner of its folder, or the daemon, running as that user,
    /// could not open it any more.
    public static func createPrivately(_ path: String) throws(PrivateFileError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotOpen(SystemCallError(call: "open", code: errno)) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & 0o077 != 0 {
            guard fchmod(descriptor, 0o600) == 0 else {
                throw .cannotTighten(SystemCallError(call: "fchmod", code: errno))
            }
        }
        let folder = (path as NSString).deletingLastPathComponent
        var directory = stat()
        if geteuid() == 0, status.st_uid == 0, stat(folder.isEmpty ? "." : folder, &directory) == 0,
            directory.st_uid != 0
        {
            _ = fchown(descriptor, directory.st_uid, directory.st_gid)
        }
    }

    /// Bytes an unprivileged process may still write on the file system of `path`, or of the nearest existing
    /// folder above it (`statvfs`: `f_bavail` × `f_frsize`); `nil` when it cannot be asked.
    public static func availableBytes(at path: String) -> UInt64? {
        var info = statvfs()
        var path = path
        while statvfs(path, &info) != 0 {
            guard errno == ENOENT, path != "/", !path.isEmpty else { return nil }
            path = (path as NSString).deletingLastPathComponent
        }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}
