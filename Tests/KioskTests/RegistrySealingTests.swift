import Core
import Foundation
import GRDB
import ProvincialAPI
import TestSupport
import Testing

@testable import KioskKit

/// The registry as a stolen disk shows it: no NIK, name, address or card tag in the bytes of kiosk.sqlite or its
/// -wal, and lookups that still work through the keyed index.
@Suite("Sealed resident registry")
struct RegistrySealingTests {
    /// What must not be readable in the file: every NIK, name, address and card tag of the fixture.
    static func secrets() throws -> [String] {
        let export = try OpenSIDExport.read(path: TestPaths.residents)
        let residents = export.residents
        // Decimal tags, and the card numbers behind hex tags (what the plaintext registry indexed them by).
        let tags = export.rows.compactMap { RegisteredTag($0.tagText) }.flatMap { [$0.text, $0.number] }
        return residents.map(\.nik.digits) + residents.map(\.name) + residents.map(\.address) + tags
    }

    static func name(_ lookup: KioskEvent.Lookup) -> String? {
        if case .resident(let resident) = lookup { resident.name } else { nil }
    }

    @Test func afterImportAndSyncNoNIKNameAddressOrTagIsInTheFileOrItsWAL() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let registry = RegistryFixture.registry(database)
        let pin = try PINHash.make(
            PIN(digits: [4, 0, 7, 1, 5, 8]), parameters: ScryptParameters(n: 1 << 14, r: 8, p: 1))
        let wirePIN = PINHashWire(
            hash: Data(pin.hash).base64EncodedString(), salt: Data(pin.salt).base64EncodedString(),
            n: pin.parameters.n, r: pin.parameters.r, p: pin.parameters.p)
        _ = try await database.pool.write { db in
            try RegistrySync.apply(
                RegistrySyncTests.page(
                    [
                        .init(
                            nik: "1809074707850002", removed: false, resident: RegistrySyncTests.newcomer, pin: wirePIN)
                    ],
                    cursor: "1"), pepper: RegistryFixture.pepper, keys: database.registryKeys, db)
        }
        let newcomer = RegistrySyncTests.newcomer
        let found = DatabaseBytes.found(
            try Self.secrets() + ["1809074707850002", newcomer.name, newcomer.address, newcomer.cardTag!],
            in: database.path)
        #expect(found.isEmpty, "readable in kiosk.sqlite: \(found)")
        // And the registry still answers, through the keyed index.
        #expect(Self.name(try await registry.lookUp(try CardUID(hex: "520A8BB9"))) == "SITI AMINAH")
        #expect(Self.name(try await registry.lookUp(try CardUID(hex: "04C0FFEE123456"))) == "WARGA BARU")
    }

    // MARK: The migration of a plaintext registry

    /// A database as kiosks before registry-v4 kept it: the fixture in plaintext columns, a PIN for SITI AMINAH and
    /// two wrong PINs counted against her card by its number. Returns the state directory.
    static func plaintextRegistry(in directory: borrowing TemporaryDirectory) throws -> String {
        let state = directory.path + "/state"
        try FileManager.default.createDirectory(
            atPath: state, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let keys = try RegistryKeys.load(stateDirectory: state)
        let pool = try DatabasePool(path: state + "/" + KioskDatabase.fileName)
        try KioskDatabase.migrator(keys: keys).migrate(pool, upTo: "registry-v3")
        let export = try OpenSIDExport.read(path: TestPaths.residents)
        try pool.write { db in
            for (id, row) in export.rows.enumerated() {
                let r = ResidentFields(row.resident)
                try db.execute(
                    sql: """
                        INSERT INTO resident (id, nik, name, birth_place, birth_date, sex, address, hamlet, rt, rw,
                            religion, marital_status, occupation, nationality)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id + 1, r.nik, r.name, r.birthPlace, r.birthDate, r.sex, r.address, r.hamlet, r.rt, r.rw,
                        r.religion, r.maritalStatus, r.occupation, r.nationality,
                    ])
                if let tag = RegisteredTag(row.tagText) {
                    try db.execute(
                        sql: "INSERT INTO card (resident_id, tag, number, hex) VALUES (?, ?, ?, ?)",
                        arguments: [id + 1, tag.text, tag.number, tag.hex])
                }
            }
            let siti = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM resident WHERE name = 'SITI AMINAH'"))
            let hash = try PINHash.make(PINTests.goodPIN, parameters: RegistryFixture.fastScrypt)
                .peppered(with: RegistryFixture.pepper)
            try PINRow(hash, owner: siti, setAt: .now()).insert(db)
            try db.execute(
                sql: "INSERT INTO pin_failure (card_number, failures, last_failure_at, total) VALUES (?, 2, ?, 2)",
                arguments: ["1376422841", Timestamp.now().millisecondsSince1970])
        }
        return state
    }

    @Test func aPlaintextRegistryIsSealedInPlaceAtFirstOpenAndLeavesNoTrace() async throws {
        let directory = try TemporaryDirectory()
        let state = try Self.plaintextRegistry(in: directory)
        let path = state + "/" + KioskDatabase.fileName
        let secrets = try Self.secrets()
        // The search finds what is there: the old layout shows everything.
        #expect(DatabaseBytes.found(secrets, in: path) == secrets)

        let database = try KioskDatabase.open(stateDirectory: state)
        let found = DatabaseBytes.found(secrets, in: path)
        #expect(found.isEmpty, "still readable after the migration (free pages or -wal): \(found)")

        let registry = RegistryFixture.registry(database)
        for card in RegistryFixture.cards {
            #expect(Self.name(try await registry.lookUp(try CardUID(hex: card.hex))) == card.name, "\(card.hex)")
        }
        // The PIN and the wrong PINs counted before stay the card's: one more wrong PIN locks it.
        let siti = try CardUID(hex: "520A8BB9")
        #expect(try await registry.verifyPIN(PINTests.wrongPIN, for: siti, at: .now()) == .locked)
        #expect(
            try await registry.resetFailures(for: try #require(try await registry.holder(of: siti)), at: .now()) == 3)
        #expect(try await registry.verifyPIN(PINTests.goodPIN, for: siti, at: .now()) == .accepted)
        // An import finds every resident by the NIK index: nothing new, nothing changed.
        let again = try await ResidentImport.run(try OpenSIDExport.read(path: TestPaths.residents), into: database)
        #expect(again == ResidentImport.Report(read: 8, new: 0, updated: 0, unchanged: 8))
        #expect(DatabaseBytes.found(secrets, in: path).isEmpty)
    }

    @Test func aMigrationThatFailsHalfwayLeavesThePlaintextRegistryWhole() async throws {
        let directory = try TemporaryDirectory()
        let state = try Self.plaintextRegistry(in: directory)
        let path = state + "/" + KioskDatabase.fileName
        // A view on the old table makes the migration fail at its last steps, after the sealed copies were written
        // and the old tables dropped (SQLite refuses to rename a table while a view names a table that is gone).
        do {
            let pool = try DatabasePool(path: path)
            try await pool.write { db in try db.execute(sql: "CREATE VIEW probe AS SELECT nik FROM resident") }
        }
        #expect(throws: KioskDatabaseError.self) { try KioskDatabase.open(stateDirectory: state) }
        let (columns, residents, cards, sealTable) = try await DatabaseQueue(path: path).read { db in
            (
                try db.columns(in: "resident").map(\.name), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resident"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM card"), try db.tableExists("registry_seal")
            )
        }
        #expect(columns.contains("nik") && !columns.contains("nik_index"), "the old table, not a mix")
        #expect(residents == 8 && cards == 7 && !sealTable)
        // Without the view, the next start seals it.
        try await DatabaseQueue(path: path).write { db in try db.execute(sql: "DROP VIEW probe") }
        let database = try KioskDatabase.open(stateDirectory: state)
        let registry = RegistryFixture.registry(database)
        #expect(Self.name(try await registry.lookUp(try CardUID(hex: "520A8BB9"))) == "SITI AMINAH")
        #expect(DatabaseBytes.found(try Self.secrets(), in: path).isEmpty)
    }

    // MARK: Keys

    @Test func anotherRecordKeyIsRefusedWithWhatToDoNotReadAsEmpty() async throws {
        let directory = try TemporaryDirectory()
        _ = try await RegistryFixture.imported(in: directory)
        let credentials = try TemporaryDirectory()
        #expect(
            FileManager.default.createFile(
                atPath: credentials.path + "/record-key", contents: Data(repeating: 1, count: 32),
                attributes: [.posixPermissions: 0o600]))
        #expect {
            _ = try KioskDatabase.open(
                stateDirectory: directory.path + "/state", environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        } throws: { error in
            let text = "\(error)"
            return text.contains("was sealed under another record key") && text.contains("Restore that key")
        }
        // With its own key it opens as before.
        let database = try KioskDatabase.open(stateDirectory: directory.path + "/state")
        #expect(try await RegistryFixture.registry(database).statistics(at: .now()).residents == 8)
    }

    @Test func aRowUnderAnotherKeyIsADamagedRowNamedByIdNeverGarbage() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let (resident, card) = try await database.pool.read { db in
            (try #require(try ResidentRow.fetchOne(db)), try #require(try CardRow.fetchOne(db)))
        }
        let other = RegistryKeys(recordKey: Data(repeating: 1, count: 32))
        #expect(throws: RegistryError.self) { try resident.resident(tag: nil, keys: other) }
        #expect(throws: RegistryError.self) { try card.tagText(keys: other) }
        do {
            _ = try resident.resident(tag: nil, keys: other)
        } catch {
            #expect("\(error)".contains("row \(resident.id!) is damaged (its sealed fields do not open"))
        }
        // A sealed blob moved to another row does not open either: the index is its associated data.
        var moved = resident
        moved.nikIndex = database.registryKeys.index(nik: "1809074707850002")
        #expect(throws: RegistryError.self) { try moved.resident(tag: nil, keys: database.registryKeys) }
    }

    @Test func aKeyHeldAsACredentialIsNeverMadeAsAPlainFileByACommandNotGivenIt() throws {
        let directory = try TemporaryDirectory()
        let store = directory.path + "/credentials"
        let state = directory.path + "/state"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: false)
        _ = try directory.write("credentials/record-key.cred", "ciphertext only systemd opens")
        #expect {
            _ = try KioskDatabase.open(stateDirectory: state, environment: ["KIOSK_CREDENTIAL_STORE": store])
        } throws: { error in
            "\(error)".contains("held as the encrypted systemd credential \(store)/record-key.cred")
                && "\(error)".contains("sudo kiosk")
        }
        #expect(!FileManager.default.fileExists(atPath: state + "/record.key"), "no second record key made")
        // Given the credential, as kiosk.service and `sudo kiosk ...` are, it opens.
        let given = directory.path + "/given"
        try FileManager.default.createDirectory(atPath: given, withIntermediateDirectories: false)
        #expect(
            FileManager.default.createFile(
                atPath: given + "/record-key", contents: Data(repeating: 3, count: 32),
                attributes: [.posixPermissions: 0o600]))
        _ = try KioskDatabase.open(
            stateDirectory: state, environment: ["KIOSK_CREDENTIAL_STORE": store, "CREDENTIALS_DIRECTORY": given])
        #expect(!FileManager.default.fileExists(atPath: state + "/record.key"))
    }
}
