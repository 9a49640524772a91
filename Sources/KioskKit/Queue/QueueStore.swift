package import Core
import Foundation
import GRDB
import ProvincialAPI

/// Queue tickets (antrean) in the kiosk database, and their daily counters.
///
/// Taking a ticket is one transaction: the day's counter goes up by one (`queue_counter`, a row per day that is
/// never deleted) and the ticket is written with the number it gives. So a number is never given twice: not across a
/// crash or a power cut (the counter moved only if the ticket is on disk), not across restarts, not when the clock
/// goes back (an earlier day's counter is still there and goes on from where it was; within the day it never
/// looked at the time), and not across the village's kiosks (each marks its station, as letter numbers do;
/// docs/QUEUE.md). `UNIQUE (day, counter)` refuses any ticket that would repeat one. The resident's NIK, only when
/// a card was tapped, is sealed like a service record's and dropped once the province has it.
package struct QueueStore: Sendable {
    let database: KioskDatabase
    let sealer: RecordSealer
    let kioskID: String
    let village: VillageCode
    let station: Int?
    let diskGuard: DiskGuard
    var now: @Sendable () -> Timestamp = { Timestamp.now() }
    var clockSynced: @Sendable () -> Bool = { ClockSync.isSynchronized() }
    /// How long a ticket waits for its slip's outcome before it is uploaded without one (a power cut mid-print).
    var printGrace: Duration = .seconds(120)

    /// Beside the service records, with their key, kiosk, village and station.
    package init(records: SQLiteRecordStore) {
        database = records.database
        sealer = records.sealer
        kioskID = records.kioskID
        village = records.village
        station = records.station
        diskGuard = records.diskGuard
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("queue-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE queue_counter (day TEXT PRIMARY KEY, last INTEGER NOT NULL) STRICT;
                    CREATE TABLE queue_ticket (id TEXT PRIMARY KEY, day TEXT NOT NULL, counter INTEGER NOT NULL,
                        number TEXT NOT NULL, service TEXT NOT NULL, taken_at INTEGER NOT NULL,
                        clock_synced INTEGER NOT NULL, resident BLOB,
                        print_outcome TEXT NOT NULL DEFAULT 'pending', uploaded_at INTEGER, rejected TEXT,
                        UNIQUE (day, counter)) STRICT;
                    """)
        }
    }

    /// A ticket just recorded: its id (the upload's idempotency key) and what the slip shows.
    package struct Taken: Sendable {
        package var id: String
        package var ticket: QueueTicket
    }

    /// Takes the next number of today's series and records the ticket, in one transaction.
    package func take(_ request: QueueRequest) async throws(IssueProblem) -> Taken {
        guard diskGuard.hasRoom else { throw .diskFull }
        do {
            let now = now()
            let id = RecordID(at: now).text
            let resident = try request.resident.map { try sealer.seal(Data($0.nik.digits.utf8), recordID: id) }
            let day = now.date()
            let synced = clockSynced()
            let station = station
            return try await database.pool.write { db in
                let counter = try Int.fetchOne(
                    db,
                    sql: """
                        INSERT INTO queue_counter (day, last) VALUES (?, 1)
                        ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last
                        """, arguments: ["\(day)"])!
                let ticket = QueueTicket(
                    number: QueueNumber(day: day, counter: counter, station: station), service: request.service,
                    takenAt: now)
                try db.execute(
                    sql: """
                        INSERT INTO queue_ticket (id, day, counter, number, service, taken_at, clock_synced, resident)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, "\(day)", counter, "\(ticket.number)", request.service.code, now.millisecondsSince1970,
                        synced, resident,
                    ])
                return Taken(id: id, ticket: ticket)
            }
        } catch {
            throw .storageFailed
        }
    }

    /// The slip's outcome. A failure to write it leaves `pending`, which still uploads after the grace.
    package func recordPrint(_ outcome: PrintOutcome, for id: String) async {
        _ = try? await database.pool.write { db in
            try db.execute(
                sql: "UPDATE queue_ticket SET print_outcome = ? WHERE id = ?", arguments: [outcome.rawValue, id])
        }
    }

    /// Up to `limit` tickets not uploaded yet whose slip's outcome is known (or overdue), in the order taken (rowid:
    /// tickets of one millisecond, or of a clock that went back, keep it), for the wire.
    func nextBatch(limit: Int) throws -> [QueueTicketUpload] {
        let overdue = now().millisecondsSince1970 - printGrace.milliseconds
        let rows = try database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM queue_ticket WHERE uploaded_at IS NULL AND rejected IS NULL
                    AND (print_outcome != 'pending' OR taken_at <= ?) ORDER BY rowid LIMIT ?
                    """, arguments: [overdue, limit])
        }
        return try rows.map { row in
            let id: String = row["id"]
            let outcome = PrintOutcome(rawValue: row["print_outcome"]) ?? .pending
            let nik = try (row["resident"] as Data?).map {
                String(decoding: try sealer.open($0, recordID: id), as: UTF8.self)
            }
            let (wire, problem): (ServiceRecordUpload.PrintOutcome, String?) =
                switch outcome {
                case .pending: (.pending, nil)
                case .printed: (.printed, nil)
                case .failed(let problem): (.failed, problem.rawValue)
                }
            return QueueTicketUpload(
                id: id, kioskId: kioskID, villageCode: village.digits, number: row["number"], date: row["day"],
                service: row["service"],
                takenAt: Date(timeIntervalSince1970: Double(row["taken_at"] as Int64) / 1000),
                clockSynced: row["clock_synced"], printOutcome: wire, printProblem: problem, residentNik: nik)
        }
    }

    /// The province has these tickets: their NIK, if any, goes now; the rest `retentionDays` later (`purge`).
    func markUploaded(_ ids: [String]) throws {
        let at = now().millisecondsSince1970
        try database.pool.write { db in
            for id in ids {
                try db.execute(
                    sql: "UPDATE queue_ticket SET uploaded_at = ?, resident = NULL WHERE id = ?", arguments: [at, id])
            }
        }
    }

    /// The province refused this ticket: kept with the reason for an operator (`kiosk status`), not sent again.
    func markRejected(_ id: String, reason: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE queue_ticket SET rejected = ? WHERE id = ?", arguments: [reason, id])
        }
    }

    /// Deletes tickets uploaded more than `retentionDays` ago; the day counters stay (they keep numbers unique).
    @discardableResult
    func purge(retentionDays: Int) throws -> Int {
        let before = now().millisecondsSince1970 - Int64(retentionDays) * 86_400_000
        return try database.pool.write { db in
            try db.execute(sql: "DELETE FROM queue_ticket WHERE uploaded_at < ?", arguments: [before])
            return db.changesCount
        }
    }

    /// Counts for `kiosk status`: tickets taken today, and tickets the province does not have yet.
    package func summary() throws -> (today: Int, waiting: Int) {
        let today = "\(now().date())"
        return try database.pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM queue_ticket WHERE day = ?", arguments: [today]) ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM queue_ticket WHERE uploaded_at IS NULL") ?? 0
            )
        }
    }
}
