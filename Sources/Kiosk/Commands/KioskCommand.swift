import ArgumentParser
import KioskKit

/// `kiosk`: the village service kiosk daemon and its technician tools.
@main
struct KioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "The village service kiosk: e-KTP in, letter out, every service recorded.",
        version: BuildInfo.line,
        subcommands: [
            RunCommand.self, DoctorCommand.self, TestCardCommand.self, ImportCommand.self, PINCommand.self,
            EnrollCommand.self, AllowNetworkCommand.self, UploadCommand.self, SyncRegistryCommand.self, SyncBoardCommand.self,
            SyncPickupsCommand.self, StatusCommand.self,
            VerifyCommand.self, TestPrintCommand.self, TestInputCommand.self,
            TestSpeechCommand.self, ScreensCommand.self, VersionCommand.self,
        ],
        defaultSubcommand: nil
    )

    /// kiosk.service's command line, `kiosk run --config PATH`, is read here without ArgumentParser: the daemon's
    /// start is timed to READY=1, and ArgumentParser reads a command's options by reflection (its `Mirror`s, the
    /// generic metadata and protocol conformances they look up, and the same for its built-in completion command),
    /// about 4 ms of CPU at every start, a tenth of it (perf of the release binary). Any other command line, `kiosk
    /// run` with other options or a `--config` value that looks like an option included, goes through ArgumentParser
    /// as before, so help, errors and usage are its own.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.count == 3, arguments[0] == RunCommand.configuration.commandName, arguments[1] == "--config",
            !arguments[2].hasPrefix("-")
        {
            do {
                try await RunCommand.serve(config: arguments[2])
            } catch {
                exit(withError: error)
            }
            return
        }
        await main(nil)
    }
}

/// The `--config` option every subcommand shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = ConfigurationLoader.defaultPath
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the kiosk's version, the commit it was built from and the build date.")

    func run() {
        print("kiosk \(BuildInfo.line)")
    }
}
