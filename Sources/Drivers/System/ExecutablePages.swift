import Glibc

/// The pages of the kiosk's own binary in memory. Start-up reads much of the binary once (the Swift runtime's type
/// lookups for the argument parser, the configuration and the database, the setup code itself) and the idle kiosk
/// needs little of it: those pages would stay mapped, counted in the kiosk's memory, for as long as it runs.
public struct ExecutablePages: Sendable {
    /// The executable's read-only mappings that hold no anonymous page, found once: the loader maps the binary and
    /// writes its relocations before `main`, and nothing maps, unmaps or writes into them after, so the list holds for
    /// the life of the process. Reading /proc/self/smaps walks the page tables of every mapping; `release()` is
    /// called every few seconds and only advises.
    let releasable: [Range<UInt>]

    public init() throws(SystemCallError) {
        releasable = try Self.mappings(of: try Self.executablePath())
            .filter { !$0.isWritable && $0.anonymousKB == 0 }.map(\.range)
    }

    /// Unmaps the resident pages of the executable's read-only mappings (its code, its constants, its metadata):
    /// `madvise(MADV_DONTNEED)` on each mapping of `/proc/self/exe` in `/proc/self/smaps` that is not writable and
    /// holds no anonymous page. Such a mapping only maps the file's pages in the page cache, so nothing changes for
    /// the program: a page it touches again is mapped again from the page cache (a minor fault, no disk read while
    /// the cache keeps it; the kernel may now reclaim the ones nobody maps). Writable mappings, and read-only ones
    /// the loader wrote into (relocations, RELRO), are left alone: for them the advice would throw away what was
    /// written. Returns the bytes of the mappings advised.
    public func release() throws(SystemCallError) -> Int {
        var advised = 0
        for range in releasable {
            guard madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_DONTNEED) == 0 else {
                throw SystemCallError(call: "madvise(MADV_DONTNEED)", code: errno)
            }
            advised += range.count
        }
        return advised
    }

    /// One mapping of a file in `/proc/self/smaps`.
    struct Mapping: Equatable {
        var range: Range<UInt>
        var isWritable: Bool
        /// `Rss:`: what is mapped in now.
        var residentKB = 0
        /// `Anonymous:`: pages the process wrote into (copies of the file's pages).
        var anonymousKB = 0
    }

    /// The mappings `/proc/self/smaps` gives for `path`, in address order.
    static func mappings(of path: String) throws(SystemCallError) -> [Mapping] {
        var found: [Mapping] = []
        var inside = false
        for line in try procText("/proc/self/smaps").split(separator: "\n") {
            // "55d0c0a00000-55d0c0b00000 r--p 00000000 fe:01 1234   /usr/bin/kiosk", then "Rss:    1234 kB" lines.
            // The path is what follows the five fields and may hold spaces (" (deleted)" after an upgrade).
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            let bounds = first.split(separator: "-")
            if bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16) {
                inside = fields.count == 6 && fields[5].drop(while: { $0 == " " }) == path && start < end
                if inside { found.append(Mapping(range: start..<end, isWritable: fields[1].dropFirst().first == "w")) }
            } else if inside, fields.count >= 2, let kb = Int(fields[1]) {
                switch first {
                case "Rss:": found[found.count - 1].residentKB = kb
                case "Anonymous:": found[found.count - 1].anonymousKB = kb
                default: break
                }
            }
        }
        return found
    }

    /// `readlink(/proc/self/exe)`: the path `/proc/self/smaps` names the executable by.
    static func executablePath() throws(SystemCallError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw SystemCallError(call: "readlink(/proc/self/exe)", code: errno) }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A file of /proc read to its end (its size is 0 to `stat`, so it is read until `read` returns 0).
    static func procText(_ path: String) throws(SystemCallError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(call: "open(\(path))", code: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = SystemCall.retrying { chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) } }
            guard count >= 0 else { throw SystemCallError(call: "read(\(path))", code: errno) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
