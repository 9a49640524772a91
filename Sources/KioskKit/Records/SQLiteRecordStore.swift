package import Core
import Foundation
package import GRDB
import ProvincialAPI

/// Service records and their outbox in the kiosk database: the `LetterIssuer` of the running kiosk and the queue
/// the uploader drains.
///
/// Capturing a letter is one transaction: the next number of its series, the record (personal fields sealed),
/// the outbox row. It commits (WAL, `synchronous = FULL`, so the commit is on disk) before the letter prints;
/// a crash before the commit leaves nothing, after it leaves a record the uploader will send. A row leaves the
/// outbox only when the server acknowledged its record, and the record itself is purged `retention` later.
package struct SQLiteRecordStore: LetterIssuer {
    let database: KioskDatabase
    let sealer: RecordSealer
    let kioskID: String
    let village: VillageCode
    /// The kiosk's station in its village, marked in every number so that kiosks never collide (`LetterNumber`).
    let station: Int?
    let diskGuard: DiskGuard
    /// How long a record waits for its print outcome before it is uploaded without one (a power cut mid-print).
    package var printGrace: Duration = .seconds(120)
    /// Sends records still within their grace too (`kiosk upload --include-recent`).
    package var ignoresPrintGrace = false
    var now: @Sendable () -> Timestamp = { Timestamp.now() }
    /// Whether the clock is NTP-synchronised now (systemd-timesyncd's marker file).
    var clockSynced: @Sendable () -> Bool = { ClockSync.isSynchronized() }
    /// Rung when a record becomes ready for upload, so the uploader wakes at once instead of on its timer.
    let readiness = Doorbell()

    init(
        database: KioskDatabase, sealer: RecordSealer, kioskID: String, village: VillageCode, station: Int? = nil,
        diskGuard: DiskGuard
    ) {
        self.database = database
        self.sealer = sealer
        self.kioskID = kioskID
        self.village = village
        self.station = station
        self.diskGuard = diskGuard
    }

    var deviceState: DeviceState { DeviceState(database: database) }

    // MARK: Capture

    package func issue(_ request: LetterRequest) async throws(IssueProblem) -> IssuedLetter {
        guard diskGuard.hasRoom else { throw .diskFull }
        do {
            return try await capture(request)
        } catch {
            throw .storageFailed
        }
    }

    /// Numbers the letter and writes its record and outbox row in one transaction.
    package func capture(_ request: LetterRequest) async throws -> IssuedLetter {
        let now = now()
        let id = RecordID(at: now)
        let personal = try JSONEncoder().encode(
            SealedFields(nik: request.resident.nik.digits, purpose: request.purpose))
        let sealed = try sealer.seal(personal, recordID: id.text)
        let synced = clockSynced()
        let today = now.date()
        let readyAt = now.millisecondsSince1970 + printGrace.milliseconds
        return try await database.pool.write { db in
            let serial = try Int.fetchOne(
                db,
                sql: """
                    INSERT INTO letter_series (kind_code, year, last_serial) VALUES (?, ?, 1)
                    ON CONFLICT (kind_code, year) DO UPDATE SET last_serial = last_serial + 1
                    RETURNING last_serial
                    """,
                arguments: [request.kind.code, today.year])!
            let number = LetterNumber(
                kindCode: request.kind.code, serial: serial, station: station, village: village, month: today.month,
                year: today.year)
            try ServiceRecordRow(
                id: id, kioskID: kioskID, village: village, letterCode: request.kind.code, number: number,
                capturedAt: now, clockSynced: synced, personal: sealed
            ).insert(db)
            try OutboxRow(recordID: id.text, readyAt: readyAt).insert(db)
            return IssuedLetter(recordID: id, number: number)
        }
    }

    package func recordPrintOutcome(_ outcome: PrintOutcome, for id: RecordID) async {
        let now = now().millisecondsSince1970
        // A failure here leaves the record as "pending": it still uploads after the grace, as such.
        _ = try? await database.pool.write { db in
            try ServiceRecordRow.filter(key: id.text).updateAll(
                db, ServiceRecordRow.Columns.printOutcome.set(to: outcome))
            try db.execute(
                sql: "UPDATE outbox SET ready_at = min(ready_at, ?) WHERE record_id = ?", arguments: [now, id.text])
            // The printer as the last letter found it: what `kiosk status` and the heartbeat report.
            switch outcome {
            case .pending: break
            case .printed: try DeviceState.set(.printerStatus, "ready", db)
            case .failed(let problem): try DeviceState.set(.printerStatus, problem.rawValue, db)
            }
        }
        readiness.ring()
    }

    // MARK: The outbox

    /// Up to `limit` records ready for upload, oldest first, opened for the wire. A record that will not open
    /// (its key was replaced, its blob damaged) is set aside as rejected with the reason, never dropped.
    func nextBatch(limit: Int) async throws -> [ServiceRecordUpload] {
        let now = ignoresPrintGrace ? Int64.max : now().millisecondsSince1970
        let rows = try await database.pool.read { db in
            try ServiceRecordRow.fetchAll(
                db,
                sql: """
                    SELECT r.* FROM outbox o JOIN service_record r ON r.id = o.record_id
                    WHERE o.rejected_reason IS NULL AND o.ready_at <= ?
                    ORDER BY o.record_id LIMIT ?
                    """,
                arguments: [now, limit])
        }
        var batch: [ServiceRecordUpload] = []
        var unreadable: [String] = []
        for row in rows {
            guard let record = row.opened(with: sealer) else {
                unreadable.append(row.id)
                continue
            }
            var upload = ServiceRecordUpload(record, kioskID: kioskID)
            upload.pickupId = row.pickupID
            batch.append(upload)
        }
        if !unreadable.isEmpty {
            try await settle(
                unreadable.map {
                    RecordResult(
                        id: $0, status: .rejected,
                        reason: "kept on the kiosk: its personal fields do not open with the record key")
                })
        }
        return batch
    }

    /// Counts an attempt on each record of a batch about to be sent.
    func countAttempt(_ ids: [String]) async throws {
        _ = try await database.pool.write { db in
            try OutboxRow.filter(keys: ids).updateAll(db, OutboxRow.Columns.attempts += 1)
        }
    }

    /// Applies the server's answer: acknowledged records leave the outbox, rejected ones stay with the reason.
    func settle(_ results: [RecordResult]) async throws {
        let now = now().millisecondsSince1970
        let acknowledged = results.filter { $0.status != .rejected }.map(\.id)
        try await database.pool.write { db in
            try ServiceRecordRow.filter(keys: acknowledged).updateAll(
                db, ServiceRecordRow.Columns.acknowledgedAt.set(to: now))
            try OutboxRow.deleteAll(db, keys: acknowledged)
            for result in results where result.status == .rejected {
                try OutboxRow.filter(key: result.id).updateAll(
                    db, OutboxRow.Columns.rejectedReason.set(to: result.reason ?? "rejected without a reason"))
            }
            if !acknowledged.isEmpty { try DeviceState.set(.lastUpload, "\(now)", db) }
        }
    }

    /// Deletes acknowledged records older than the retention; returns how many.
    @discardableResult
    func purge(retentionDays: Int) async throws -> Int {
        let cutoff = now().millisecondsSince1970 - Int64(retentionDays) * 86_400_000
        return try await database.pool.write { db in
            try ServiceRecordRow.filter(ServiceRecordRow.Columns.acknowledgedAt < cutoff).deleteAll(db)
        }
    }

    /// Releases records the server rejected back into the queue (after an operator fixed the cause).
    package func retryRejected() async throws -> Int {
        try await database.pool.write { db in
            try OutboxRow.filter(OutboxRow.Columns.rejectedReason != nil).updateAll(
                db, OutboxRow.Columns.rejectedReason.set(to: nil))
        }
    }

    /// Every record still on the kiosk, opened, oldest first: the operator's day log (and the tests' view).
    func records() async throws -> [ServiceRecord] {
        let rows = try await database.pool.read { db in
            try ServiceRecordRow.order(ServiceRecordRow.Columns.id).fetchAll(db)
        }
        return try rows.map { row in
            guard let record = row.opened(with: sealer) else { throw StoreError.damagedRecord }
            return record
        }
    }

    package enum StoreError: Error {
        /// A row whose columns do not parse: written by another version or damaged on disk.
        case damagedRecord
    }

    package func summary() async throws -> OutboxSummary {
        try await OutboxSummary.read(database)
    }
}

/// What the record key seals: everything in a record that points at a person.
package struct SealedFields: Codable {
    var nik: String
    var purpose: String
}

/// The state of the outbox, for `kiosk status`, the heartbeat and `STATUS=`.
package struct OutboxSummary: Sendable, Equatable {
    /// Records not yet acknowledged (rejected ones included).
    package var pending: Int
    package var rejected: Int
    package var oldestPending: Timestamp?
    package var lastUpload: Timestamp?
    package var lastError: String?

    package static func read(_ database: KioskDatabase) async throws -> OutboxSummary {
        try await database.pool.read { db in try read(db) }
    }

    package static func read(_ db: Database) throws -> OutboxSummary {
        let row = try Row.fetchOne(
            db,
            sql: "SELECT count(*) AS pending, count(rejected_reason) AS rejected, min(record_id) AS oldest FROM outbox"
        )!
        let oldest = (row["oldest"] as String?).flatMap { RecordID($0) }?.timestamp
        return OutboxSummary(
            pending: row["pending"], rejected: row["rejected"], oldestPending: oldest,
            lastUpload: try DeviceState.get(.lastUpload, db).flatMap(Int64.init).map(
                Timestamp.init(millisecondsSince1970:)),
            lastError: try DeviceState.get(.lastUploadError, db))
    }
}

extension Date {
    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

extension Timestamp {
    /// The wall clock, now.
    package static func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }
}

/// Whether systemd-timesyncd has synchronised the clock since boot: it creates this file when it does.
package enum ClockSync {
    static let marker = "/run/systemd/timesync/synchronized"

    static func isSynchronized() -> Bool { FileManager.default.fileExists(atPath: marker) }
}
