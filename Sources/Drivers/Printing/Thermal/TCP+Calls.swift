import Glibc

/// The socket calls of the TCP transport: the one file that calls them, retries `EINTR` and maps errno.
enum TCP {
    /// `getaddrinfo` + `socket` + `connect` with a deadline (`poll` on a non-blocking connect); a send that can put
    /// nothing out for `sendTimeoutMilliseconds` (a printer that stopped reading) fails instead of blocking for ever.
    static func connect(host: String, port: Int, timeoutMilliseconds: Int32, sendTimeoutMilliseconds: Int32)
        throws(ThermalError) -> Int32
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw .unreachable("\(host):\(port)", "the name does not resolve")
        }
        defer { freeaddrinfo(list) }
        var reason = "no address answered"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 || errno == EINPROGRESS,
                wait(fd, events: Int16(POLLOUT), milliseconds: timeoutMilliseconds), socketError(fd) == 0
            {
                _ = fcntl(fd, F_SETFL, flags)
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                var limit = timeval(
                    tv_sec: Int(sendTimeoutMilliseconds / 1000), tv_usec: Int(sendTimeoutMilliseconds % 1000) * 1000)
                _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                return fd
            }
            reason = SystemCall.describe(socketError(fd) != 0 ? socketError(fd) : errno)
            Glibc.close(fd)
        }
        throw .unreachable("\(host):\(port)", reason)
    }

    private static func socketError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error
    }

    /// `poll` for `events`; false on timeout.
    static func wait(_ fd: Int32, events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return SystemCall.retrying { poll(&entry, 1, milliseconds) } > 0
    }

    /// `send` until every byte is out (`MSG_NOSIGNAL`: a closed peer is an error, not a SIGPIPE).
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(ThermalError) {
        var offset = 0
        while offset < bytes.count {
            let sent = SystemCall.retrying {
                bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            guard sent >= 0 else {
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw .connectionLost("the printer stopped taking data (send timed out)")
                }
                throw .connectionLost(SystemCall.describe(errno))
            }
            offset += sent
        }
    }

    /// What arrives within `milliseconds` (empty on timeout); throws when the peer closed.
    static func receive(_ fd: Int32, milliseconds: Int32) throws(ThermalError) -> [UInt8] {
        guard wait(fd, events: Int16(POLLIN), milliseconds: milliseconds) else { return [] }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { throw .connectionLost("the printer closed the connection") }
        if count < 0 { throw .connectionLost(SystemCall.describe(errno)) }
        return Array(buffer.prefix(count))
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }
}
