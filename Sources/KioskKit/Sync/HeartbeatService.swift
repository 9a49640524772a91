import Core
import Foundation
package import Logging
import ProvincialAPI
import ServiceLifecycle

/// Tells the province, on an interval, how this kiosk is: version, uptime, clock, printer, queue. A heartbeat that
/// cannot be sent is not queued: the next one says the same and more, so offline weeks cost nothing.
package struct HeartbeatService: Service {
    let store: SQLiteRecordStore
    let client: ProvincialClient
    let logger: Logger
    var interval: Duration = .seconds(300)
    /// Days an uploaded survey day or queue ticket is kept (`[records] retention_days`).
    var retentionDays = 30
    let started = Date()
    /// The busy marker, read for the heartbeat's `busy`; only under systemd, where the runtime writes it.
    var busyMarker: BusyMarker? =
        ProcessInfo.processInfo.environment["RUNTIME_DIRECTORY"] == nil ? nil : BusyMarker.current()

    /// Beats through `client` every `interval`, with `store`'s queue.
    package init(
        store: SQLiteRecordStore, client: ProvincialClient, logger: Logger, interval: Duration = .seconds(300),
        retentionDays: Int = 30
    ) {
        self.store = store
        self.client = client
        self.logger = logger
        self.interval = interval
        self.retentionDays = retentionDays
    }

    package func run() async throws {
        // Stops at graceful shutdown: the sleeps end early and the loop sees the cancellation; nothing here throws,
        // so a shutdown is not reported as this service's failure.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await beatOnce()
                try? await Task.sleep(for: interval)
            }
        }
    }

    func heartbeat() async throws -> Heartbeat {
        let summary = try await store.summary()
        let state = store.deviceState
        return Heartbeat(
            kioskId: store.kioskID, softwareVersion: BuildInfo.version, sentAt: Date(),
            uptimeSeconds: Int(Date().timeIntervalSince(started)), clockSynced: store.clockSynced(),
            printer: .init(status: try state.get(.printerStatus) ?? "unknown"), queueDepth: summary.pending,
            oldestPendingAt: summary.oldestPending.map { Date(millisecondsSince1970: $0.millisecondsSince1970) },
            lastUploadAt: summary.lastUpload.map { Date(millisecondsSince1970: $0.millisecondsSince1970) },
            rejectedRecords: summary.rejected, softwareCommit: BuildInfo.commit == "unknown" ? nil : BuildInfo.commit,
            softwareBuiltAt: try? Date(BuildInfo.date, strategy: .iso8601), busy: busyMarker?.isBusy,
            thermalPrinter: try thermalPrinter(state), service: try service(state))
    }

    /// The operator's last service switch, when there was one.
    func service(_ state: DeviceState) throws -> Heartbeat.Service? {
        try ServiceSwitch(state: state).last().map {
            .init(status: $0.outOfService ? .stopped : .open, changedBy: $0.by, changedAt: $0.at)
        }
    }

    /// The thermal printer's last status, when the kiosk has learnt one.
    func thermalPrinter(_ state: DeviceState) throws -> Heartbeat.ThermalPrinter? {
        guard let status = try state.get(.thermalStatus), let at = try state.get(.thermalStatusAt).flatMap(Int64.init)
        else { return nil }
        return .init(status: status, at: Date(timeIntervalSince1970: Double(at) / 1000))
    }

    /// Sends one heartbeat; says whether it went through.
    @discardableResult
    package func beatOnce() async -> Bool {
        do {
            try await client.heartbeat(try await heartbeat())
            try? store.deviceState.set([.lastHeartbeat: "\(Int64(Date().timeIntervalSince1970 * 1000))"])
            // Survey days that are over go with the heartbeat: as rarely, and as late, as it.
            await SurveyUpload(
                store: SurveyStore(database: store.database), client: client, kioskID: store.kioskID, logger: logger,
                retentionDays: retentionDays
            ).sendDays(before: Timestamp.now().date())
            // Queue tickets too: they carry no letter, and the province needs them the same day at most.
            await QueueUpload(
                store: QueueStore(records: store), client: client, logger: logger, retentionDays: retentionDays
            ).send()
            return true
        } catch {
            logger.debug("heartbeat not sent", metadata: ["error": "\(error)"])
            return false
        }
    }
}
