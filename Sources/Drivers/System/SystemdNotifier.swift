import Glibc

/// One line of the sd_notify protocol (sd_notify(3)): what the kiosk tells systemd about itself.
public enum SystemdNotification: Hashable, Sendable {
    /// `READY=1`: start-up finished; a `Type=notify` unit becomes active.
    case ready
    /// `STATUS=…`: one line `systemctl status` shows. Newlines become spaces, so a status stays one line.
    case status(String)
    /// `WATCHDOG=1`: the keep-alive ping `WatchdogSec=` waits for.
    case watchdog
    /// `STOPPING=1`: graceful shutdown began.
    case stopping
    /// `MAINPID=…`: the service's main process, when it is not the one systemd started.
    case mainPID(Int32)

    /// The `KEY=value` line.
    public var line: String {
        switch self {
        case .ready: "READY=1"
        case .status(let text):
            "STATUS="
                + String(text.map { $0.isNewline ? " " : $0 })
        case .watchdog: "WATCHDOG=1"
        case .stopping: "STOPPING=1"
        case .mainPID(let pid): "MAINPID=\(pid)"
        }
    }

    /// One datagram's payload: the lines joined by newlines.
    public static func payload(_ notifications: [SystemdNotification]) -> String {
        notifications.map(\.line).joined(separator: "\n")
    }
}

/// A notification systemd did not get, with the socket and the call that failed.
public struct SystemdNotifyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call that failed and its `errno`.
    public let failure: SystemCallError
    /// The NOTIFY_SOCKET address.
    public let socket: String

    public init(code: Int32, call: String, socket: String) {
        failure = SystemCallError(call: call, code: code)
        self.socket = socket
    }

    /// The `errno` of the failed call.
    public var code: Int32 { failure.code }
    /// The call that failed.
    public var call: String { failure.call }

    public var description: String {
        let reason: String =
            switch code {
            case EAFNOSUPPORT: "is neither a path nor an abstract @name"
            case ENAMETOOLONG: "is longer than a unix socket address may be"
            case ENOENT, ECONNREFUSED: "has no listener: systemd is gone or the unit was started differently"
            case EAGAIN: "is full: systemd is not reading its notifications"
            case EACCES, EPERM: "may not be written by this user"
            default: "failed: \(failure.message)"
            }
        return "NOTIFY_SOCKET \(socket) \(reason) (\(call), errno \(code))"
    }
}

/// The sd_notify protocol spoken directly, without libsystemd: one `AF_UNIX` datagram per notification to the
/// socket in `NOTIFY_SOCKET`. Outside systemd (no `NOTIFY_SOCKET`) every call does nothing.
///
/// The payload carries whatever the caller passes: callers put counts and states in `STATUS=`, never personal data.
public struct SystemdNotifier: Sendable {
    /// The NOTIFY_SOCKET address, `nil` when the kiosk does not run under a `Type=notify` unit.
    public let socket: String?
    /// The watchdog timeout systemd expects pings within (`WATCHDOG_USEC`), `nil` when there is no watchdog or it is
    /// meant for another process (`WATCHDOG_PID`).
    public let watchdogTimeout: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` (compared with `processID`, `getpid(2)` by default)
    /// from `environment`, as sd_notify(3) and sd_watchdog_enabled(3) do.
    public init(environment: [String: String], processID: Int32? = nil) {
        let socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        self.socket = socket
        self.watchdogTimeout = Self.watchdogTimeout(
            environment: environment, processID: processID ?? UnixDatagram.processID())
    }

    /// `WATCHDOG_USEC` as a duration: `nil` when unset, not a positive integer, or when `WATCHDOG_PID` names another
    /// process (a child that inherited the environment must not ping for its parent).
    static func watchdogTimeout(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], !pid.isEmpty, Int32(pid) != processID { return nil }
        return .microseconds(usec)
    }

    /// How often to ping: half the timeout, as sd_watchdog_enabled(3) advises.
    public var watchdogInterval: Duration? { watchdogTimeout.map { $0 / 2 } }

    /// Whether notifications go anywhere.
    public var isEnabled: Bool { socket != nil }

    /// Sends the notifications in one datagram (sd_notify(3)); does nothing without NOTIFY_SOCKET. Never blocks:
    /// a receiver that does not keep up is an error, as is every other failed send.
    public func notify(_ notifications: SystemdNotification...) throws(SystemdNotifyError) {
        try notify(notifications)
    }

    public func notify(_ notifications: [SystemdNotification]) throws(SystemdNotifyError) {
        guard let socket, !notifications.isEmpty else { return }
        try UnixDatagram.send(Array(SystemdNotification.payload(notifications).utf8), to: socket)
    }
}
