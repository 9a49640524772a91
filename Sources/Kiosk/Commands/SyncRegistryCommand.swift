import ArgumentParser
import Foundation
import KioskKit
import Logging

/// `kiosk sync-registry`: pull the village's resident changes from the province now (the daemon does it on its
/// interval).
struct SyncRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-registry",
        abstract: "Pull resident changes (cards, PIN hashes, removals) from the provincial API now.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        KioskLogging.bootstrap(level: .warning)
        let database = try settings.openDatabase()
        let client = try SyncSetup(settings: settings, database: database).requireClient()
        defer { Task { await client.shutdown() } }
        do {
            let report = try await RegistrySync(
                client: client, database: database,
                pepper: try PINPepper.load(stateDirectory: settings.stateDirectory), logger: Logger(label: "kiosk.registry")
            )
            .syncOnce()
            print(
                "registry synced: \(report.changed) resident(s) added or changed, \(report.removed) removed, "
                    + "\(report.rejected) change(s) rejected (\(report.pages) page(s))")
        } catch {
            printError("registry sync failed: \(error); the registry is unchanged since the last good page")
            throw ExitCode(1)
        }
    }
}
