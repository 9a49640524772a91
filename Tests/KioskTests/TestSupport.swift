import Core
import Crypto
import Drivers
import Foundation
import Logging
import TestSupport
import Testing

@testable import Kiosk
@testable import KioskKit

/// Paths of the repository and the test fixtures.
enum TestPaths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let templates = repository + "/templates"
    static let fixtures = Bundle.module.bundleURL.appendingPathComponent("Fixtures").path
    static let residents = fixtures + "/opensid-residents.csv"
    /// The folder holding the built executables (`kiosk`, `kiosk-sim`).
    static let binaries = Bundle.module.bundleURL.deletingLastPathComponent().path
}

/// A complete, valid configuration; tests break one thing at a time with `replacing`.
enum SampleConfig {
    static let valid = """
        [kiosk]
        id = "TEST-HANURA-01"
        village_code = "18.09.07.2001"
        village_name = "Hanura"
        state_directory = "state"

        [identity]
        mode = "card"
        pin_length = 6
        supervised = true

        [session]
        inactivity_seconds = 60
        warning_seconds = 15

        [display]
        backend = "terminal"
        width_mm = 222
        height_mm = 125

        \(KioskTOML.letterhead(templates: TestPaths.templates))

        [registry]
        opensid_export = "\(TestPaths.residents)"

        [operators]
        cards = ["DEADBEEF"]

        [card_reader]
        backend = "script"

        \(KioskTOML.domicileLetter)

        [[letter]]
        code = "S-01"
        title = "Surat Keterangan Pengantar"
        classification = "470"
        template = "s-01.mustache"
        purposes = ["Lainnya"]
        """

    static func parse(_ text: String) throws(ConfigurationError) -> KioskSettings {
        try ConfigurationLoader.parse(text, file: "kiosk.toml", baseDirectory: "/tmp")
    }

    /// The problems a text has; fails the test if it parses.
    static func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ConfigurationError
        .Problem]
    {
        do {
            _ = try parse(text)
            Issue.record("expected configuration problems, but it parsed", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.problems
        }
    }
}

/// The kiosk database and registry in a temporary folder, with the fixture export imported.
enum RegistryFixture {
    /// The cheapest scrypt the hasher accepts, for tests that check behaviour, not cost.
    static let fastScrypt = ScryptParameters(n: 1 << 4, r: 8, p: 1)

    /// Every card of the fixture: the UID in reader order as the card reports it, and its resident's name.
    static let cards: [(hex: String, name: String)] = [
        ("520A8BB9", "SITI AMINAH"),  // decimal tag 1376422841
        ("B39503A9", "SUPARMAN"),  // decimal tag 3012887465
        ("04A21B6C9E4F80", "I KETUT WIRAWAN"),  // 16-digit tag of a 7-byte UID
        ("AB29F85A", "RAHMAT HIDAYAT"),
        ("0489AB12CD34EF", "MARIA ULFA"),  // registered in hex
        ("42464819", "DEWI KARTIKA SARI PUTRI WULANDARI"),
        ("EE681B25", "YOHANES SETIAWAN"),
    ]

    static func database(in directory: borrowing TemporaryDirectory) throws -> KioskDatabase {
        try KioskDatabase.open(stateDirectory: directory.path + "/state")
    }

    static func registry(
        _ database: KioskDatabase, matchReversed: Bool = true, pinAttempts: Int = 3,
        lockout: Duration = .seconds(300), hardLimit: Int = 10, scrypt: ScryptParameters = fastScrypt,
        pepper: PINPepper = pepper
    ) -> SQLiteRegistry {
        SQLiteRegistry(
            database: database, matchReversed: matchReversed, pinAttempts: pinAttempts, lockout: lockout,
            hardLimit: hardLimit, pepper: pepper, scrypt: scrypt)
    }

    /// Registry keys for databases tests open by path.
    static let keys = RegistryKeys(recordKey: Data(repeating: 9, count: 32))

    /// The pepper of the registries tests make in code.
    static let pepper = PINPepper(bytes: Data(repeating: 7, count: 32))

    /// A record store in `database`, with a fresh key, numbering for the configured village.
    static func recordStore(_ database: KioskDatabase, settings: KioskSettings) throws -> SQLiteRecordStore {
        SQLiteRecordStore(
            database: database, sealer: RecordSealer(key: .init(size: .bits256)), kioskID: settings.kioskID,
            village: settings.village, diskGuard: DiskGuard(directory: "/", minimumFreeMB: 1))
    }

    /// A database with the fixture export imported.
    static func imported(in directory: borrowing TemporaryDirectory) async throws -> KioskDatabase {
        let database = try database(in: directory)
        let report = try await ResidentImport.run(try OpenSIDExport.read(path: TestPaths.residents), into: database)
        #expect(report.new == 8)
        return database
    }

    /// The fixture's residents' names and NIKs: what no output may show.
    static func personalData() throws -> (names: [String], niks: [String]) {
        let residents = try OpenSIDExport.read(path: TestPaths.residents).residents
        return (residents.map(\.name), residents.map(\.nik.digits))
    }
}

/// A configuration whose state lives in `directory`, for the `kiosk` binary.
extension SampleConfig {
    static func withState(in directory: String, _ edit: (String) -> String = { $0 }) -> String {
        edit(valid.replacingOccurrences(of: "state_directory = \"state\"", with: "state_directory = \"\(directory)\""))
    }
}

/// The built `kiosk` binary as a subprocess.
enum KioskBinary {
    static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) async throws
        -> TestProcess.Outcome
    {
        try await TestProcess.run(TestPaths.binaries + "/kiosk", arguments, input: input, environment: environment)
    }
}

/// Letters as the kiosk prints them, into PDF files, and read back with poppler's `pdftotext`.
enum TestLetters {
    /// One device key for the test run (as raw bytes: swift-crypto's key types are not `Sendable`).
    static let key = DeviceKey.generate()

    static func composer(settings: KioskSettings, nikStyle: LetterFields.NIKStyle? = nil) throws -> LetterComposer {
        var letters = settings.letters
        if let nikStyle { letters.nikStyle = nikStyle }
        return LetterComposer(
            letterhead: settings.letterhead, letters: letters, renderer: try Renderer(),
            signer: LetterSigner(kioskID: settings.kioskID, key: key))
    }

    /// The kiosk's letter printer, printing into `directory`.
    static func printer(settings: KioskSettings, directory: String, nikStyle: LetterFields.NIKStyle? = nil) throws
        -> PDFLetterPrinter
    {
        PDFLetterPrinter(
            composer: try composer(settings: settings, nikStyle: nikStyle),
            output: PDFFolderOutput(directory: directory), logger: Logger(label: "test"))
    }

    /// The text of a PDF (`pdftotext -layout`), or of every PDF in a folder.
    static func text(ofPDF path: String) throws -> String {
        try DebianTool.run("pdftotext", ["-layout", path, "-"], package: "poppler-utils")
    }

    static func text(ofPDFsIn directory: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pdf") }.sorted()
            .map { try text(ofPDF: (directory as NSString).appendingPathComponent($0)) }.joined()
    }
}
