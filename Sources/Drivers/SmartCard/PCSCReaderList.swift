/// The readers pcscd serves right now, for the technician's checks.
public enum PCSCReaderList {
    /// A fresh context, its readers (none is an empty list), and the context released (`SCardEstablishContext`,
    /// `SCardListReaders`, `SCardReleaseContext`). Throws `isServiceGone` when pcscd cannot be reached.
    public static func current() throws(PCSCError) -> [String] {
        let context = try PCSC.establishContext()
        defer { PCSC.releaseContext(context) }
        return try PCSC.listReaders(context)
    }
}
