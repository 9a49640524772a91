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
        let settings: KioskSettings
        do {
            settings = try ConfigurationLoader.load(path: options.config)
        } catch {
            FileHandle.standardError.write(
                Data("\(error)\nRun `kiosk doctor --config \(options.config)` for more.\n".utf8))
            throw ExitCode(78)  // EX_CONFIG: systemd shows "status=78/CONFIG"
        }
        KioskLogging.bootstrap(level: logLevel)
        let logger = Logger(label: "kiosk")

        let session = try script.map { path in
            let text =
                path == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: path, encoding: .utf8)
            return try ScriptedSession(text: text)
        }

        var registry: any ResidentRegistry = try Self.registry(for: settings, logger: logger)
        let events = KioskEvents()
        let screens = ScreenWatch()
        let cardReader: any CardReader
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
        let runtime = KioskRuntime(
            policy: settings.policy, catalogue: settings.catalogue,
            ports: .init(
                display: TerminalDisplay { text in FileHandle.standardOutput.write(Data(text.utf8)) },
                cardReader: cardReader, registry: registry,
                issuer: InMemoryRecordStore(kioskID: settings.kioskID, village: settings.village),
                printer: TextFilePrinter(directory: settings.printing.letterOutput)),
            events: events, logger: logger, screens: screens)

        services.append(.init(service: runtime))
        if let session {
            let player = ScriptPlayer(
                session: session, card: card, events: events, screens: screens,
                layout: try ScreenLayout(size: settings.display.size), awaitLimit: .seconds(awaitSeconds),
                logger: logger)
            services.append(.init(service: player, successTerminationBehavior: .gracefullyShutdownGroup))
        } else if settings.cardReader.backend == .script {
            logger.warning("card_reader.backend is \"script\" and no --script was given: nothing can reach this kiosk")
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The registry the configuration names.
    static func registry(for settings: KioskSettings, logger: Logger) throws -> any ResidentRegistry {
        var residents: [Resident] = []
        if let export = settings.registry.openSIDExport {
            let result = try OpenSIDExport.read(path: export)
            residents = result.residents
            logger.info(
                "registry loaded",
                metadata: ["residents": "\(residents.count)", "rejected": "\(result.rejected.count)"])
            for rejection in result.rejected {
                logger.warning("resident row rejected", metadata: ["row": "\(rejection)"])
            }
        }
        return InMemoryRegistry(
            residents: residents, operatorCards: Set(settings.operatorCards),
            matchReversed: settings.registry.matchReversedUIDs)
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
