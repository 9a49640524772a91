import Testing

@testable import Drivers

/// Written before `release()` and read after: the writable pages of the executable (this global lives in them) must
/// keep what the process wrote.
nonisolated(unsafe) private var writtenBeforeRelease: [Int] = []

/// `ExecutablePages.release` on this test process's own executable, measured the way the kernel reports it
/// (`Rss:` and `Anonymous:` of its mappings in /proc/self/smaps).
@Suite("Executable pages: the binary's read-only pages unmapped once start-up is over")
struct ExecutablePagesTests {
    @Test func releasingUnmapsTheReadOnlyPagesAndKeepsWhatWasWritten() throws {
        let executable = try ExecutablePages.executablePath()
        writtenBeforeRelease = Array(1...1000)
        let mappings = try ExecutablePages.mappings(of: executable)
        let readOnly = mappings.filter { !$0.isWritable && $0.anonymousKB == 0 }
        let before = readOnly.reduce(0) { $0 + $1.residentKB }
        try #require(before >= 1024, "only \(before) kB of \(executable)'s read-only pages resident: nothing to measure")

        let pages = try ExecutablePages()
        let advised = try pages.release()
        let after = try ExecutablePages.mappings(of: executable).filter { !$0.isWritable && $0.anonymousKB == 0 }
            .reduce(0) { $0 + $1.residentKB }

        #expect(advised == readOnly.reduce(0) { $0 + $1.range.count })
        // What runs between the advice and the reading (this test, the smaps parser) is mapped in again; the rest
        // stays out.
        #expect(after * 4 < before, "\(executable): \(before) kB of read-only pages resident before, \(after) kB after")
        #expect(writtenBeforeRelease == Array(1...1000))
        // The mappings found once serve every later release: the loader mapped them for the life of the process.
        #expect(try pages.release() == advised)
        // The mappings the loader wrote into (relocated data) are still there, untouched.
        let written = mappings.filter { $0.anonymousKB > 0 }
        #expect(!written.isEmpty)
        for mapping in written {
            #expect(try ExecutablePages.mappings(of: executable).contains { $0.range == mapping.range })
        }
    }

    @Test func theExecutableIsFoundByThePathSmapsGivesIt() throws {
        let executable = try ExecutablePages.executablePath()
        #expect(executable.hasPrefix("/"))
        let mappings = try ExecutablePages.mappings(of: executable)
        #expect(mappings.contains { $0.isWritable } && mappings.contains { !$0.isWritable })
        #expect(mappings.allSatisfy { $0.range.count % 4096 == 0 })
        #expect(try ExecutablePages.mappings(of: executable + ".nothing").isEmpty)
    }
}
