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
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        RegistrySchema.registerMigrations(in: &migrator)
        RecordSchema.registerMigrations(in: &migrator)
        BoardStore.registerMigrations(in: &migrator)
        PickupStore.registerMigrations(in: &migrator)
        SurveyStore.registerMigrations(in: &migrator)
        QueueStore.registerMigrations(in: &migrator)
        return migrator
    }

    package let pool: DatabasePool
    let path: String

    /// Opens (and creates, and migrates) the database of the kiosk whose state lives in `stateDirectory`.
    package static func open(stateDirectory: String) throws(KioskDatabaseError) -> KioskDatabase {
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
        return try KioskDatabase(path: (stateDirectory as NSString).appendingPathComponent(fileName))
    }

    /// Opens the database file at `path`, creating it readable by its owner only, and runs pending migrations.
    init(path: String) throws(KioskDatabaseError) {
        self.path = path
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
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB switches the writer to WAL after `prepareDatabase` and sets NORMAL with it (durable against a
            // crash of the process, not of the power): set FULL again on the one connection that writes.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
        } catch {
            throw .cannotOpen(path, reason: "\(error)")
        }
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

    package var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            "cannot create the state directory \(path): \(reason); create it for the kiosk user "
                + "(systemd's StateDirectory=kiosk does) or set kiosk.state_directory"
        case .cannotOpen(let path, let reason):
            "cannot open the kiosk database \(path): \(reason); check that the state directory is writable by the "
                + "user running this command (run it as the kiosk user) and that the disk is not full"
        }
    }
}
