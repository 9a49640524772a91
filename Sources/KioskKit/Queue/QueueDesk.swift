package import Core
package import Logging

/// Hands queue tickets: records the ticket (its number taken in the same transaction), then prints its slip on the
/// thermal printer. A slip that does not print leaves the number taken and the ticket recorded as not printed, and
/// the resident sees the number on the screen instead (docs/QUEUE.md says why it is not taken back).
package struct QueueDesk: Sendable {
    let store: QueueStore
    let slips: ThermalSlips
    let village: String
    let logger: Logger

    package init(store: QueueStore, slips: ThermalSlips, village: String, logger: Logger) {
        self.store = store
        self.slips = slips
        self.village = village
        self.logger = logger
    }

    package func take(_ request: QueueRequest) async -> TicketOutcome {
        let taken: QueueStore.Taken
        do {
            taken = try await store.take(request)
        } catch {
            logger.error("queue ticket not recorded", metadata: ["problem": "\(error.rawValue)"])
            return .notTaken(error)
        }
        let outcome = await slips.print(.queueTicket(taken.ticket, village: village))
        await store.recordPrint(outcome, for: taken.id)
        // The number and the service only: nothing of the resident, card or not.
        logger.notice(
            "queue ticket taken",
            metadata: [
                "number": "\(taken.ticket.number)", "service": "\(request.service.code)", "slip": "\(outcome.rawValue)",
            ])
        if case .failed(let problem) = outcome { return .notPrinted(taken.ticket, problem) }
        return .printed(taken.ticket)
    }
}
