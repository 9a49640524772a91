import ArgumentParser
import Core
import Foundation
import KioskKit
import Logging

/// `kiosk upload`: drain the outbox now, in the foreground (the daemon does the same in the background).
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Send the records waiting in the outbox to the provincial API now.")

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Put records the province rejected back into the queue first.")
    var retryRejected = false

    @Option(name: .long, help: "Records per request (1-500).")
    var batchSize: Int?

    @Flag(name: .long, help: "Also send records still within their print grace (their print outcome as known now).")
    var includeRecent = false

    func run() async throws {
        let settings = try options.loadSettings()
        KioskLogging.bootstrap(level: .warning)
        let database = try settings.openDatabase()
        let setup = try SyncSetup(settings: settings, database: database)
        var store = try setup.recordStore()
        store.ignoresPrintGrace = includeRecent
        let client = try setup.requireClient()
        if retryRejected { print("\(try await store.retryRejected()) rejected record(s) queued again") }
        let before = try await store.summary()
        let started = ContinuousClock.now
        let drained = await client.closing { client in
            let uploader = Uploader(
                store: store, client: client, logger: Logger(label: "kiosk.upload"),
                batchSize: min(max(batchSize ?? settings.api.batchSize, 1), 500))
            var round = await uploader.drainOnce()
            while round == .more { round = await uploader.drainOnce() }
            guard round == .drained else { return false }
            // A heartbeat with the new queue depth, so the province sees the drain at once.
            await HeartbeatService(store: store, client: client, logger: Logger(label: "kiosk.heartbeat")).beatOnce()
            return true
        }
        guard drained else {
            let summary = try await store.summary()
            printError("upload stopped: \(summary.lastError ?? "see the log"); \(summary.pending) record(s) wait")
            throw ExitCode(1)
        }
        let after = try await store.summary()
        let elapsed = ContinuousClock.now - started
        print(
            "uploaded \(before.pending - after.pending) record(s) in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds]))); "
                + "\(after.pending) waiting (\(after.rejected) rejected)")
    }
}
