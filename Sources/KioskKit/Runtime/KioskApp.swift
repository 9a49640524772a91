package import Core
import Drivers
import Foundation
package import Logging
package import ServiceLifecycle

/// The kiosk wired from its settings. `kiosk run`, the tests and the benchmarks all start the kiosk through
/// `services(_:_:)`, so the wiring exists once: the database and registry, the record store, the card, wedge and
/// input devices, the display, the speaker, the letter printer, systemd, the disk watch and the provincial API's
/// services, in the order they start.
package enum KioskApp {
    /// What a caller puts in place of what the settings name, and what only a caller knows.
    package struct Options: Sendable {
        /// A resident session to play; the kiosk stops when it ends (`kiosk run --script`).
        package var script: ScriptedSession?
        /// How long a script's `await` step waits for its screen.
        package var awaitLimit: Duration = .seconds(15)
        /// Instead of the configured display (tests capture the screens).
        package var display: (any Display)?
        /// Instead of the configured letter printer.
        package var printer: (any LetterPrinter)?
        /// Instead of the configured speaker.
        package var speaker: (any PromptSpeaker)?
        /// Instead of the configured printers' test print and status check.
        package var maintenance: (any PrinterMaintenance)?
        /// The busy marker for updaters; by default the one systemd's environment asks for, if any.
        package var busy: BusyMarker?
        /// The process environment: `NOTIFY_SOCKET`, `WATCHDOG_USEC`, `RUNTIME_DIRECTORY`.
        package var environment: [String: String] = ProcessInfo.processInfo.environment
        /// The main logger (`kiosk`); the services log under their own labels.
        package var logger = Logger(label: "kiosk")

        /// The settings' own devices, outside systemd unless the environment says otherwise.
        package init() {}
    }

    /// Every service of a kiosk serving residents as `settings` describe it, ready to run.
    package static func services(_ settings: KioskSettings, _ options: Options = .init()) async throws -> KioskServices
    {
        let logger = options.logger
        // The panel, the database with its registry, and the API client need nothing of one another: the display is
        // set up (fonts, framebuffer, the idle screen drawn once off screen) while the database opens and the
        // registry is checked, and the client's TLS set-up runs beside the registry, so on a kiosk's two cores
        // start → READY=1 takes the longest of them, not their sum. Each is awaited where it was made before, so a
        // start that fails reports the same error.
        async let presenting = DisplaySetup.preparedPresenter(
            settings.display, display: options.display, logger: Logger(label: "kiosk.display"))
        let database = try KioskDatabase.open(stateDirectory: settings.stateDirectory)
        let sync = try SyncSetup(settings: settings, database: database)
        async let connecting = sync.client()
        let registry = try await Self.registry(settings, database: database, logger: logger)
        let store = try sync.recordStore()
        let events = KioskEvents()
        // Opened by the runtime with READY=1; what waits for it is named where it is added.
        let ready = ReadyGate()
        // Every service is named: ServiceLifecycle names an unnamed one "\(service)", a reflection walk through all it
        // holds, recursively, that took a sixth of the kiosk's start-up CPU (perf of the release binary) and would put
        // what a service holds into the group's log metadata.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []

        let card: any CardPlacer
        switch settings.cardReader.backend {
        case .pcsc:
            card = VirtualCardProcess()
            // Identity mode `chip` reads the e-KTP's biodata at the tap, through the SAM.
            let chip =
                settings.policy.identityMode == .chip && settings.sam == .simulated
                ? EKTPChipReader(sam: SimulatedSAM()) : nil
            services.append(
                .init(
                    service: CardReaderService(
                        monitor: CardMonitor(), reader: PCSCCardReader(answerLimit: settings.policy.cardReadTimeout),
                        chip: chip, events: events, logger: logger,
                        readerFilter: settings.cardReader.readerFilter),
                    serviceName: "card reader"))
        case .script:
            card = ScriptedCardReader(events: events)
        }
        if let wedge = WedgeReaderService.configured(settings, events: events, logger: logger) {
            services.append(.init(service: wedge, serviceName: "wedge reader"))
        }

        // The one holder of the screen on display: the runtime shows through it, touch hit-tests on it, scripts and
        // the animation wait on it.
        let presenter = try await presenting
        services += try InputService.configured(
            settings, events: events, screen: presenter, logger: logger,
            switched: { change in
                switch change {
                case .released: await presenter.suspend()
                case .acquired: await presenter.resume()
                }
            })
        let notifier = SystemdNotifier(environment: options.environment)
        let systemd =
            notifier.isEnabled
            ? SystemdReporter(
                notifier: notifier, logger: Logger(label: "kiosk.systemd"),
                pendingRecords: { try await store.summary().pending }) : nil
        if presenter.drawsPixels {
            services.append(.init(service: ScreenAnimation(presenter: presenter), serviceName: "screen animation"))
            // The village board beside the idle text: whatever BoardStore holds when the idle screen comes up.
            let boards = BoardStore(database: database)
            await presenter.showBoard {
                (try? boards.load()).flatMap { $0 }.map { BoardPanel(stored: $0, today: Timestamp.now().date()) }
            }
        }
        let speechLogger = Logger(label: "kiosk.speech")
        let speaker = options.speaker == nil ? try SpeechSetup.speaker(settings.speech, logger: speechLogger) : nil
        let letterSetup = LetterSetup(settings: settings, sync: sync, logger: logger)
        // Letters prepared elsewhere print on the letter printer, their bytes unchanged.
        let pickups = PickupStore(
            database: database, records: store, catalogue: settings.catalogue,
            output: letterSetup.output(),
            retentionDays: settings.records.retentionDays)
        var policy = settings.policy
        policy.collectsLetters = true
        var runtime = KioskRuntime(
            policy: policy, catalogue: settings.catalogue,
            ports: .init(
                display: presenter, registry: registry,
                issuer: store,
                printer: try options.printer ?? letterSetup.printer(),
                speaker: options.speaker ?? speaker, pickups: pickups, issuedLetters: store,
                maintenance: try options.maintenance ?? KioskPrinterMaintenance(setup: letterSetup, logger: logger),
                serviceSwitch: ServiceSwitch(state: DeviceState(database: database)),
                survey: SurveyStore(database: database),
                queue: try queueDesk(settings: settings, setup: letterSetup, records: store)),
            events: events, logger: logger)
        runtime.systemd = systemd
        runtime.busy = options.busy ?? BusyMarker.underSystemd(options.environment)
        runtime.ready = ready
        services.append(.init(service: runtime, serviceName: "runtime"))
        if let speaker {
            // After READY=1: a missing espeak-ng or voice refuses nothing, it is only logged (SpeechSetup.Check).
            services.append(
                .init(
                    service: AfterReady(
                        gate: ready,
                        service: SpeechSetup.Check(speaker: speaker, settings: settings.speech, logger: speechLogger)),
                    successTerminationBehavior: .ignore, serviceName: "speech check"))
        }

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
                        }),
                    serviceName: "watchdog"))
        }
        services.append(
            .init(service: DiskWatch(diskGuard: store.diskGuard, events: events), serviceName: "disk watch"))
        // The client is made here, so a trust anchor that cannot be read stops the kiosk before READY=1; its
        // services wait for READY=1 (their first requests are TLS handshakes: CPU the first screen would share).
        let client = try await connecting
        func afterReady(_ service: some Service) -> some Service { AfterReady(gate: ready, service: service) }
        if let client {
            services.append(
                .init(
                    service: afterReady(
                        Uploader(
                            store: store, client: client, logger: Logger(label: "kiosk.upload"),
                            batchSize: settings.api.batchSize, backoff: Backoff(cap: settings.api.retryCap),
                            retentionDays: settings.records.retentionDays,
                            outboxChanged: { await systemd?.outboxChanged() })),
                    serviceName: "upload"))
            services.append(
                .init(
                    service: afterReady(
                        HeartbeatService(
                            store: store, client: client, logger: Logger(label: "kiosk.heartbeat"),
                            interval: settings.api.heartbeatInterval, retentionDays: settings.records.retentionDays)),
                    serviceName: "heartbeat"))
            services.append(
                .init(
                    service: afterReady(
                        RegistrySync(
                            client: client, database: database, pepper: registry.pepper,
                            logger: Logger(label: "kiosk.registry"), interval: settings.api.registryInterval)),
                    serviceName: "registry sync"))
            services.append(
                .init(
                    service: afterReady(
                        PickupSync(
                            client: client, store: pickups, logger: Logger(label: "kiosk.pickups"),
                            interval: settings.api.pickupInterval)),
                    serviceName: "pickup sync"))
            // The board changes rarely: the registry's interval suits it, and a 304 costs one small request.
            services.append(
                .init(
                    service: afterReady(
                        BoardSync(
                            client: client, store: BoardStore(database: database), logger: Logger(label: "kiosk.board"),
                            interval: settings.api.registryInterval)),
                    serviceName: "board sync"))
        } else {
            logger.warning("not enrolled with the provincial API: records are kept until kiosk enroll is run")
        }
        if let script = options.script {
            let player = ScriptPlayer(
                session: script, card: card, events: events, screens: presenter,
                layout: try ScreenLayout(size: settings.display.size), awaitLimit: options.awaitLimit,
                logger: logger)
            services.append(
                .init(service: player, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "script"))
        } else if settings.cardReader.backend == .script, settings.cardReader.wedgeDevice == nil {
            logger.warning("card_reader.backend is \"script\" and no --script was given: nothing can reach this kiosk")
        }
        return KioskServices(
            services: services, events: events, screens: presenter, registry: registry, store: store, runtime: runtime,
            speaker: speaker, client: client, logger: logger)
    }

    /// The registry in the kiosk database, with `[registry] opensid_export` imported first when it is set and
    /// changed since it was last imported (the same import as `kiosk import residents`) and the configured operator
    /// cards in place. A broken export is
    /// logged and the kiosk serves from what the database already holds.
    package static func registry(_ settings: KioskSettings, database: KioskDatabase, logger: Logger) async throws
        -> SQLiteRegistry
    {
        let registry = try SQLiteRegistry(database: database, settings: settings)
        // PIN hashes stored before the pepper (registry-v3) are peppered now: the database alone must not do.
        let peppered = try await registry.pepperStoredPINs()
        if peppered > 0 { logger.notice("PIN hashes peppered", metadata: ["count": "\(peppered)"]) }
        if let path = settings.registry.openSIDExport {
            func notImported(_ error: any Error) {
                logger.error(
                    "OpenSID export not imported; serving the residents already in the registry",
                    metadata: ["problem": "\(OpenSIDExport.describe(error, file: path))"])
            }
            let state = DeviceState(database: database)
            var file: OpenSIDExport.File?
            var export: OpenSIDExport.Result?
            do { file = try OpenSIDExport.File(path: path) } catch { notImported(error) }
            // The very bytes of the last import that took every row: nothing to do (an import costs several ms of
            // start → READY=1 in a village of thousands). A changed export is imported, and so is one with rejected
            // rows, at every start, so that their warning stays in the journal until they are corrected.
            if let unchanged = try file?.wasImported(in: state), unchanged {
                logger.info("OpenSID export unchanged since its last import")
                file = nil
            }
            if let read = file {
                do { export = try read.parse() } catch { notImported(error) }
            }
            if let export, let file {
                let report = try await ResidentImport.run(export, into: database)
                if report.rejected.isEmpty { try file.markImported(in: state) }
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

    /// The desk that hands queue tickets, where `[queue]` is on (the configuration made sure of a thermal printer).
    private static func queueDesk(settings: KioskSettings, setup: LetterSetup, records: SQLiteRecordStore) throws
        -> QueueDesk?
    {
        guard !settings.policy.queueServices.isEmpty,
            let slips = setup.slips(renderer: try setup.composer().renderer)
        else { return nil }
        return QueueDesk(
            store: QueueStore(records: records), slips: slips, village: settings.villageName,
            logger: Logger(label: "kiosk.queue"))
    }
}

/// A kiosk's services as `KioskApp.services(_:_:)` wired them, and the parts callers look at while it runs.
package struct KioskServices: Sendable {
    /// Every service, in start order.
    package let services: [ServiceGroupConfiguration.ServiceConfiguration]
    /// The runtime's inbox: what devices, timers and tests send the state machine.
    package let events: KioskEvents
    /// The screen on display, and a way to wait for one.
    package let screens: ScreenPresenter
    /// The resident registry (the database's, before chip mode's reading).
    package let registry: SQLiteRegistry
    /// Where services are recorded.
    package let store: SQLiteRecordStore
    /// The main loop alone, for tests that drive it without the other services.
    package let runtime: KioskRuntime
    let speaker: Speaker?
    let client: ProvincialClient?
    let logger: Logger

    /// Runs every service until SIGTERM or SIGINT (`stoppingOnSignals`, as `kiosk run` does) or the end of the
    /// script; then lets a recording speaker write what it was given and closes the API client.
    package func run(stoppingOnSignals: Bool = true) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: stoppingOnSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        try await group.run()
        // The runtime silenced the speaker as it stopped; a recording (files output) still writes what it was given.
        await speaker?.drain()
        await client?.shutdown()
    }
}
