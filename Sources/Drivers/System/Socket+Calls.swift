import Glibc

/// Every socket call of Drivers/System goes through here: the one file that touches `sockaddr_un`, file
/// descriptors and `errno`, and turns failures into `SystemdNotifyError`s.
enum UnixDatagram {
    /// `sockaddr_un` for a NOTIFY_SOCKET address: a path (`/run/systemd/notify`) or an abstract name (`@name`, whose
    /// `@` becomes the leading NUL byte the kernel expects). Anything else is refused, as sd_notify(3) refuses it.
    static func address(_ text: String) throws(SystemdNotifyError) -> (sockaddr_un, socklen_t) {
        var bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else {
            throw SystemdNotifyError(code: EAFNOSUPPORT, call: "NOTIFY_SOCKET", socket: text)
        }
        if first == UInt8(ascii: "@") { bytes[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A path needs room for its NUL terminator; an abstract name is measured by the length alone.
        guard bytes.count < capacity || (first == UInt8(ascii: "@") && bytes.count <= capacity) else {
            throw SystemdNotifyError(code: ENAMETOOLONG, call: "NOTIFY_SOCKET", socket: text)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path.copyBytes(from: bytes)
        }
        let length =
            MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (first == UInt8(ascii: "/") ? 1 : 0)
        return (address, socklen_t(length))
    }

    /// `socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC)` and one `sendto` of `payload` to `address`, then `close`.
    ///
    /// The send is `MSG_DONTWAIT`: it never blocks the caller (an async task), and a receiver whose queue is full is
    /// reported as `EAGAIN` instead of stalling the kiosk. `MSG_NOSIGNAL` keeps a vanished receiver from raising
    /// SIGPIPE.
    static func send(_ payload: [UInt8], to text: String) throws(SystemdNotifyError) {
        var (address, length) = try self.address(text)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemdNotifyError(code: errno, call: "socket", socket: text) }
        defer { _ = close(fd) }
        let sent = SystemCall.retrying {
            payload.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                        sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), raw, length)
                    }
                }
            }
        }
        guard sent >= 0 else { throw SystemdNotifyError(code: errno, call: "sendto", socket: text) }
        guard sent == payload.count else { throw SystemdNotifyError(code: EMSGSIZE, call: "sendto", socket: text) }
    }

    /// `getpid(2)`, for the WATCHDOG_PID check.
    static func processID() -> Int32 { getpid() }
}
