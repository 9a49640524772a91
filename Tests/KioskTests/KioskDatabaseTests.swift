import Core
import Foundation
import GRDB
import TestSupport
import Testing

@testable import KioskKit

@Suite("Kiosk database")
struct KioskDatabaseTests {
    @Test func migrationsCreateTheRegistrySchema() async throws {
        let directory = try TemporaryDirectory()
        let database = try RegistryFixture.database(in: directory)
        let (applied, tables, cardIndexes, residentIndexes) = try await database.pool.read { db in
            (
                try KioskDatabase.migrator(keys: database.registryKeys).appliedMigrations(db),
                try ["resident", "card", "pin", "pin_failure", "operator_card"].filter { try db.tableExists($0) },
                try db.indexes(on: "card").map(\.columns), try db.indexes(on: "resident").map(\.columns)
            )
        }
        #expect(
            applied == [
                "registry-v1", "registry-v2", "registry-v3", "registry-v4", "records-v1", "board-v1", "pickups-v1",
                "survey-v1", "queue-v1",
            ])
        #expect(tables.count == 5, "\(tables)")
        #expect(cardIndexes.contains(["number_index"]))
        #expect(cardIndexes.contains(["hex_index"]))
        #expect(cardIndexes.contains(["resident_id"]))
        #expect(residentIndexes.contains(["nik_index"]))
    }

    @Test func openingAgainRunsNoMigrationTwiceAndKeepsTheData() async throws {
        let directory = try TemporaryDirectory()
        _ = try await RegistryFixture.imported(in: directory)
        // A second open (a restart) and an explicit second migration change nothing.
        let again = try RegistryFixture.database(in: directory)
        try KioskDatabase.migrator(keys: again.registryKeys).migrate(again.pool)
        let (applied, residents) = try await again.pool.read { db in
            (
                try KioskDatabase.migrator(keys: again.registryKeys).appliedMigrations(db),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resident")
            )
        }
        #expect(
            applied == [
                "registry-v1", "registry-v2", "registry-v3", "registry-v4", "records-v1", "board-v1", "pickups-v1",
                "survey-v1", "queue-v1",
            ])
        #expect(residents == 8)
    }

    @Test func writerAndReadersRunInWALWithFullSyncForeignKeysAndASmallPageCache() async throws {
        let directory = try TemporaryDirectory()
        let database = try RegistryFixture.database(in: directory)
        let pragmas: @Sendable (Database) throws -> [String?] = { db in
            [
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try String.fetchOne(db, sql: "PRAGMA synchronous"),
                try String.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try String.fetchOne(db, sql: "PRAGMA cache_size"),
            ]
        }
        // synchronous: 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA); cache_size: negative is KiB (SQLite's default -2000).
        let writer = try await database.pool.writeWithoutTransaction(pragmas)
        let reader = try await database.pool.read(pragmas)
        #expect(writer == ["wal", "2", "1", "-512"])
        #expect(reader == ["wal", "2", "1", "-512"])
    }

    @Test func theFileIsReadableByItsOwnerOnly() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        #expect(database.path == directory.path + "/state/kiosk.sqlite")
        for suffix in ["", "-wal", "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: database.path + suffix)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "kiosk.sqlite\(suffix)")
        }
        let state = try FileManager.default.attributesOfItem(atPath: directory.path + "/state")
        #expect((state[.posixPermissions] as? Int) == 0o700, "a state directory the kiosk creates is private too")
    }

    @Test func anExistingFileOpenToOthersIsTightened() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/kiosk.sqlite"
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
        _ = try KioskDatabase(path: path, keys: RegistryFixture.keys)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
    }

    @Test func aFileThatIsNotADatabaseFailsWithWhatToCheck() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("kiosk.sqlite", String(repeating: "not a database\n", count: 100))
        #expect {
            _ = try KioskDatabase(path: path, keys: RegistryFixture.keys)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("cannot open the kiosk database \(path):") && text.contains("writable")
        }
    }

    @Test func foreignKeysCascadeFromAResidentToItsCardAndPIN() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let registry = RegistryFixture.registry(database)
        let holder = try #require(try await registry.holder(of: try CardUID(hex: "520A8BB9")))
        try await registry.setPIN(PIN(digits: [2, 5, 0, 7, 1, 3]), for: holder, at: .now())
        let remaining = try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM resident WHERE id = ?", arguments: [holder.residentID])
            return [
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM card"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pin"),
            ]
        }
        #expect(remaining == [6, 0])
    }
}
