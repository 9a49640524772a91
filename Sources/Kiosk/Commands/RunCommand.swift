public import ArgumentParser
import Core
import Drivers
import Foundation
public import Logging
import ServiceLifecycle

/// `kiosk run`: serve residents until stopped.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the kiosk: show the screens, read cards, issue and print letters.")

    @OptionGroup var options: ConfigOption

    @Option(
        name: .long,
        help: "Play a scripted resident session from this file (- for standard input); the kiosk stops when it ends.")
    var script: String?

    @Option(name: .long, help: "With --script: seconds an 'await' step waits for its screen before the script fails.")
    var awaitSeconds: Int = 15

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let settings = try options.loadSettings()
        KioskLogging.bootstrap(level: logLevel)
        let logger = Logger(label: "kiosk")

        let session = try script.map { path in
            let text =
                path == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: path, encoding: .utf8)
            return try ScriptedSession(text: text)
        }

        let database = try settings.openDatabase()
        var registry: any ResidentRegistry = try await Self.makeRegistry(settings, database: database, logger: logger)
        let sync = try SyncSetup(settings: settings, database: database)
        let store = try sync.recordStore()
        let events = KioskEvents()
        let screens = ScreenWatch()
        var cardReader: any CardReader
        let card: any CardPlacer
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        switch settings.cardReader.backend {
        case .pcsc:
            let pcsc = PCSCCardReader()
            (cardReader, card) = (pcsc, VirtualCardProcess())
            if settings.policy.identityMode == .chip, settings.sam == .simulated {
                registry = ChipRegistry(registry: registry, reader: pcsc, chip: EKTPChipReader(sam: SimulatedSAM()))
            }
            services.append(
                .init(
                    service: CardReaderService(
                        monitor: CardMonitor(), reader: pcsc, events: events, logger: logger,
                        readerFilter: settings.cardReader.readerFilter)))
        case .script:
            let scripted = ScriptedCardReader(events: events)
            (cardReader, card) = (scripted, scripted)
        }
        if let wedge = WedgeReaderService.configured(settings, cardReader: &cardReader, events: events, logger: logger)
        {
            services.append(.init(service: wedge))
        }
        let screen = try DisplaySetup(settings: settings.display, logger: Logger(label: "kiosk.display"))
        services += try InputService.configured(
            settings, events: events, screens: screens, screen: screen.framebuffer, logger: logger,
            switched: { [display = screen.framebuffer] change in
                switch change {
                case .released: await display?.suspend()
                case .acquired: await display?.resume()
                }
            })
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        let systemd =
            notifier.isEnabled
            ? SystemdReporter(
                notifier: notifier, logger: Logger(label: "kiosk.systemd"),
                pendingRecords: { try await store.summary().pending }) : nil
        if let framebuffer = screen.framebuffer {
            services.append(.init(service: ScreenAnimation(display: framebuffer, screens: screens)))
        }
        let speaker = try await SpeechSetup.speaker(settings.speech, logger: Logger(label: "kiosk.speech"))
        var runtime = KioskRuntime(
            policy: settings.policy, catalogue: settings.catalogue,
            ports: .init(
                display: screen.display,
                cardReader: cardReader, registry: registry,
                issuer: store,
                printer: try LetterSetup(settings: settings, sync: sync, logger: logger).printer(),
                speaker: speaker),
            events: events, logger: logger, screens: screens)
        runtime.systemd = systemd
        runtime.busy = BusyMarker.underSystemd(ProcessInfo.processInfo.environment)

        services.append(.init(service: runtime))
        if notifier.isEnabled, let interval = notifier.watchdogInterval {
            // Only under WatchdogSec=: without it the kiosk has no periodic wake-up at all.
            let watchdogLogger = Logger(label: "kiosk.watchdog")
            watchdogLogger.info("systemd watchdog on", metadata: ["ping_every": "\(interval)"])
            services.append(
                .init(
                    service: WatchdogService(
                        interval: interval,
                        gate: WatchdogGate(liveness: events, logger: watchdogLogger) { () throws(SystemdNotifyError) in
                            try notifier.notify(.watchdog)
                        })))
        }
        services.append(.init(service: DiskWatch(diskGuard: store.diskGuard, events: events)))
        let client = try sync.client()
        if let client {
            services.append(
                .init(
                    service: Uploader(
                        store: store, client: client, logger: Logger(label: "kiosk.upload"),
                        batchSize: settings.api.batchSize, backoff: Backoff(cap: settings.api.retryCap),
                        retentionDays: settings.records.retentionDays,
                        outboxChanged: { await systemd?.outboxChanged() })))
            services.append(
                .init(
                    service: HeartbeatService(
                        store: store, client: client, logger: Logger(label: "kiosk.heartbeat"),
                        interval: settings.api.heartbeatInterval)))
            services.append(
                .init(
                    service: RegistrySync(
                        client: client, database: database, logger: Logger(label: "kiosk.registry"),
                        interval: settings.api.registryInterval)))
        } else {
            logger.warning("not enrolled with the provincial API: records are kept until kiosk enroll is run")
        }
        if let session {
            let player = ScriptPlayer(
                session: session, card: card, events: events, screens: screens,
                layout: try ScreenLayout(size: settings.display.size), awaitLimit: .seconds(awaitSeconds),
                logger: logger)
            services.append(.init(service: player, successTerminationBehavior: .gracefullyShutdownGroup))
        } else if settings.cardReader.backend == .script, settings.cardReader.wedgeDevice == nil {
            logger.warning("card_reader.backend is \"script\" and no --script was given: nothing can reach this kiosk")
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        // The runtime silenced the speaker as it stopped; a recording (files output) still writes what it was given.
        await speaker?.drain()
        await client?.shutdown()
    }

    /// The registry the configuration names: the kiosk database's (see `makeRegistry`).
    static func registry(for settings: KioskSettings, logger: Logger) async throws -> any ResidentRegistry {
        try await makeRegistry(settings, database: try settings.openDatabase(), logger: logger)
    }

    /// The registry in the kiosk database, with `[registry] opensid_export` imported first when it is set (the
    /// same import as `kiosk import residents`) and the configured operator cards in place. A broken export is
    /// logged and the kiosk serves from what the database already holds.
    static func makeRegistry(_ settings: KioskSettings, database: KioskDatabase, logger: Logger) async throws
        -> SQLiteRegistry
    {
        let registry = SQLiteRegistry(database: database, settings: settings)
        if let path = settings.registry.openSIDExport {
            let export: OpenSIDExport.Result?
            do {
                export = try OpenSIDExport.read(path: path)
            } catch {
                export = nil
                logger.error(
                    "OpenSID export not imported; serving the residents already in the registry",
                    metadata: ["problem": "\(ImportResidentsCommand.describe(error, file: path))"])
            }
            if let export {
                let report = try await ResidentImport.run(export, into: database)
                logger.info(
                    "OpenSID export imported",
                    metadata: [
                        "read": "\(report.read)", "new": "\(report.new)", "updated": "\(report.updated)",
                        "unchanged": "\(report.unchanged)", "rejected": "\(report.rejected.count)",
                    ])
                if !report.rejected.isEmpty {
                    logger.warning(
                        "rows of the OpenSID export rejected; `kiosk import residents FILE --dry-run` lists them",
                        metadata: ["rejected": "\(report.rejected.count)"])
                }
            }
        }
        try await registry.syncOperatorCards(settings.operatorCards)
        let statistics = try await registry.statistics(at: registry.now())
        logger.info(
            "registry ready",
            metadata: [
                "residents": "\(statistics.residents)", "cards": "\(statistics.cards)", "pins": "\(statistics.pins)",
                "locked": "\(statistics.lockedCards)",
            ])
        if statistics.residents == 0 {
            logger.warning(
                "the registry holds no residents: every card is unknown; run kiosk import residents FILE.csv")
        }
        return registry
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
}

enum KioskLogging {
    /// journald-friendly lines on stderr, so the screens on stdout stay readable.
    static func bootstrap(level: Logger.Level) {
        let underJournald = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { label in
            JournalLogHandler(label: label, level: level, underJournald: underJournald) { line in
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }
}
