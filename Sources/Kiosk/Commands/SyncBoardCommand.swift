import ArgumentParser
import Core
import Foundation
import KioskKit
import Logging

/// `kiosk sync-board`: pull the village board from the province now (the daemon does it on its interval).
struct SyncBoardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-board",
        abstract: "Pull the village board (APBDes realisation, activities, announcements) from the provincial API now.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        KioskLogging.bootstrap(level: .warning)
        let database = try settings.openDatabase()
        let client = try SyncSetup(settings: settings, database: database).requireClient()
        defer { Task { await client.shutdown() } }
        let store = BoardStore(database: database)
        do {
            let outcome = try await BoardSync(client: client, store: store, logger: Logger(label: "kiosk.board"))
                .syncOnce()
            let stored = try store.load()
            let asOf = stored.map { " (data per \(IndonesianDate.long($0.board.asOf)))" } ?? ""
            print(outcome == .changed ? "board updated\(asOf)" : "board unchanged\(asOf)")
        } catch {
            printError("board sync failed: \(error)")
            throw ExitCode(1)
        }
    }
}
