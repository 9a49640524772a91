import Foundation
import Logging
import ProvincialAPI

/// Sends the queue tickets the province does not have yet, in batches, with the heartbeat. Each ticket's id is its
/// idempotency key: a resend after a lost answer comes back `duplicate` and counts once. Tickets uploaded are purged
/// `retentionDays` later; the day counters stay.
struct QueueUpload {
    let store: QueueStore
    let client: ProvincialClient
    let logger: Logger
    var batchSize = 50
    var retentionDays = 30

    /// Returns how many tickets the province took.
    @discardableResult
    func send() async -> Int {
        var sent = 0
        while true {
            let batch: [QueueTicketUpload]
            do {
                batch = try store.nextBatch(limit: batchSize)
            } catch {
                logger.error("queue tickets not read", metadata: ["error": "\(error)"])
                break
            }
            guard !batch.isEmpty else { break }
            do {
                let results = try await client.tickets(TicketBatch(tickets: batch)).results
                try store.markUploaded(results.filter { $0.status != .rejected }.map(\.id))
                for result in results where result.status == .rejected {
                    logger.error(
                        "queue ticket rejected",
                        metadata: ["ticket": "\(result.id)", "reason": "\(result.reason ?? "")"])
                    try store.markRejected(result.id, reason: result.reason ?? "rejected")
                }
                sent += results.count { $0.status != .rejected }
                // An answer that names none of the batch would loop for ever: stop and try at the next heartbeat.
                guard results.contains(where: { r in batch.contains { $0.id == r.id } }) else { break }
            } catch {
                logger.notice("queue tickets not sent", metadata: ["error": "\(error)"])
                break
            }
        }
        if sent > 0 { logger.info("queue tickets sent", metadata: ["tickets": "\(sent)"]) }
        do { try store.purge(retentionDays: retentionDays) } catch {
            logger.error("queue tickets not purged", metadata: ["error": "\(error)"])
        }
        return sent
    }
}
