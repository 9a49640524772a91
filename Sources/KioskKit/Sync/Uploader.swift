import Core
import Foundation
package import Logging
import ProvincialAPI
import ServiceLifecycle

/// Drains the outbox to the provincial API: batches of the oldest ready records, each with its idempotency key;
/// acknowledged records leave the outbox, rejected ones stay with the reason; any other outcome (no network, a
/// busy or failing server, a lost answer) keeps the batch and retries after a backoff with full jitter, however
/// many times it takes. Nothing is in memory that the outbox does not also hold, so a crash or a power cut only
/// means the last batch is sent again, and the server's deduplication makes that harmless.
package struct Uploader: Service {
    let store: SQLiteRecordStore
    let client: ProvincialClient
    let logger: Logger
    var batchSize = 200
    var backoff = Backoff()
    /// How often an idle uploader looks for records whose print grace ran out.
    var idleInterval: Duration = .seconds(60)
    var retentionDays = 30
    /// Told when records left the outbox (the systemd status counts them).
    var outboxChanged: @Sendable () async -> Void = {}

    /// Drains `store`'s outbox through `client`, `batchSize` records at a time.
    package init(
        store: SQLiteRecordStore, client: ProvincialClient, logger: Logger, batchSize: Int = 200,
        backoff: Backoff = Backoff(), idleInterval: Duration = .seconds(60), retentionDays: Int = 30,
        outboxChanged: @escaping @Sendable () async -> Void = {}
    ) {
        self.store = store
        self.client = client
        self.logger = logger
        self.batchSize = batchSize
        self.backoff = backoff
        self.idleInterval = idleInterval
        self.retentionDays = retentionDays
        self.outboxChanged = outboxChanged
    }

    package func run() async throws {
        // Stops at graceful shutdown: the sleeps end early and the loop sees the cancellation; nothing here throws,
        // so a shutdown is not reported as this service's failure.
        await cancelWhenGracefulShutdown {
            var failures = 0
            // Jitter needs spread, not secrecy. (The system generator, an empty struct, passed inout crashes
            // ThreadSanitizer builds: swiftlang/swift#66099.)
            var generator = SplitMix64()
            while !Task.isCancelled {
                switch await drainOnce() {
                case .drained:
                    failures = 0
                    _ = try? await store.purge(retentionDays: retentionDays)
                    // Wait for a new record or the timer, whichever comes first.
                    await store.readiness.wait(upTo: idleInterval)
                case .more:
                    failures = 0
                case .failed(let retryAfter):
                    failures += 1
                    let delay = backoff.delay(afterFailures: failures, retryAfter: retryAfter, using: &generator)
                    logger.debug("upload retry scheduled", metadata: ["in": "\(delay)", "failures": "\(failures)"])
                    try? await Task.sleep(for: delay)
                }
            }
        }
    }

    package enum Round: Equatable {
        /// Nothing (more) ready.
        case drained
        /// A batch went through and more may be waiting.
        case more
        case failed(retryAfter: Duration?)
    }

    /// The answer's results the kiosk may act on: only those about records of the batch it sent, each once (the
    /// first word on it counts), rejection reasons made loggable. A server that "acknowledges" a record it was never
    /// sent would otherwise take it out of the outbox unsent: lost for good.
    func settled(_ results: [RecordResult], sent batch: [ServiceRecordUpload]) -> [RecordResult] {
        var unanswered = Set(batch.map(\.id))
        var kept: [RecordResult] = []
        for var result in results {
            guard unanswered.remove(result.id) != nil else { continue }
            result.reason = result.reason.map(ServerText.loggable)
            kept.append(result)
        }
        if kept.count < results.count {
            logger.warning(
                "the province's answer named records this batch did not hold; ignored",
                metadata: ["ignored": "\(results.count - kept.count)", "sent": "\(batch.count)"])
        }
        return kept
    }

    /// Sends one batch and applies the answer.
    package func drainOnce() async -> Round {
        let batch: [ServiceRecordUpload]
        do {
            batch = try await store.nextBatch(limit: batchSize)
            if batch.isEmpty { return .drained }
            try await store.countAttempt(batch.map(\.id))
        } catch {
            logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
            return .failed(retryAfter: nil)
        }
        do {
            let answer = try await client.upload(RecordBatch(records: batch))
            let results = settled(answer.results, sent: batch)
            try await store.settle(results)
            await outboxChanged()
            let rejected = results.filter { $0.status == .rejected }
            for result in rejected {
                logger.warning(
                    "the province rejected a record; it stays on the kiosk",
                    metadata: ["record": "\(result.id)", "reason": "\(result.reason ?? "")"])
            }
            logger.info(
                "records uploaded",
                metadata: [
                    "sent": "\(batch.count)", "accepted": "\(results.count { $0.status == .accepted })",
                    "duplicate": "\(results.count { $0.status == .duplicate })", "rejected": "\(rejected.count)",
                ])
            try? store.deviceState.set([.lastUploadError: nil])
            return batch.count < batchSize ? .drained : .more
        } catch let error as APICallError {
            logger.warning("upload failed; the records stay in the outbox", metadata: ["error": "\(error)"])
            try? store.deviceState.set([.lastUploadError: "\(error)"])
            if case .retryLater(_, let after) = error { return .failed(retryAfter: after) }
            return .failed(retryAfter: nil)
        } catch {
            logger.error("cannot record the upload's answer", metadata: ["error": "\(error)"])
            return .failed(retryAfter: nil)
        }
    }
}
