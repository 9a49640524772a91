import Core
import Drivers
import Logging

/// Tells systemd what the kiosk is doing: `READY=1` once the runtime serves, `STATUS=` lines a technician reads in
/// `systemctl status` when they change, `STOPPING=1` at shutdown. Only counts and states: never personal data.
package actor SystemdReporter {
    let notifier: SystemdNotifier
    let logger: Logger
    /// The number of records the outbox holds.
    let pendingRecords: @Sendable () async throws -> Int

    private var health = Health()
    private var pending: Int?
    private var isReady = false
    private var lastStatus: String?
    private var failing = false

    init(notifier: SystemdNotifier, logger: Logger, pendingRecords: @escaping @Sendable () async throws -> Int) {
        self.notifier = notifier
        self.logger = logger
        self.pendingRecords = pendingRecords
    }

    /// The runtime shows its first screen: start-up is over.
    func ready(health: Health) async {
        self.health = health
        await readPending()
        let status = KioskStatusLine.text(health: health, pendingRecords: pending)
        send([.ready, .status(status)])
        (isReady, lastStatus) = (true, status)
    }

    /// The printer, the disk or the operator changed what the kiosk can do.
    func healthChanged(_ health: Health) async {
        guard health != self.health else { return }
        self.health = health
        publish()
    }

    /// A record was added to or left the outbox.
    func outboxChanged() async {
        await readPending()
        publish()
    }

    /// Graceful shutdown began.
    func stopping() {
        send([.stopping, .status("stopping")])
        lastStatus = "stopping"
    }

    private func readPending() async {
        do {
            pending = try await pendingRecords()
        } catch {
            pending = nil
            logger.warning("outbox not counted for the systemd status", metadata: ["error": "\(error)"])
        }
    }

    private func publish() {
        guard isReady else { return }
        let status = KioskStatusLine.text(health: health, pendingRecords: pending)
        guard status != lastStatus else { return }
        send([.status(status)])
        lastStatus = status
    }

    private func send(_ notifications: [SystemdNotification]) {
        do {
            try notifier.notify(notifications)
            if failing { logger.notice("systemd gets the kiosk's notifications again") }
            failing = false
        } catch {
            // Logged once per run of failures; the kiosk serves residents either way.
            if !failing { logger.error("systemd not notified", metadata: ["error": "\(error)"]) }
            failing = true
        }
    }
}

/// The `STATUS=` line: what the kiosk can do now and what waits for upload. Built from states and counts only.
package enum KioskStatusLine {
    static func text(health: Health, pendingRecords: Int?) -> String {
        let serving =
            switch health.blockingError {
            case .outOfService: "out of service (operator): refusing services"
            case .diskFull: "disk full: refusing services"
            case .printer(let problem): "\(describe(problem)): refusing services"
            default: "serving residents"
            }
        guard let pendingRecords else { return serving }
        let outbox =
            switch pendingRecords {
            case 0: "no records waiting for upload"
            case 1: "1 record waiting for upload"
            default: "\(pendingRecords) records waiting for upload"
            }
        return "\(serving); \(outbox)"
    }

    static func describe(_ problem: PrinterProblem) -> String {
        switch problem {
        case .paperOut: "printer out of paper"
        case .coverOpen: "printer cover open"
        case .paperJam: "printer paper jam"
        case .offline: "printer offline"
        case .cutterError: "printer cutter error"
        case .unknown: "printer error"
        }
    }
}
