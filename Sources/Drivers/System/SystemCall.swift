import Glibc

/// The one retry loop for system calls interrupted by a signal, and the error of a system call that failed: the
/// drivers' `*+Calls.swift` files and the simulator's `Syscalls.swift` go through these instead of each writing its
/// own `EINTR` loop and errno-to-text mapping.
public enum SystemCall {
    /// Runs `call` again for as long as it fails with `EINTR` (a signal arrived before it did anything) and returns
    /// its result; any other failure is returned as it is, negative, with `errno` saying why.
    public static func retrying<Result: SignedInteger>(_ call: () -> Result) -> Result {
        while true {
            let result = call()
            if result < 0, errno == EINTR { continue }
            return result
        }
    }

    /// The C library's words for an error number (`strerror`).
    public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// A system call that failed: its name (with what it acted on, `open(/dev/usb/lp0)`) and `errno`.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    public var call: String
    /// `errno`; 0 when the failure has no error number (a resolver's message).
    public var code: Int32 = 0
    public var message: String

    /// `call` failed with `code` (`errno`).
    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
        message = SystemCall.describe(code)
    }

    /// `call` failed for a reason without an error number (`getaddrinfo`'s own codes).
    public init(call: String, message: String) {
        self.call = call
        self.message = message
    }

    public var description: String { "\(call): \(message)" }

    /// The peer closed the connection: `ECONNRESET` when it closed with bytes of ours unread, `EPIPE` on a send.
    public var isHangUp: Bool { code == ECONNRESET || code == EPIPE }
}
