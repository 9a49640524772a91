import Core
import Foundation
package import Logging
import ProvincialAPI
import ServiceLifecycle

/// Pulls the letters prepared for the village (`GET /v1/pickups` with a cursor) into `PickupStore`, the way
/// `RegistrySync` pulls residents: each page applied in one transaction with its cursor, offline for days it resumes
/// where it stopped, and the kiosk serves collections from what it holds. Refused changes (another village, an
/// unknown kind, not a PDF) are logged by request id and skipped; the kiosk keeps serving.
package struct PickupSync: Service {
    let client: ProvincialClient
    let store: PickupStore
    let logger: Logger
    var interval: Duration = .seconds(900)
    /// PDFs are large: a few per page.
    var pageSize = 10

    package init(client: ProvincialClient, store: PickupStore, logger: Logger, interval: Duration = .seconds(900)) {
        self.client = client
        self.store = store
        self.logger = logger
        self.interval = interval
    }

    package func syncOnce() async throws -> PickupStore.Report {
        var total = PickupStore.Report()
        var cursor = try DeviceState(database: store.database).get(.pickupCursor)
        while true {
            let page = try await client.pickups(after: cursor, limit: pageSize)
            let report = try await store.database.pool.write { [store] db in try store.apply(page, db) }
            total.stored += report.stored
            total.collected += report.collected
            total.cancelled += report.cancelled
            total.refused += report.refused
            total.problems += report.problems
            cursor = page.cursor
            if !page.more { break }
        }
        try await store.purge()
        return total
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await syncOnce()
                    for problem in report.problems {
                        logger.warning("prepared letter refused", metadata: ["problem": "\(problem)"])
                    }
                    if report.stored + report.collected + report.cancelled > 0 {
                        logger.info(
                            "prepared letters synced",
                            metadata: [
                                "ready": "\(report.stored)", "collected": "\(report.collected)",
                                "cancelled": "\(report.cancelled)", "refused": "\(report.refused)",
                            ])
                    }
                } catch {
                    logger.notice(
                        "prepared letters sync failed; the kiosk serves the letters it holds",
                        metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
