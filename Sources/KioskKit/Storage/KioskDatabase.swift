import Drivers
import Foundation
package import GRDB

/// The kiosk's one SQLite database, `<state_directory>/kiosk.sqlite`: residents now, records and the outbox later.
///
/// WAL with `synchronous = FULL`, because a kiosk loses power without warning and a service record that was
/// acknowledged on screen must still be there after the reboot; foreign keys on, because rows refer to each other.
/// The schema grows through migrations named by area (`registry-v1`, later `records-v1`, ...), so each piece of
/// work adds its own without touching another's.
package struct KioskDatabase: Sendable {
    package static let fileName = "kiosk.sqlite"

    /// Every migration, in the order they run. A migration, once shipped, never changes: add a new one instead.
    /// The registry's are sealed under `keys`.
    static func migrator(keys: RegistryKeys) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        RegistrySchema.registerMigrations(in: &migrator, keys: keys)
        RecordSchema.registerMigrations(in: &migrator)
        BoardStore.registerMigrations(in: &migrator)
        PickupStore.registerMigrations(in: &migrator)
        SurveyStore.registerMigrations(in: &migrator)
        QueueStore.registerMigrations(in: &migrator)
        return migrator
    }

    /// `PRAGMA cache_size` of every connection: negative, so KiB rather than pages.
    static let cacheKiB = -512

    package let pool: DatabasePool
    let path: String
    /// What the registry's rows are sealed and indexed with (derived from the record key).
    let registryKeys: RegistryKeys

    /// Opens (and creates, and migrates) the database of the kiosk whose state lives in `stateDirectory`, with the
    /// kiosk's record key (its credential, or its file there).
    package static func open(
        stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KioskDatabaseError) -> KioskDatabase {
        do {
            // Private like systemd's StateDirectory= (0700); the folders above it keep the usual mode.
            if !FileManager.default.fileExists(atPath: stateDirectory) {
                let parent = (stateDirectory as NSString).deletingLastPathComponent
                if !parent.isEmpty {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                }
                try FileManager.default.createDirectory(
                    atPath: stateDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw .cannotCreateDirectory(stateDirectory, reason: "\(error.localizedDescription)")
        }
        let keys: RegistryKeys
        do {
            keys = try RegistryKeys.load(stateDirectory: stateDirectory, environment: environment)
        } catch {
            throw .key(error)
        }
        return try KioskDatabase(path: (stateDirectory as NSString).appendingPathComponent(fileName), keys: keys)
    }

    /// Opens the database file at `path`, creating it readable by its owner only, runs pending migrations (sealing a
    /// plaintext registry under `keys`), and checks that its registry was sealed under `keys`.
    init(path: String, keys: RegistryKeys) throws(KioskDatabaseError) {
        self.path = path
        registryKeys = keys
        try Self.createPrivately(path)
        var configuration = Configuration()
        configuration.label = "kiosk"
        configuration.foreignKeysEnabled = true
        // `kiosk import` and `kiosk pin set` write while the daemon runs: wait for the other's transaction rather
        // than failing the technician's command (or a resident's letter) on SQLITE_BUSY.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Per connection: FULL syncs the WAL on every commit, so a commit survives a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // At most 512 KiB of pages cached per connection, not SQLite's default 2 MB: the pages a kiosk reads
            // again (the registry's indexes, the newest records, the outbox) fit many times over, and the kernel's
            // page cache keeps the file anyway. With the default, the caches grew with the database, about 300 bytes
            // a session in `make soak-memory`, until each connection's reached 2 MB.
            try db.execute(sql: "PRAGMA cache_size = \(Self.cacheKiB)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB switches the writer to WAL after `prepareDatabase` and sets NORMAL with it (durable against a
            // crash of the process, not of the power): set FULL again on the one connection that writes.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator(keys: keys).migrate(pool)
        } catch {
            throw .cannotOpen(path, reason: "\(error)")
        }
        try checkRegistrySeal()
    }

    /// Refuses a registry sealed under other keys (every card would be "unknown", every import a duplicate), and
    /// vacuums once after registry-v4 sealed a plaintext registry: VACUUM rewrites the file without the old free
    /// pages, and the TRUNCATE checkpoint empties the -wal, which held the plaintext pages too.
    private func checkRegistrySeal() throws(KioskDatabaseError) {
        let sealedUnderKeys: Bool
        let check = registryKeys.check
        do {
            sealedUnderKeys = try pool.writeWithoutTransaction { db in
                guard let seal = try Row.fetchOne(db, sql: "SELECT key_check, vacuumed FROM registry_seal"),
                    seal["key_check"] as Data == check
                else { return false }
                if seal["vacuumed"] as Bool == false {
                    try db.execute(sql: "VACUUM")
                    try db.execute(sql: "UPDATE registry_seal SET vacuumed = 1")
                    try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
                return true
            }
        } catch {
            throw .cannotOpen(path, reason: "\(error)")
        }
        if !sealedUnderKeys { throw .wrongKey(path) }
    }

    /// Creates an empty file with mode 0600 (SQLite gives its -wal and -shm files the same mode), and tightens
    /// the mode of an existing one: the file holds residents' personal data. When root creates it (a technician
    /// running `sudo kiosk import`), it goes to the owner of the state directory, or the daemon, running as the
    /// kiosk user, could not open it any more; SQLite then gives its -wal and -shm files the same owner.
    private static func createPrivately(_ path: String) throws(KioskDatabaseError) {
        do {
            try FileSystem.createPrivately(path)
        } catch {
            switch error {
            case .cannotOpen(let failure): throw .cannotOpen(path, reason: failure.message)
            case .cannotTighten(let failure):
                throw .cannotOpen(
                    path,
                    reason: "it is readable by other users and its mode cannot be changed to 0600 (\(failure.message))")
            }
        }
    }
}

/// Why the database could not be opened, with what the technician should look at.
package enum KioskDatabaseError: Error, CustomStringConvertible {
    case cannotCreateDirectory(String, reason: String)
    case cannotOpen(String, reason: String)
    /// The record key (the registry's keys derive from it) cannot be loaded.
    case key(KeyFileError)
    /// The registry was sealed under another record key.
    case wrongKey(String)

    package var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            "cannot create the state directory \(path): \(reason); create it for the kiosk user "
                + "(systemd's StateDirectory=kiosk does) or set kiosk.state_directory"
        case .cannotOpen(let path, let reason):
            "cannot open the kiosk database \(path): \(reason); check that the state directory is writable by the "
                + "user running this command (run it as the kiosk user) and that the disk is not full"
        case .key(let error):
            "cannot load the record key, which seals the registry and the records: \(error)"
        case .wrongKey(let path):
            "the registry in \(path) was sealed under another record key: this is not the key it was written with "
                + "(the record-key credential, or record.key in the state directory). Restore that key (a command run "
                + "by hand outside kiosk.service sees no credentials: see docs/DEPLOY.md); if it is lost, so are the "
                + "sealed records: move the database aside and import the OpenSID export again"
        }
    }
}
