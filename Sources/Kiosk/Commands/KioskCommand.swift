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
            EnrollCommand.self, AllowNetworkCommand.self, UploadCommand.self, SyncRegistryCommand.self, SyncBoardCommand.self, StatusCommand.self,
            VerifyCommand.self, TestPrintCommand.self, TestInputCommand.self,
            TestSpeechCommand.self, ScreensCommand.self, VersionCommand.self,
        ],
        defaultSubcommand: nil
    )
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
