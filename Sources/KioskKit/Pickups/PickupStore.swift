package import Core
import Foundation
import GRDB
import ProvincialAPI

/// Letters prepared elsewhere (OpenSID requests at 3 Siap Diambil), kept until their holder collects them: the
/// `pickup_letter` table (`pickups-v1`). The PDF is sealed like a record's personal fields (AES-GCM under the record
/// key, the letter's id as associated data); the holder is kept only as keyed digests of their NIK and card UID, what
/// the kiosk needs to match the resident who tapped and typed their PIN. Collected letters are purged `retentionDays`
/// after their collection.
///
/// Collecting is one transaction: the letter claimed, its service record (naming the request, `pickup_id`) and its
/// outbox row. Only then does the PDF print, unchanged. A letter claimed before, here or at another kiosk of the
/// village once the sync said so, is not printed again.
package struct PickupStore: LetterPickups {
    let database: KioskDatabase
    let records: SQLiteRecordStore
    let catalogue: LetterCatalogue
    /// Where the PDF prints; `nil` where the kiosk only syncs (`kiosk sync-pickups`).
    let output: (any LetterOutput)?
    var retentionDays = 30
    var now: @Sendable () -> Timestamp = { Timestamp.now() }

    /// The largest PDF the kiosk keeps (decoded).
    package static let maximumPDFBytes = 8 << 20
    static let purpose = "Pengambilan surat"

    package init(
        database: KioskDatabase, records: SQLiteRecordStore, catalogue: LetterCatalogue, output: (any LetterOutput)?,
        retentionDays: Int = 30
    ) {
        self.database = database
        self.records = records
        self.catalogue = catalogue
        self.output = output
        self.retentionDays = retentionDays
    }

    /// The store as `settings` describe it, with no printer: what `kiosk sync-pickups` fills.
    package static func syncing(_ settings: KioskSettings, database: KioskDatabase) throws -> PickupStore {
        PickupStore(
            database: database, records: try SyncSetup(settings: settings, database: database).recordStore(),
            catalogue: settings.catalogue, output: nil, retentionDays: settings.records.retentionDays)
    }

    var sealer: RecordSealer { records.sealer }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("pickups-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pickup_letter (
                        id TEXT PRIMARY KEY,                -- the province's request id
                        holder_nik BLOB NOT NULL,           -- HMAC of the holder's NIK under the record key
                        holder_card BLOB,                   -- HMAC of the card UID the request is bound to, if any
                        kind_code TEXT NOT NULL,
                        number TEXT NOT NULL,
                        pdf BLOB NOT NULL,                  -- sealed, the id as associated data
                        received_at INTEGER NOT NULL,       -- milliseconds since 1970
                        collected_at INTEGER,               -- here, or elsewhere as the sync said
                        record_id TEXT                      -- the collection's service record, when collected here
                    ) STRICT;
                    CREATE INDEX pickup_holder ON pickup_letter(holder_nik);
                    ALTER TABLE service_record ADD COLUMN pickup_id TEXT;
                    """)
        }
    }

    // MARK: Sync

    /// What one page did.
    package struct Report: Equatable, Sendable {
        package var stored = 0
        package var collected = 0
        package var cancelled = 0
        /// Changes the kiosk refused (another village, unknown kind, not a PDF, too large ...), each named in
        /// `problems` by its request id (never its holder).
        package var refused = 0
        package var problems: [String] = []
    }

    /// Why a change was refused, in words a technician acts on.
    static func problem(_ change: PickupChange, village: VillageCode, catalogue: LetterCatalogue) -> String? {
        if change.villageCode != village.digits {
            return "for village \(change.villageCode), not this kiosk's \(village.digits)"
        }
        guard change.status == .ready else { return nil }
        guard let nik = change.holderNik, (try? NIK(nik)) != nil else { return "no valid holder NIK" }
        if let card = change.holderCardUid, (try? CardUID(hex: card)) == nil {
            return "the holder's card UID is not hex"
        }
        guard let kind = change.kind, catalogue[kind] != nil else {
            return "unknown letter kind \(ServerText.loggable(change.kind ?? "(none)")): not in this kiosk's catalogue"
        }
        guard let number = change.number, LetterNumber(number) != nil else {
            return "the number is not [kode]/[nomor]/[kode desa]/[bulan romawi]/[tahun]"
        }
        guard let text = change.pdf, let pdf = Data(base64Encoded: text) else { return "no PDF, or not base64" }
        if pdf.count > maximumPDFBytes { return "the PDF has \(pdf.count) bytes, more than \(maximumPDFBytes)" }
        if !isPDF(pdf) { return "not a PDF (no %PDF- header or no %%EOF at its end)" }
        return nil
    }

    /// A PDF starts with `%PDF-` (within its first 1,024 bytes, as readers allow) and ends with `%%EOF`.
    static func isPDF(_ bytes: Data) -> Bool {
        let head = bytes.prefix(1024)
        let tail = bytes.suffix(1024)
        return head.range(of: Data("%PDF-".utf8)) != nil && tail.range(of: Data("%%EOF".utf8)) != nil
    }

    /// One page, with its cursor, in one transaction.
    func apply(_ page: PickupPage, _ db: Database) throws -> Report {
        var report = Report()
        let now = now().millisecondsSince1970
        for (index, change) in page.changes.enumerated() {
            if let problem = Self.problem(change, village: records.village, catalogue: catalogue) {
                report.refused += 1
                report.problems.append("change \(index + 1) (\(ServerText.loggable(change.id))): \(problem)")
                continue
            }
            switch change.status {
            case .collected:
                try db.execute(
                    sql: "UPDATE pickup_letter SET collected_at = coalesce(collected_at, ?) WHERE id = ?",
                    arguments: [now, change.id])
                report.collected += db.changesCount
            case .cancelled:
                try db.execute(
                    sql: "DELETE FROM pickup_letter WHERE id = ? AND record_id IS NULL", arguments: [change.id])
                report.cancelled += db.changesCount
            case .ready:
                let pdf = Data(base64Encoded: change.pdf!)!
                let sealed = try sealer.seal(pdf, recordID: Self.sealContext(change.id))
                // A letter known already keeps its state: a province that sends it again does not make it collectable
                // twice.
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO pickup_letter (id, holder_nik, holder_card, kind_code, number, pdf,
                            received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        change.id, sealer.digest(change.holderNik!, purpose: Self.nikPurpose),
                        change.holderCardUid.flatMap { try? CardUID(hex: $0) }.map {
                            sealer.digest($0.hex, purpose: Self.cardPurpose)
                        }, change.kind!, change.number!, sealed, now,
                    ])
                report.stored += db.changesCount
            }
        }
        try DeviceState.set(.pickupCursor, page.cursor, db)
        return report
    }

    static let nikPurpose = "pickup holder nik"
    static let cardPurpose = "pickup holder card"
    static func sealContext(_ id: String) -> String { "pickup:" + id }

    /// Collected letters older than the retention, with their PDFs; returns how many.
    @discardableResult
    func purge() async throws -> Int {
        let cutoff = now().millisecondsSince1970 - Int64(retentionDays) * 86_400_000
        return try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM pickup_letter WHERE collected_at < ?", arguments: [cutoff])
            return db.changesCount
        }
    }

    // MARK: Collection

    package func letters(for resident: Resident, card: CardUID) async throws -> [PickupLetter] {
        let nik = sealer.digest(resident.nik.digits, purpose: Self.nikPurpose)
        let cardDigest = sealer.digest(card.hex, purpose: Self.cardPurpose)
        let catalogue = catalogue
        // The letters are made inside the read: rows are not Sendable, and with them as its result the call would
        // be GRDB's synchronous read, blocking a thread of the async pool.
        return try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind_code, number, collected_at FROM pickup_letter
                    WHERE holder_nik = ? AND (holder_card IS NULL OR holder_card = ?) ORDER BY received_at, id
                    """,
                arguments: [nik, cardDigest]
            ).map { row in
                let code: String = row["kind_code"]
                return PickupLetter(
                    id: row["id"], kindCode: code, title: catalogue[code]?.title ?? code, number: row["number"],
                    collectedOn: (row["collected_at"] as Int64?).map { Timestamp(millisecondsSince1970: $0).date() })
            }
        }
    }

    package func collect(
        _ letter: PickupLetter, by resident: Resident, card: CardUID, progress: @escaping @Sendable (Int) -> Void
    ) async -> PickupOutcome {
        guard let output else { return .failed(.offline) }
        guard records.diskGuard.hasRoom else { return .notRecorded(.diskFull) }
        let claim: Claim
        do {
            claim = try await self.claim(letter, resident: resident, card: card)
        } catch {
            return .notRecorded(.storageFailed)
        }
        switch claim {
        case .collectedBefore(let day):
            return .alreadyCollected(on: day)
        case .claimed(let recordID, let pdf, let day):
            progress(20)
            let outcome = await output.deliverUnchanged(
                pdf: [UInt8](pdf), title: "Ambil \(letter.kindCode) \(recordID)", progress: progress)
            switch outcome {
            case .printed, .pending:
                await records.recordPrintOutcome(outcome, for: recordID)
                return .printed(on: day)
            case .failed(let problem):
                await release(letter.id, recordID: recordID, outcome: outcome)
                return .failed(problem)
            }
        }
    }

    enum Claim {
        case claimed(RecordID, pdf: Data, on: CalendarDate)
        case collectedBefore(CalendarDate?)
    }

    /// Claims the letter, writes its collection record and outbox row, and opens its PDF, in one transaction.
    func claim(_ letter: PickupLetter, resident: Resident, card: CardUID) async throws -> Claim {
        let now = now()
        let id = RecordID(at: now)
        let personal = try sealer.seal(
            try JSONEncoder().encode(SealedFields(nik: resident.nik.digits, purpose: Self.purpose)), recordID: id.text)
        let nik = sealer.digest(resident.nik.digits, purpose: Self.nikPurpose)
        let cardDigest = sealer.digest(card.hex, purpose: Self.cardPurpose)
        let (sealer, records) = (self.sealer, self.records)
        let synced = records.clockSynced()
        let readyAt = now.millisecondsSince1970 + records.printGrace.milliseconds
        return try await database.pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM pickup_letter
                        WHERE id = ? AND holder_nik = ? AND (holder_card IS NULL OR holder_card = ?)
                        """,
                    arguments: [letter.id, nik, cardDigest])
            else { throw PickupError.notFound }
            if let collected = row["collected_at"] as Int64? {
                return .collectedBefore(Timestamp(millisecondsSince1970: collected).date())
            }
            let pdf = try sealer.open(row["pdf"], recordID: Self.sealContext(letter.id))
            guard let number = LetterNumber(row["number"] as String) else { throw PickupError.notFound }
            var record = ServiceRecordRow(
                id: id, kioskID: records.kioskID, village: records.village, letterCode: row["kind_code"],
                number: number, capturedAt: now, clockSynced: synced, personal: personal)
            record.pickupID = letter.id
            try record.insert(db)
            try OutboxRow(recordID: id.text, readyAt: readyAt).insert(db)
            try db.execute(
                sql: "UPDATE pickup_letter SET collected_at = ?, record_id = ? WHERE id = ?",
                arguments: [now.millisecondsSince1970, id.text, letter.id])
            return .claimed(id, pdf: pdf, on: now.date())
        }
    }

    /// A print that failed: the letter waits again and its record goes, unless the record reached the province
    /// already (sent as `pending` after the print grace), which then holds the letter collected: the record stays,
    /// marked failed.
    func release(_ id: String, recordID: RecordID, outcome: PrintOutcome) async {
        let released = try? await database.pool.write { db -> Bool in
            let unsent = try ServiceRecordRow.filter(key: recordID.text).fetchOne(db)?.acknowledgedAt == nil
            guard unsent else { return false }
            try ServiceRecordRow.deleteOne(db, key: recordID.text)
            try db.execute(
                sql: "UPDATE pickup_letter SET collected_at = NULL, record_id = NULL WHERE id = ?", arguments: [id])
            return true
        }
        if released != true { await records.recordPrintOutcome(outcome, for: recordID) }
    }

    enum PickupError: Error {
        case notFound
    }
}
