import Foundation
import Glibc
import Testing

@testable import Drivers

/// `MallocArenas.releaseFreeMemory` on this test process, measured the way the kernel reports it (`Anonymous:` of
/// /proc/self/smaps_rollup).
@Suite("malloc's arenas: free memory given back")
struct MallocArenasTests {
    @Test func freeMemoryBelowMemoryStillInUseGoesBackToTheKernel() throws {
        // 64 MB in 1 kB blocks (below malloc's mmap threshold, so from an arena), every 64th kept: the arena cannot
        // shrink from its top past a kept block, so the freed 63 of every 64 stay the process's until given back.
        // Other tests allocate beside this one; the bound leaves them 30 MB.
        let blocks = (0..<64 * 1024).map { _ -> UnsafeMutableRawPointer in
            let block = malloc(1024)!
            memset(block, 1, 1024)
            return block
        }
        for index in blocks.indices where index % 64 != 0 { free(blocks[index]) }
        let before = try Self.anonymousKB()
        MallocArenas.releaseFreeMemory()
        let after = try Self.anonymousKB()
        for index in blocks.indices where index % 64 == 0 { free(blocks[index]) }
        #expect(before - after > 32 * 1024, "anonymous memory \(before) kB before, \(after) kB after")
    }

    static func anonymousKB() throws -> Int {
        let rollup = try String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8)
        let line = try #require(rollup.split(separator: "\n").first { $0.hasPrefix("Anonymous:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }
}
