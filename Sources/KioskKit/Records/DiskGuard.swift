import Drivers

/// Refuses new services before the disk is full: a record that cannot be written must not be promised on screen,
/// and a full disk would also stop the outbox from being emptied. Checked before every capture (one `statvfs`).
package struct DiskGuard: Sendable {
    let directory: String
    package let minimumFreeBytes: UInt64

    package init(directory: String, minimumFreeMB: Int) {
        self.directory = directory
        self.minimumFreeBytes = UInt64(minimumFreeMB) * 1_048_576
    }

    /// Bytes an unprivileged process may still write there (on the disk of the nearest existing folder above it,
    /// before the state directory is made); `nil` when the file system cannot be asked.
    package var freeBytes: UInt64? { FileSystem.availableBytes(at: directory) }

    /// False when the free space is below the minimum. A file system that cannot be asked is given the benefit of
    /// the doubt: SQLite's own error then stops the capture.
    var hasRoom: Bool { freeBytes.map { $0 >= minimumFreeBytes } ?? true }
}
