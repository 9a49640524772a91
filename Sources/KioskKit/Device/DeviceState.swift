package import Foundation
import GRDB

/// Small facts the kiosk keeps about itself in `device_state`: its enrollment, the registry cursor, when it last
/// uploaded and what went wrong last. Values are text; absent keys are `nil`.
package struct DeviceState: Sendable {
    package enum Key: String, CaseIterable {
        case enrolledKioskID = "enrollment.kiosk_id"
        case enrolledVillageCode = "enrollment.village_code"
        case enrolledVillageName = "enrollment.village_name"
        case enrolledURL = "enrollment.url"
        case enrolledAt = "enrollment.at"
        /// The province's key that signs its answers (raw Ed25519, base64), as enrollment gave it.
        case enrolledServerKey = "enrollment.server_key"
        case registryCursor = "registry.cursor"
        case lastRegistrySync = "registry.last_sync"
        /// SHA-256 of the `[registry] opensid_export` file last imported with no row rejected (`OpenSIDExport.File`).
        case importedExport = "registry.imported_export"
        /// Where the sync of letters prepared elsewhere resumes (`GET /v1/pickups`).
        case pickupCursor = "pickups.cursor"
        case lastUpload = "upload.last_success"
        case lastUploadError = "upload.last_error"
        case lastHeartbeat = "heartbeat.last_success"
        case printerStatus = "printer.status"
        /// The thermal printer as its last job or status check found it: `ready`, `paperNearEnd`, a
        /// `PrinterProblem` name, or `unknown` (a printer that does not answer status); and when (ms since 1970).
        case thermalStatus = "thermal.status"
        case thermalStatusAt = "thermal.status_at"
        /// The last thermal job: `sending`, `printed` or `failed:<problem>`. Receipts have no record of their own,
        /// so their outcome is kept here (a pengantar's is also its letter record's).
        case thermalLastJob = "thermal.last_job"
        /// An operator's "Hentikan Layanan" / "Buka Layanan": `stopped` or `open`, the operator card (masked), and
        /// when (ms since 1970). Kept here so a restart keeps the service closed.
        case serviceStatus = "service.status"
        case serviceChangedBy = "service.changed_by"
        case serviceChangedAt = "service.changed_at"
    }

    let database: KioskDatabase

    /// The facts kept in `database`.
    package init(database: KioskDatabase) {
        self.database = database
    }

    package func get(_ key: Key) throws -> String? {
        try database.pool.read { db in try Self.get(key, db) }
    }

    package func set(_ values: [Key: String?]) throws {
        try database.pool.write { db in
            for (key, value) in values { try Self.set(key, value, db) }
        }
    }

    static func get(_ key: Key, _ db: Database) throws -> String? {
        // Plain SQL: facts are read on the way to READY=1 (enrollment, health, the imported export), where the first
        // query-interface request would set up GRDB's request machinery for this one lookup.
        try String.fetchOne(db, sql: "SELECT value FROM device_state WHERE key = ?", arguments: [key.rawValue])
    }

    static func set(_ key: Key, _ value: String?, _ db: Database) throws {
        if let value {
            try Fact(key: key.rawValue, value: value).upsert(db)
        } else {
            try Fact.deleteOne(db, key: key.rawValue)
        }
    }

    /// A `device_state` row: one fact, by its key (GRDB record).
    struct Fact: Codable, FetchableRecord, PersistableRecord {
        static let databaseTableName = "device_state"
        var key: String
        var value: String
    }

    /// The identity the province assigned, if the kiosk is enrolled.
    package func enrollment() throws -> Enrolled? {
        try database.pool.read { db in
            guard let id = try Self.get(.enrolledKioskID, db), let village = try Self.get(.enrolledVillageCode, db),
                let url = try Self.get(.enrolledURL, db).flatMap(URL.init(string:))
            else { return nil }
            return Enrolled(
                kioskID: id, villageCode: village, url: url, serverKey: try Self.get(.enrolledServerKey, db))
        }
    }

    package struct Enrolled: Sendable, Equatable {
        package var kioskID: String
        package var villageCode: String
        package var url: URL
        /// `nil` for a kiosk enrolled before the province signed its answers.
        package var serverKey: String?
    }
}
