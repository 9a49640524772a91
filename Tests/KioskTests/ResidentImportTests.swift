import Core
import Foundation
import GRDB
import TestSupport
import Testing

@testable import KioskKit

@Suite("Importing an OpenSID export into the registry")
struct ResidentImportTests {
    static let fixtureLines: [String] = {
        let text = (try? String(contentsOfFile: TestPaths.residents, encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isNewline).map(String.init)  // the fixture has CRLF line ends
    }()

    /// The fixture with some lines edited: `edits[n]` replaces data line n (1-based, the header is line 1).
    static func export(
        _ edits: [Int: (String) -> String] = [:], only lines: [Int]? = nil, adding extra: [String] = []
    ) throws -> OpenSIDExport.Result {
        var rows: [String] = []
        for (index, line) in fixtureLines.enumerated().dropFirst() where lines?.contains(index + 1) ?? true {
            rows.append(edits[index + 1].map { $0(line) } ?? line)
        }
        return try OpenSIDExport.parse(([fixtureLines[0]] + rows + extra).joined(separator: "\n"))
    }

    static func count(_ database: KioskDatabase, _ table: String) async throws -> Int {
        try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    static func name(_ registry: SQLiteRegistry, _ hex: String) async throws -> String? {
        if case .resident(let resident) = try await registry.lookUp(try CardUID(hex: hex)) {
            resident.name
        } else {
            nil
        }
    }

    @Test func theFixtureImportsEightResidentsAndSevenCardsAsRegistered() async throws {
        let directory = try TemporaryDirectory()
        let database = try RegistryFixture.database(in: directory)
        let report = try await ResidentImport.run(try OpenSIDExport.read(path: TestPaths.residents), into: database)
        #expect(report == ResidentImport.Report(read: 8, new: 8, updated: 0, unchanged: 0, rejected: []))
        #expect(report.exitStatus == 0)
        #expect(try await Self.count(database, "resident") == 8)
        // Each card is stored under the keyed index of its number (and of its UID for hex tags), its tag sealed.
        let keys = database.registryKeys
        let cards = try await database.pool.read { db in
            try CardRow.order(Column("id")).fetchAll(db).map {
                [try $0.tagText(keys: keys), $0.numberIndex.lowercaseHex, $0.hexIndex?.lowercaseHex ?? "-"]
            }
        }
        #expect(cards.count == 7)
        func indexed(_ tag: String, _ number: String, _ hex: String?) -> [String] {
            [tag, keys.index(cardNumber: number).lowercaseHex, hex.map { keys.index(cardHex: $0).lowercaseHex } ?? "-"]
        }
        #expect(cards.contains(indexed("1304138576973696", "1304138576973696", nil)), "a 7-byte card's 16-digit tag")
        #expect(cards.contains(indexed("0489AB12CD34EF", "1277267754693871", "0489AB12CD34EF")), "a hex tag")
        #expect(cards.contains(indexed("1376422841", "1376422841", nil)))
    }

    @Test func importingTheSameFileAgainLeavesEveryoneUnchanged() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let again = try await ResidentImport.run(try Self.export(), into: database)
        #expect(again == ResidentImport.Report(read: 8, new: 0, updated: 0, unchanged: 8))
    }

    @Test func changedFieldsAndTagsCountAsUpdatedAndNewResidentsAsNew() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let registry = RegistryFixture.registry(database)
        let newcomer =
            "JL. RAYA HANURA NO. 19,DUSUN I,001,002,AGUS SALIM,1809070101000105,1809071507000019,L,PESAWARAN,"
            + "2000-07-15,ISLAM,SLTA/SEDERAJAT,,PETANI/PEKEBUN,BELUM KAWIN,ANAK,WNI,,,,IBU AGUS,TIDAK TAHU,,,,,,,,,,,,"
            + "KTP-EL,CARD SHIPPED,,HIDUP,,0A0B0C0D,,,,"
        let report = try await ResidentImport.run(
            try Self.export(
                [
                    2: { $0.replacingOccurrences(of: "HANURA NO. 11", with: "HANURA NO. 21") },  // Siti moved house
                    3: { $0.replacingOccurrences(of: ",3012887465,", with: ",03012887465,") },  // same card, new text
                    6: { $0.replacingOccurrences(of: ",2871654490,", with: ",,") },  // Rahmat's card unregistered
                ], adding: [newcomer]),
            into: database)
        #expect(report == ResidentImport.Report(read: 9, new: 1, updated: 3, unchanged: 5))
        guard case .resident(let siti) = try await registry.lookUp(try CardUID(hex: "520A8BB9")) else {
            Issue.record("Siti's card no longer found")
            return
        }
        #expect(siti.address == "JL. RAYA HANURA NO. 21")
        #expect(try await Self.name(registry, "B39503A9") == "SUPARMAN")
        #expect(try await registry.lookUp(try CardUID(hex: "AB29F85A")) == .unknownCard)
        #expect(try await Self.name(registry, "0A0B0C0D") == "AGUS SALIM")
        #expect(try await Self.count(database, "card") == 7)
    }

    @Test func residentsMissingFromTheFileAreKept() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let report = try await ResidentImport.run(try Self.export(only: [2, 3]), into: database)
        #expect(report == ResidentImport.Report(read: 2, new: 0, updated: 0, unchanged: 2))
        #expect(try await Self.count(database, "resident") == 8)
        #expect(try await Self.name(RegistryFixture.registry(database), "EE681B25") == "YOHANES SETIAWAN")
    }

    @Test func aCardChangesHandsWithinTheFileAndFromAResidentNotInIt() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let registry = RegistryFixture.registry(database)
        // Siti now holds Suparman's card and Suparman none; Yohanes holds Dewi's card, and Dewi is not in the file.
        let report = try await ResidentImport.run(
            try Self.export(
                [
                    2: { $0.replacingOccurrences(of: ",1376422841,", with: ",3012887465,") },
                    3: { $0.replacingOccurrences(of: ",3012887465,", with: ",,") },
                    9: { $0.replacingOccurrences(of: ",3999800101,", with: ",1111902233,") },
                ], only: [2, 3, 9]),
            into: database)
        #expect(report == ResidentImport.Report(read: 3, new: 0, updated: 3, unchanged: 0, movedCards: 1))
        #expect(report.text.contains("1 card moved from residents not in this file"))
        #expect(try await Self.name(registry, "B39503A9") == "SITI AMINAH")
        #expect(try await registry.lookUp(try CardUID(hex: "520A8BB9")) == .unknownCard)
        #expect(try await Self.name(registry, "42464819") == "YOHANES SETIAWAN")
        #expect(try await Self.count(database, "resident") == 8)
    }

    @Test func rejectedRowsAreReportedByLineWithoutPersonalData() async throws {
        let directory = try TemporaryDirectory()
        let database = try RegistryFixture.database(in: directory)
        let export = try Self.export([
            3: { $0.replacingOccurrences(of: "1809070211650012", with: "18090702116500") },  // short NIK
            5: { $0.replacingOccurrences(of: ",P,METRO,", with: ",L,METRO,") },  // sex against the NIK
            7: { $0.replacingOccurrences(of: ",0489AB12CD34EF,", with: ",1376422841,") },  // Siti's card again
        ])
        let report = try await ResidentImport.run(export, into: database)
        #expect(report.new == 5)
        try #require(report.rejected.map(\.line) == [3, 5, 7])
        #expect(report.rejected[2].reason == "tag_id_card: the same card is registered on line 2")
        #expect(report.exitStatus == 1)
        let text = report.text
        #expect(text.contains("  rejected:     3"))
        #expect(text.contains("  line 3: nik: a NIK has 16 digits, this one has 14"))
        #expect(text.contains("  line 5: sex: does not match the NIK"))
        let personal = try RegistryFixture.personalData()
        #expect(text.firstMatch(of: try Regex("[0-9]{14,}")) == nil, "\(text)")
        for name in personal.names { #expect(!text.contains(name), "\(name)") }
    }

    @Test func aDryRunReportsAndWritesNothing() async throws {
        let directory = try TemporaryDirectory()
        let database = try RegistryFixture.database(in: directory)
        let report = try await ResidentImport.run(try Self.export(), into: database, dryRun: true)
        #expect(report.new == 8 && report.dryRun)
        #expect(report.text.hasPrefix("Dry run: nothing was written to the registry.\nRead 8 rows"))
        #expect(try await Self.count(database, "resident") == 0)
        #expect(try await Self.count(database, "card") == 0)
    }
}
