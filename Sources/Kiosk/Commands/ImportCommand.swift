import ArgumentParser
import Foundation
import KioskKit

/// `kiosk import`: bring data from the village's systems into the kiosk.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring data from the village's systems into the kiosk.",
        subcommands: [ImportResidentsCommand.self])
}

/// `kiosk import residents FILE.csv`: the OpenSID export into the kiosk's registry.
struct ImportResidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "residents",
        abstract: "Import residents and their card tags from an OpenSID export (CSV).",
        discussion: """
            Residents are matched by NIK: new ones are added, changed ones updated, all in one transaction. \
            A resident who is not in the file is NOT deleted: the registry keeps them (and their PIN). \
            An empty tag_id_card unregisters that resident's card. PINs and failed attempts are kept.

            Export from OpenSID: Kependudukan > Penduduk > Impor/Ekspor.

            Exit status: 0 every row was imported; 1 some rows were rejected (each is listed as "line N: reason"); \
            2 the file could not be read; 73 the kiosk database could not be opened; 78 the configuration is broken.
            """)

    @Argument(help: "The OpenSID resident export (CSV).")
    var file: String

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Report what the import would do, and write nothing.")
    var dryRun = false

    func run() async throws {
        let settings = try options.loadSettings()
        let export: OpenSIDExport.Result
        do {
            export = try OpenSIDExport.read(path: file)
        } catch {
            printError("cannot read \(file): \(OpenSIDExport.describe(error, file: file))")
            throw ExitCode(2)
        }
        let database = try settings.openDatabase()
        let report = try await ResidentImport.run(export, into: database, dryRun: dryRun)
        print(report.text)
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
