public import ArgumentParser
import Drivers
import Foundation
import KioskKit
public import Logging

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
    var awaitSeconds: Int = Self.defaultAwaitSeconds

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = Self.defaultLogLevel

    static let defaultAwaitSeconds = 15
    static let defaultLogLevel = Logger.Level.info

    func run() async throws {
        try await Self.serve(config: options.config, script: script, awaitSeconds: awaitSeconds, logLevel: logLevel)
    }

    /// `kiosk run` with these options: what `run()` does once ArgumentParser has read them, and what
    /// `KioskCommand.main` calls for kiosk.service's own command line, read without it.
    static func serve(
        config: String, script: String? = nil, awaitSeconds: Int = defaultAwaitSeconds,
        logLevel: Logger.Level = defaultLogLevel
    ) async throws {
        // Two arenas: one per core, as many threads as allocate at once here (start-up's two branches, a session's
        // work beside the uploader's), and not the ten a long-running kiosk ended up with (MallocArenas).
        MallocArenas.limit(to: 2)
        // Overlaps the configuration, the database and the registry, which need no font.
        Renderer.loadFontsInBackground()
        NetworkThreads.useOneEventLoop()
        let settings = try ConfigOption.loadSettings(path: config, withCredentials: false)
        KioskLogging.bootstrap(level: logLevel)
        if settings.display.backend == .terminal, KioskLogging.underJournald {
            printError(
                "[display] backend = \"terminal\" prints the screens, residents' names included, on standard output, "
                    + "and here that goes to the journal: use backend = \"framebuffer\" on a kiosk (the default), or "
                    + "run the terminal backend from a shell")
            throw ExitCode(ExitStatus.configuration)
        }
        let kiosk = try await Self.services(settings, try appOptions(script: script, awaitSeconds: awaitSeconds))
        try await kiosk.run()
    }

    private static func appOptions(script: String?, awaitSeconds: Int) throws -> KioskApp.Options {
        var app = KioskApp.Options()
        app.awaitLimit = .seconds(awaitSeconds)
        if let script {
            let text =
                script == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: script, encoding: .utf8)
            app.script = try ScriptedSession(text: text)
        }
        return app
    }

    /// A database that cannot be opened exits 73 (EX_CANTCREAT) with its reason. Kept out of `run()`: with the
    /// typed catch inside it, Swift 6.3.1's optimizer crashed splitting `run()`'s coroutine (release builds only).
    private static func services(_ settings: KioskSettings, _ app: KioskApp.Options) async throws -> KioskServices {
        do {
            return try await KioskApp.services(settings, app)
        } catch let error as KioskDatabaseError {
            printError("\(error)")
            throw ExitCode(ExitStatus.cannotCreate)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
}

enum KioskLogging {
    /// journald-friendly lines on stderr, so the screens on stdout stay readable.
    /// Whether standard output and error go to the journal (systemd sets `JOURNAL_STREAM` then).
    static var underJournald: Bool { ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil }

    static func bootstrap(level: Logger.Level) {
        let underJournald = underJournald
        LoggingSystem.bootstrap { label in
            JournalLogHandler(label: label, level: level, underJournald: underJournald) { line in
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }
}
