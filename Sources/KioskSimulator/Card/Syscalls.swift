import Drivers
import Glibc

/// The only file in the card simulator that calls libc: sockets, poll, files and stderr. It checks every return
/// code and retries `EINTR` through `SystemCall.retrying` (Drivers/System) where a retry is right; `poll` and
/// `pause`-like waits return early on a signal instead, so SIGINT/SIGTERM end a wait at once.
enum Syscalls {
    /// The file descriptor of a connected TCP socket to `host:port`, trying every address `host` resolves to
    /// (vpcd listens on IPv4 only, so `localhost` may resolve to `::1` first).
    static func connectTCP(host: String, port: UInt16) throws(SystemCallError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw SystemCallError(call: "getaddrinfo(\(host))", message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var lastError = SystemCallError(call: "connect", code: ECONNREFUSED)
        var entry = list
        while let address = entry?.pointee {
            entry = address.ai_next
            let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
            guard fd >= 0 else {
                lastError = SystemCallError(call: "socket", code: errno)
                continue
            }
            if connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return fd }
            lastError = SystemCallError(call: "connect", code: errno)
            close(fd)
        }
        throw lastError
    }

    /// The connected socket to a unix socket at `path`: QEMU's `-chardev socket,server=on` listens on one.
    static func connectUnix(path: String) throws(SystemCallError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        // sun_path needs room for the terminating NUL.
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SystemCallError(call: "connect(\(path))", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCallError(call: "socket", code: errno) }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let error = SystemCallError(call: "connect(\(path))", code: errno)
            close(fd)
            throw error
        }
        return fd
    }

    enum PollResult: Equatable {
        case readable
        case timedOut
        /// A signal arrived; the caller checks whether it means stop.
        case interrupted
    }

    /// Waits until `fd` can be read (or has hung up) or `milliseconds` pass. `fd` -1 just waits.
    static func poll(_ fd: Int32, milliseconds: Int32) throws(SystemCallError) -> PollResult {
        let ready = try poll([fd], milliseconds: milliseconds)
        guard let ready else { return .interrupted }
        return ready.isEmpty ? .timedOut : .readable
    }

    /// Waits until one of `fds` can be read (or has hung up) or `milliseconds` pass, and returns the readable
    /// ones: empty on a timeout, `nil` when a signal arrived. Negative descriptors are skipped, as `poll` does, so
    /// a card with no connection (or no live input) waits on what it has.
    static func poll(_ fds: [Int32], milliseconds: Int32) throws(SystemCallError) -> [Int32]? {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let count = Glibc.poll(&entries, nfds_t(entries.count), milliseconds)
        if count < 0 {
            if errno == EINTR { return nil }
            throw SystemCallError(call: "poll", code: errno)
        }
        return entries.filter { $0.fd >= 0 && $0.revents != 0 }.map(\.fd)
    }

    /// Up to `maximum` bytes; empty when the peer has closed the connection.
    static func read(_ fd: Int32, maximum: Int) throws(SystemCallError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = SystemCall.retrying { buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, maximum) } }
        guard count >= 0 else { throw SystemCallError(call: "read", code: errno) }
        return Array(buffer.prefix(count))
    }

    /// Sends all of `bytes`. `MSG_NOSIGNAL`: a reader that went away is an error to report, not a SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemCallError) {
        var sent = 0
        while sent < bytes.count {
            let count = SystemCall.retrying {
                bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            }
            guard count >= 0 else { throw SystemCallError(call: "send", code: errno) }
            sent += count
        }
    }

    /// Closes `fd`; a failed close of a socket loses nothing the simulator could act on, so it is ignored.
    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// A connected pair of local sockets, for tests that play vpcd's or QEMU's side.
    static func socketPair() throws(SystemCallError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw SystemCallError(call: "socketpair", code: errno)
        }
        return (fds[0], fds[1])
    }

    /// The whole file as UTF-8.
    static func readFile(_ path: String) throws(SystemCallError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError(call: "open(\(path))", code: errno) }
        defer { close(fd) }
        var contents: [UInt8] = []
        while true {
            let chunk = try read(fd, maximum: 65536)
            if chunk.isEmpty { break }
            contents += chunk
        }
        return String(decoding: contents, as: UTF8.self)
    }

    /// One line on stderr, written in one call so lines from several processes do not interleave.
    static func writeErrorLine(_ line: String) { writeLine(line, to: STDERR_FILENO) }

    /// One line on stdout, unbuffered: a test harness waiting for `inserted` must not wait for a buffer to fill.
    static func writeOutputLine(_ line: String) { writeLine(line, to: STDOUT_FILENO) }

    /// The descriptor live steps arrive on.
    static let standardInput = STDIN_FILENO

    private static func writeLine(_ line: String, to fd: Int32) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Installs `handler` for SIGINT and SIGTERM.
    static func onTerminationSignals(_ handler: @convention(c) (Int32) -> Void) {
        _ = signal(SIGINT, handler)
        _ = signal(SIGTERM, handler)
        // A child inherits its parent thread's signal mask: started from a dispatch or Swift concurrency thread
        // (the kiosk's script player, a test), SIGTERM would stay blocked and `remove` could never end the card.
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        _ = pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }
}
