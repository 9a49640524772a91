import Foundation
import Testing

@testable import Kiosk

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

/// A temporary folder, removed when the test ends.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
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

        [session]
        inactivity_seconds = 60
        warning_seconds = 15

        [display]
        backend = "terminal"
        width_mm = 222
        height_mm = 125

        [letterhead]
        regency = "Pesawaran"
        district = "Gedong Tataan"
        village = "Hanura"
        address = "Jl. Raya Hanura No. 1"

        [letters]
        templates = "\(TestPaths.templates)"

        [registry]
        opensid_export = "\(TestPaths.residents)"

        [operators]
        cards = ["DEADBEEF"]

        [card_reader]
        backend = "script"

        [[letter]]
        code = "S-41"
        title = "Surat Keterangan Domisili"
        classification = "470"
        template = "s-41.mustache"
        purposes = ["Melamar pekerjaan", "Lainnya"]

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
