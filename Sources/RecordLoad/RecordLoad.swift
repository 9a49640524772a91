import ArgumentParser
import Core
import Drivers
import Foundation
import KioskKit
import Logging

/// `record-load`: captures synthetic services through the kiosk's own record store (KioskKit) as fast as it can,
/// optionally uploading at the same time. It drives the crash test (killed with SIGKILL at random points, it must
/// never lose a record it reported captured) and the capture benchmark (`--stats`, `make bench-records`). It is
/// not part of the kiosk's package (`make release` builds `kiosk` alone) and writes to the configured database like
/// the daemon does: never point it at a kiosk in service.
@main
struct RecordLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-load",
        abstract: "Capture synthetic service records (crash test and benchmark driver; not for a kiosk in service).")

    @Option(name: .long, help: "The kiosk configuration whose database and API to use.")
    var config: String

    @Option(name: .long, help: "How many records to capture.")
    var count: Int = 100

    @Flag(name: .long, help: "Run the uploader while capturing, and until the outbox is empty.")
    var upload = false

    @Flag(name: .long, help: "Print the median and p99 capture times as JSON at the end.")
    var stats = false

    func run() async throws {
        let settings = try ConfigurationLoader.load(path: config)
        LoggingSystem.bootstrap { label in
            JournalLogHandler(label: label, level: .warning, underJournald: false) { line in
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        let setup = try SyncSetup(
            settings: settings, database: try KioskDatabase.open(stateDirectory: settings.stateDirectory))
        var store = try setup.recordStore()
        store.printGrace = .zero
        guard let kind = settings.catalogue.kinds.first else { throw ExitCode(1) }
        let resident = Resident(
            nik: try NIK("1809071205900013"), name: "WARGA UJI", birthPlace: "HANURA",
            birthDate: CalendarDate(year: 1990, month: 5, day: 12)!, sex: .male, address: "JL. UJI 1", rt: "001",
            rw: "002", religion: "ISLAM", maritalStatus: "KAWIN", occupation: "PETANI")
        let request = LetterRequest(kind: kind, purpose: "Uji beban", resident: resident, card: nil)

        let client = upload ? try setup.client() : nil
        let uploading = client.map { client in
            let uploader = Uploader(
                store: store, client: client, logger: Logger(label: "kiosk.upload"),
                batchSize: settings.api.batchSize, backoff: Backoff(base: .milliseconds(50), cap: .milliseconds(500)),
                idleInterval: .milliseconds(200))
            return Task { try await uploader.run() }
        }
        var times: [Duration] = []
        times.reserveCapacity(count)
        let clock = ContinuousClock()
        for _ in 0..<count {
            let started = clock.now
            let issued = try await store.capture(request)
            times.append(clock.now - started)
            // The line is the promise: once printed, the record must reach the province.
            FileHandle.standardOutput.write(Data("captured \(issued.recordID)\n".utf8))
            await store.recordPrintOutcome(.printed, for: issued.recordID)
        }
        if let uploading, let client {
            while try await store.summary().pending > 0 { try await Task.sleep(for: .milliseconds(50)) }
            uploading.cancel()
            _ = await uploading.result
            await client.shutdown()
        }
        if stats {
            let sorted = times.sorted()
            print(
                "{\"count\": \(count), \"median_us\": \(sorted[sorted.count / 2].microseconds), "
                    + "\"p99_us\": \(sorted[min(sorted.count - 1, sorted.count * 99 / 100)].microseconds)}")
        }
    }
}
