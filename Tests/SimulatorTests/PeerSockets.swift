import Drivers
import Foundation
import Glibc
import VirtualCardWire

@testable import KioskSimulator

/// QEMU's end of a VSCard socket, played by a test: it reads what the card sends and answers as
/// `hw/usb/ccid-card-passthru.c` does. Every read has a bound, so a card that stays silent fails the test instead
/// of hanging it (`.timeLimit` cannot interrupt a blocking `poll`).
struct QEMUSide {
    let fd: Int32
    private var decoder = VSCardFrameDecoder()

    init(fd: Int32) { self.fd = fd }

    /// QEMU's answer to Init: `VSCD`, version 2, one capability word of 0, for no reader yet.
    static let initAnswer = VSCardFrame(
        .initialize, reader: VSCardFrame.undefinedReader, payload: VSCardFrame.magic + [0, 0, 0, 2, 0, 0, 0, 0])

    /// What QEMU answers ReaderAdd, ATR, CardRemove and ReaderRemove with when all went well.
    static let acknowledgement = VSCardFrame.error(.success, reader: VSCardFrame.firstReader)

    /// The next frame from the card, or `nil` when none comes within `milliseconds` or the card hung up.
    mutating func next(within milliseconds: Int32 = 2000) throws -> VSCardFrame? {
        while true {
            if let frame = try decoder.next() { return frame }
            guard try Syscalls.poll(fd, milliseconds: milliseconds) == .readable else { return nil }
            let bytes = try Syscalls.read(fd, maximum: 4096)
            if bytes.isEmpty { return nil }
            decoder.append(bytes)
        }
    }

    func send(_ frames: VSCardFrame...) throws {
        for frame in frames { try Syscalls.sendAll(fd, frame.encoded) }
    }

    /// Whether the card closed its end: end of stream within `milliseconds`.
    func sawHangUp(within milliseconds: Int32 = 2000) throws -> Bool {
        try Syscalls.poll(fd, milliseconds: milliseconds) == .readable && Syscalls.read(fd, maximum: 16).isEmpty
    }
}

/// Listening sockets and line reading for the tests that run `kiosk-sim card`'s player on a thread of its own.
enum PeerSockets {
    /// A unix socket listening at a fresh path, as QEMU's `-chardev socket,server=on` does.
    static func listenUnix() throws -> (fd: Int32, path: String) {
        let path = NSTemporaryDirectory() + "vscard-\(UUID().uuidString.prefix(8)).sock"
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard fd >= 0, bound == 0, listen(fd, 1) == 0 else {
            throw SystemCallError(call: "listen(\(path))", code: errno)
        }
        return (fd, path)
    }

    /// A TCP socket listening on a free loopback port, as vpcd does on 35963.
    static func listenTCP() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw SystemCallError(call: "listen(127.0.0.1)", code: errno) }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// The next connection on `listener`, or `nil` when none comes within `milliseconds`.
    static func accept(_ listener: Int32, within milliseconds: Int32 = 2000) throws -> Int32? {
        guard try Syscalls.poll(listener, milliseconds: milliseconds) == .readable else { return nil }
        let fd = Glibc.accept(listener, nil, nil)
        return fd >= 0 ? fd : nil
    }

    /// Runs `body` on a thread of its own, as the `kiosk-sim card` process would run it, so the test can play
    /// the peers on its own thread; `body` reports back through a socket, as the process does through stdout.
    static func detach(_ body: @escaping @Sendable () -> Void) { Thread.detachNewThread(body) }
}

/// Lines written to a socket by the player's `acknowledge`, read back one at a time with a bound.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    mutating func next(within milliseconds: Int32 = 3000) throws -> String? {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                defer { buffer.removeFirst(end + 1) }
                return String(decoding: buffer[..<end], as: UTF8.self)
            }
            guard try Syscalls.poll(fd, milliseconds: milliseconds) == .readable else { return nil }
            let bytes = try Syscalls.read(fd, maximum: 4096)
            if bytes.isEmpty { return nil }
            buffer += bytes
        }
    }

    /// The acknowledgement callback that writes to `fd`, as `Syscalls.writeOutputLine` writes to stdout.
    static func writer(_ fd: Int32) -> (String) -> Void {
        { line in try? Syscalls.sendAll(fd, Array((line + "\n").utf8)) }
    }
}
