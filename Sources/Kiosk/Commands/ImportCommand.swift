import ArgumentParser
import Core
import Foundation
import KioskKit

/// `kiosk import`: bring data from the village's systems into the kiosk.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring data from the village's systems into the kiosk.",
        subcommands: [ImportResidentsCommand.self, ImportBoardCommand.self])
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

/// `kiosk import board FILE.csv`: the village board from OpenSID's finance data, for a village the province does not
/// serve yet.
struct ImportBoardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "Import the village board's APBDes figures from an OpenSID keuangan_manual_rinci export (CSV).",
        discussion: """
            Reads Tahun, Kd_Akun, Kd_Keg, Kd_Rincian, Nilai_Anggaran and Nilai_Realisasi and sums the budget year \
            as OpenSID's finance widget does (Pendapatan, Belanja, Pembiayaan; spending per bidang). No other \
            column is read: payee names, bank accounts and NPWP never reach the kiosk. A file with a bad row \
            (a negative amount, an amount that is not a number) imports nothing and lists the rows to fix.

            Exit status: 0 imported; 1 the file was refused (each problem listed); 2 the file could not be read; \
            73 the kiosk database could not be opened; 78 the configuration is broken.
            """)

    @Argument(help: "The keuangan_manual_rinci export (CSV, with its header row).")
    var file: String

    @Option(name: .long, help: "The budget year to show (default: the latest in the file).")
    var year: Int?

    @Option(name: .long, help: "The day the figures are as of, yyyy-mm-dd (default: today).")
    var asOf: String?

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        let today = Timestamp.now().date()
        guard let asOfDate = asOf.map({ CalendarDate(iso: $0) }) ?? today else {
            printError("--as-of \(asOf ?? ""): expected a date such as 2026-11-30")
            throw ExitCode.validationFailure
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            printError("cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let letterhead = settings.letterhead
        let result: OpenSIDFinanceImport.Result
        do {
            result = try OpenSIDFinanceImport.parse(
                text, villageCode: settings.village.digits, year: year, asOf: asOfDate,
                complaints: "Kantor Desa \(letterhead.village), \(letterhead.address)")
        } catch {
            printError("\(file): \(error)")
            throw ExitCode(1)
        }
        let database = try settings.openDatabase()
        do {
            try BoardStore(database: database).save(result.board, etag: nil, source: .import, on: today)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        print(
            "board imported: APBDes \(result.board.year), \(result.rows) row(s), data per "
                + "\(IndonesianDate.long(asOfDate))")
        if !result.ignoredPayeeColumns.isEmpty {
            print(
                "not read: \(result.ignoredPayeeColumns.joined(separator: ", ")) (payee data never reaches the kiosk; "
                    + "this looks like a payment voucher export, not keuangan_manual_rinci)")
        }
    }
}
