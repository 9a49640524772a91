import Core
import Testing

@testable import Drivers

/// libcups is opened at the first letter (dlopen), not linked: loading it is one place, `CUPSLibrary`, and a library
/// that cannot be loaded is an error that names it, says why (dlerror) and what to do.
@Suite("libcups loaded when a letter printer needs it")
struct CUPSLibraryTests {
    @Test func debiansLibcupsLoadsWithEveryFunction() throws {
        let cups = try CUPSLibrary.load(CUPSLibrary.name).get()
        // A call through the table reaches libcups: the IPP port of a process without CUPS_SERVER settings.
        #expect(cups.ippPort() > 0)
    }

    @Test func aMissingLibraryIsAnErrorNamingItWithDlerrorsText() throws {
        let result = CUPSLibrary.load("libcups-missing.so.9")
        guard case .failure(.libraryUnavailable(let library, let detail)) = result else {
            Issue.record("loaded: \(result)")
            return
        }
        #expect(library == "libcups-missing.so.9")
        #expect(detail.contains("libcups-missing.so.9: cannot open shared object file"), "\(detail)")
        let message = CUPSError.libraryUnavailable(library: library, detail: detail).description
        #expect(message.contains("libcups-missing.so.9 cannot be loaded"), "\(message)")
        #expect(message.contains("apt-get install libcups2"), "\(message)")
        #expect(CUPSError.libraryUnavailable(library: library, detail: detail).problem == .offline)
    }

    /// A library that opens but is not libcups (or a libcups without a function the kiosk calls) is refused whole,
    /// naming the first function missing: no half-filled table.
    @Test func aLibraryWithoutTheFunctionsIsRefused() throws {
        let result = CUPSLibrary.load("libz.so.1")
        guard case .failure(.libraryUnavailable(_, let detail)) = result else {
            Issue.record("loaded: \(result)")
            return
        }
        #expect(detail.contains("libz.so.1 has no cupsCancelDestJob"), "\(detail)")
    }
}
