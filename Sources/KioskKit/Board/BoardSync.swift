import Core
import Foundation
package import Logging
import ProvincialAPI
import ServiceLifecycle

/// Pulls the village board from the province (`GET /v1/board` with `If-None-Match`) into `BoardStore`: a changed
/// board replaces the kept one, an unchanged one (304) only renews its confirmation, and a board the kiosk cannot
/// show is refused with the old one kept. Offline, the screen goes on showing the kept board, labelled stale once
/// it has gone unconfirmed for `StoredBoard.staleAfterDays`.
package struct BoardSync: Service {
    let client: ProvincialClient
    let store: BoardStore
    let logger: Logger
    var interval: Duration = .seconds(900)
    var today: @Sendable () -> CalendarDate = { Timestamp.now().date() }

    package init(client: ProvincialClient, store: BoardStore, logger: Logger, interval: Duration = .seconds(900)) {
        self.client = client
        self.store = store
        self.logger = logger
        self.interval = interval
    }

    package enum Outcome: Equatable, Sendable {
        case changed, unchanged
    }

    package func syncOnce() async throws -> Outcome {
        let etag = try store.source() == .api ? try store.etag() : nil
        switch try await client.board(ifNoneMatch: etag) {
        case .unchanged:
            try store.confirm(on: today())
            return .unchanged
        case .changed(let board, let etag):
            try store.save(board, etag: etag, source: .api, on: today())
            return .changed
        }
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await syncOnce() == .changed { logger.info("village board updated from the province") }
                } catch {
                    logger.notice(
                        "board sync failed; the idle screen shows the board it has", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
