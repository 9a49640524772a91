import CCups

/// libcups, opened the first time a letter printer talks to cupsd (`kiosk_cups_load`: dlopen and dlsym), never at
/// start: linked, its 26 dependencies cost every start of the kiosk about 6 ms. This is the one place that loads it.
enum CUPSLibrary {
    /// `libcups.so.2`, Debian 12's libcups2 (a Depends of the kiosk's package).
    static let name = KIOSK_CUPS_LIBRARY

    /// The functions of the library, loaded once per process; the same error at every call if it cannot be.
    static func functions() throws(CUPSError) -> kiosk_cups {
        try loaded.get()
    }

    private static let loaded = load(name)

    /// `kiosk_cups_load` of `library`; `CUPSError.libraryUnavailable` with dlerror's text if it cannot be opened or
    /// lacks a function.
    static func load(_ library: String) -> Result<kiosk_cups, CUPSError> {
        let table = UnsafeMutablePointer<kiosk_cups>.allocate(capacity: 1)
        defer { table.deallocate() }
        var error = [CChar](repeating: 0, count: 512)
        guard kiosk_cups_load(library, table, &error, error.count) == 0 else {
            return .failure(
                .libraryUnavailable(
                    library: library,
                    detail: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        return .success(table.pointee)
    }
}
