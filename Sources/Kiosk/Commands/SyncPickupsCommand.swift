import ArgumentParser
import Core
import Foundation
import KioskKit
import Logging

/// `kiosk sync-pickups`: pull the letters prepared for the village from the province now (the daemon does it on its
/// interval).
struct SyncPickupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-pickups",
        abstract: "Pull the letters ready for collection (and those collected elsewhere) from the provincial API now.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        KioskLogging.bootstrap(level: .warning)
        let database = try settings.openDatabase()
        let sync = try SyncSetup(settings: settings, database: database)
        let client = try sync.requireClient()
        defer { Task { await client.shutdown() } }
        let store = try PickupStore.syncing(settings, database: database)
        do {
            let report = try await PickupSync(client: client, store: store, logger: Logger(label: "kiosk.pickups"))
                .syncOnce()
            for problem in report.problems { print("refused: \(problem)") }
            print(
                "prepared letters: \(report.stored) ready, \(report.collected) collected elsewhere, "
                    + "\(report.cancelled) cancelled, \(report.refused) refused")
        } catch {
            printError("prepared letters sync failed: \(error)")
            throw ExitCode(1)
        }
    }
}
