public import Core
import Dispatch

/// A thermal printer on TCP port 9100 (the "raw" port of network receipt printers): a job is one connection,
/// the status is asked with `DLE EOT 1..4` before and after the job, and a printer that never answers is said to
/// be of unknown status rather than assumed ready.
///
/// Socket calls block, so they run on the printer's own serial queue, bridged with continuations.
public struct NetworkThermalPrinter: Sendable {
    public let host: String
    public let port: Int
    /// How long a status reply may take (a printer busy with a long image answers late).
    public let statusTimeout: Duration
    public let connectTimeout: Duration
    /// How long a send may make no progress: a printer that stops reading (jammed, or a half-dead network) would
    /// otherwise hold the print, and with it the resident's screen, for ever.
    public let sendTimeout: Duration
    private let calls: BlockingQueue

    public init(
        host: String, port: Int = 9100, statusTimeout: Duration = .seconds(2), connectTimeout: Duration = .seconds(3),
        sendTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.statusTimeout = statusTimeout
        self.connectTimeout = connectTimeout
        self.sendTimeout = sendTimeout
        calls = BlockingQueue(label: "kiosk.thermal.\(host).\(port)")
    }

    /// The printer's status, or `nil` when it does not answer `DLE EOT` (some firmware never does).
    public func status() async throws(ThermalError) -> ThermalStatus? {
        try await calls.run { () throws(ThermalError) in
            let fd = try TCP.connect(
                host: host, port: port, timeoutMilliseconds: Int32(clamping: connectTimeout.milliseconds),
                sendTimeoutMilliseconds: Int32(clamping: sendTimeout.milliseconds))
            defer { TCP.close(fd) }
            return try Self.askStatus(fd, timeout: Int32(clamping: statusTimeout.milliseconds))
        }
    }

    /// Prints one job: status first (a printer out of paper gets nothing), the bytes, then the status again
    /// (paper that ran out mid-slip). `.printed` also when the printer never answers status: nothing says
    /// otherwise, and the operator sees "status unknown" in `kiosk status`.
    public func print(_ job: [UInt8]) async -> PrintOutcome {
        await printReporting(job).outcome
    }

    /// `print(_:)` with the status the printer last gave (`nil`: it never answered, or could not be reached).
    public func printReporting(_ job: [UInt8]) async -> (outcome: PrintOutcome, status: ThermalStatus?) {
        do {
            return try await calls.run { () throws(ThermalError) in
                let fd = try TCP.connect(
                    host: host, port: port, timeoutMilliseconds: Int32(clamping: connectTimeout.milliseconds),
                    sendTimeoutMilliseconds: Int32(clamping: sendTimeout.milliseconds))
                defer { TCP.close(fd) }
                let timeout = Int32(clamping: statusTimeout.milliseconds)
                let before = try Self.askStatus(fd, timeout: timeout)
                if let problem = before?.problem { return (.failed(problem), before) }
                try TCP.sendAll(fd, job)
                let after = try Self.askStatus(fd, timeout: timeout)
                if let problem = after?.problem { return (.failed(problem), after) }
                return (.printed, after)
            }
        } catch {
            return (.failed(.offline), nil)
        }
    }

    /// Sends the four `DLE EOT` requests and folds the replies in; `nil` if none came within `timeout`.
    static func askStatus(_ fd: Int32, timeout: Int32) throws(ThermalError) -> ThermalStatus? {
        var scanner = EscPosReplyScanner()
        for n in UInt8(1)...4 { scanner.sent(n) }
        try TCP.sendAll(fd, ThermalStatus.fullCheck)
        var status = ThermalStatus()
        var answered = 0
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout) * 1_000_000
        while scanner.isWaiting {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            let bytes = try TCP.receive(fd, milliseconds: Int32((deadline - now) / 1_000_000) + 1)
            for (n, reply) in scanner.receive(bytes) {
                status.apply(reply: reply, to: n)
                answered += 1
            }
        }
        return answered == 4 ? status : nil
    }

}
