import Core
import Crypto
import Foundation
import GRDB
import ProvincialAPI

/// The reference server's state in SQLite: enrollment tokens, kiosks and their keys, applied records (each id at
/// most once), a journal of every application (so a test can prove nothing was applied twice), recent nonces,
/// the latest heartbeat per kiosk, and the registry's change log.
struct APIStore: Sendable {
    let pool: DatabasePool

    init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(
            path: (directory as NSString).appendingPathComponent("api.sqlite"), configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("api-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE token (token TEXT PRIMARY KEY, village_code TEXT NOT NULL, village_name TEXT NOT NULL,
                        used_by TEXT);
                    CREATE TABLE kiosk (id TEXT PRIMARY KEY, village_code TEXT NOT NULL, public_key BLOB NOT NULL,
                        enrolled_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
                    CREATE TABLE record (id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, village_code TEXT NOT NULL,
                        letter_code TEXT NOT NULL, letter_number TEXT NOT NULL, purpose TEXT NOT NULL,
                        resident_nik TEXT NOT NULL, captured_at REAL NOT NULL, clock_synced INTEGER NOT NULL,
                        print_outcome TEXT NOT NULL, print_problem TEXT, received_at REAL NOT NULL);
                    CREATE INDEX record_number ON record(kiosk_id, letter_number);
                    CREATE TABLE application (seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL);
                    CREATE TABLE delivery (outcome TEXT PRIMARY KEY, count INTEGER NOT NULL);
                    CREATE TABLE nonce (key_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL,
                        PRIMARY KEY (key_id, nonce));
                    CREATE TABLE heartbeat (kiosk_id TEXT PRIMARY KEY, body TEXT NOT NULL, received_at REAL NOT NULL);
                    CREATE TABLE registry_change (seq INTEGER PRIMARY KEY AUTOINCREMENT, village_code TEXT NOT NULL,
                        nik TEXT NOT NULL, body TEXT NOT NULL);
                    """)
        }
        // The salt of each record's letter (`LetterSalt`), so a scanned QR finds its record without listing any.
        migrator.registerMigration("api-v2-letter-salt") { db in
            try db.execute(sql: "ALTER TABLE record ADD COLUMN seal_salt TEXT")
            for id in try String.fetchAll(db, sql: "SELECT id FROM record") {
                try db.execute(
                    sql: "UPDATE record SET seal_salt = ? WHERE id = ?", arguments: [Self.salt(recordID: id), id])
            }
            try db.execute(sql: "CREATE INDEX record_salt ON record(seal_salt)")
        }
        // The village boards (`--board`), each with its ETag: a digest of the body, so the same board gives the same
        // tag across restarts.
        migrator.registerMigration("api-v3-board") { db in
            try db.execute(
                sql: "CREATE TABLE board (village_code TEXT PRIMARY KEY, etag TEXT NOT NULL, body BLOB NOT NULL)")
        }
        // Letters prepared elsewhere (`--pickups`): each request's OpenSID state (3 Siap Diambil, 4 Sudah Diambil,
        // 5 Dibatalkan), and the change log the kiosks of `served_to` follow with a cursor. `served_to` is the
        // village whose kiosks get the change; it differs from the letter's own only to play a hostile province.
        migrator.registerMigration("api-v4-pickups") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pickup (id TEXT PRIMARY KEY, village_code TEXT NOT NULL, served_to TEXT NOT NULL,
                        state INTEGER NOT NULL, collected_by TEXT);
                    CREATE TABLE pickup_change (seq INTEGER PRIMARY KEY AUTOINCREMENT, served_to TEXT NOT NULL,
                        body BLOB NOT NULL);
                    """)
        }
        // The key that signs the server's answers, kept so a restarted server still signs as the kiosks know it.
        migrator.registerMigration("api-v4-response-key") { db in
            try db.execute(sql: "CREATE TABLE response_key (id INTEGER PRIMARY KEY CHECK (id = 1), raw BLOB NOT NULL)")
            try db.execute(
                sql: "INSERT INTO response_key (id, raw) VALUES (1, ?)",
                arguments: [Curve25519.Signing.PrivateKey().rawRepresentation])
        }
        migrator.registerMigration("api-v4-survey") { db in
            try db.execute(
                sql: """
                    CREATE TABLE survey_day (kiosk_id TEXT NOT NULL, date TEXT NOT NULL, body TEXT NOT NULL,
                        PRIMARY KEY (kiosk_id, date))
                    """)
        }
        migrator.registerMigration("api-v5-tickets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE ticket (id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, village_code TEXT NOT NULL,
                        date TEXT NOT NULL, number TEXT NOT NULL, body TEXT NOT NULL,
                        UNIQUE (village_code, date, number))
                    """)
        }
        try migrator.migrate(pool)
    }

    /// The raw private key that signs the server's answers.
    func responseKey() throws -> Data {
        try pool.read { db in try Data.fetchOne(db, sql: "SELECT raw FROM response_key WHERE id = 1")! }
    }

    /// A record's letter salt in upper-case hex, as the QR spells it.
    static func salt(recordID: String) -> String {
        LetterSalt.derive(recordID: recordID).map { String(format: "%02X", $0) }.joined()
    }

    func addToken(_ token: String, villageCode: String, villageName: String) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO token (token, village_code, village_name) VALUES (?, ?, ?)",
                arguments: [token, villageCode, villageName])
        }
    }

    /// Replaces the registry change log of a village with `changes` (the simulator's `--registry` file).
    func loadRegistry(villageCode: String, changes: [RegistryChange]) throws {
        let encoder = APIJSON.encoder()
        try pool.write { db in
            try db.execute(sql: "DELETE FROM registry_change WHERE village_code = ?", arguments: [villageCode])
            for change in changes {
                try db.execute(
                    sql: "INSERT INTO registry_change (village_code, nik, body) VALUES (?, ?, ?)",
                    arguments: [villageCode, change.nik, String(decoding: try encoder.encode(change), as: UTF8.self)])
            }
        }
    }

    /// Replaces the village board of `board.villageCode` (the simulator's `--board` file).
    func loadBoard(_ board: Board) throws {
        let body = try APIJSON.encoder().encode(board)
        let etag = "\"" + SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
        try pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO board (village_code, etag, body) VALUES (?, ?, ?)",
                arguments: [board.villageCode, etag, body])
        }
    }

    /// The board of a village and its ETag, as stored.
    func board(villageCode: String) throws -> (etag: String, body: Data)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT etag, body FROM board WHERE village_code = ?", arguments: [villageCode])
                .map { ($0["etag"], $0["body"]) }
        }
    }

    /// Adds prepared letters at 3 Siap Diambil (the simulator's `--pickups` file); a letter already known is left as
    /// it is, so a restart does not make a collected letter ready again.
    func loadPickups(_ letters: [PickupChange], servedTo: [String: String] = [:]) throws {
        let encoder = APIJSON.encoder()
        try pool.write { db in
            for letter in letters {
                let village = servedTo[letter.id] ?? letter.villageCode
                try db.execute(
                    sql: "INSERT OR IGNORE INTO pickup (id, village_code, served_to, state) VALUES (?, ?, ?, 3)",
                    arguments: [letter.id, letter.villageCode, village])
                guard db.changesCount == 1 else { continue }
                try db.execute(
                    sql: "INSERT INTO pickup_change (served_to, body) VALUES (?, ?)",
                    arguments: [village, try encoder.encode(letter)])
            }
        }
    }

    func pickupPage(villageCode: String, after cursor: Int64, limit: Int) throws -> PickupPage {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, body FROM pickup_change WHERE served_to = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [villageCode, cursor, limit + 1])
            let page = rows.prefix(limit)
            let decoder = APIJSON.decoder()
            return PickupPage(
                changes: try page.map { try decoder.decode(PickupChange.self, from: $0["body"] as Data) },
                cursor: "\(page.last.map { $0["seq"] as Int64 } ?? cursor)", more: rows.count > limit)
        }
    }

    /// A collection accepted: the request moves from 3 Siap Diambil to 4 Sudah Diambil, and the village's kiosks
    /// learn it at their next sync. A failed print collects nothing; a letter not at 3 stays as it is.
    private static func collect(_ record: ServiceRecordUpload, _ db: Database) throws {
        guard let id = record.pickupId, record.printOutcome != .failed else { return }
        try db.execute(
            sql: "UPDATE pickup SET state = 4, collected_by = ? WHERE id = ? AND village_code = ? AND state = 3",
            arguments: [record.id, id, record.villageCode])
        guard db.changesCount == 1 else { return }
        let servedTo = try String.fetchOne(db, sql: "SELECT served_to FROM pickup WHERE id = ?", arguments: [id])!
        try db.execute(
            sql: "INSERT INTO pickup_change (served_to, body) VALUES (?, ?)",
            arguments: [
                servedTo,
                try APIJSON.encoder().encode(
                    PickupChange(id: id, villageCode: record.villageCode, status: .collected)),
            ])
    }

    enum EnrollOutcome {
        case enrolled(Enrollment)
        case unknownToken, tokenUsed
    }

    func enroll(token: String, publicKey: Data) throws -> EnrollOutcome {
        let serverKey = try Curve25519.Signing.PrivateKey(rawRepresentation: try responseKey()).publicKey
            .rawRepresentation.base64EncodedString()
        return try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM token WHERE token = ?", arguments: [token]) else {
                return .unknownToken
            }
            if (row["used_by"] as String?) != nil { return .tokenUsed }
            let village: String = row["village_code"]
            let count = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM kiosk WHERE village_code = ?", arguments: [village])!
            let id = "\(village)-\(String(format: "%02d", count + 1))"
            try db.execute(
                sql: "INSERT INTO kiosk (id, village_code, public_key, enrolled_at) VALUES (?, ?, ?, ?)",
                arguments: [id, village, publicKey, Date().timeIntervalSince1970])
            try db.execute(sql: "UPDATE token SET used_by = ? WHERE token = ?", arguments: [id, token])
            return .enrolled(
                Enrollment(kioskId: id, villageCode: village, villageName: row["village_name"], serverKey: serverKey))
        }
    }

    struct Kiosk: Sendable {
        var id: String
        var villageCode: String
        var publicKey: Data
    }

    func kiosk(_ id: String) throws -> Kiosk? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM kiosk WHERE id = ? AND revoked = 0", arguments: [id]).map {
                Kiosk(id: $0["id"], villageCode: $0["village_code"], publicKey: $0["public_key"])
            }
        }
    }

    func keys() throws -> [KioskKey] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM kiosk ORDER BY id").map {
                KioskKey(
                    kioskId: $0["id"], villageCode: $0["village_code"],
                    publicKey: ($0["public_key"] as Data).base64EncodedString(),
                    enrolledAt: Date(timeIntervalSince1970: $0["enrolled_at"]), revoked: $0["revoked"])
            }
        }
    }

    /// Remembers a nonce for the replay window; false when it was seen within it.
    func useNonce(_ nonce: String, keyID: String, now: Int64, window: Int64) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM nonce WHERE expires_at < ?", arguments: [now])
            try db.execute(
                sql: "INSERT OR IGNORE INTO nonce (key_id, nonce, expires_at) VALUES (?, ?, ?)",
                arguments: [keyID, nonce, now + 2 * window])
            return db.changesCount == 1
        }
    }

    /// Applies each valid record at most once: a known id is a duplicate, whatever its content.
    func apply(_ records: [ServiceRecordUpload], from kiosk: Kiosk) throws -> [RecordResult] {
        try pool.write { db in
            var results: [RecordResult] = []
            for record in records {
                if let reason = Self.problem(record, kiosk: kiosk) {
                    results.append(RecordResult(id: record.id, status: .rejected, reason: reason))
                    try Self.count("rejected", db)
                    continue
                }
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO record (id, kiosk_id, village_code, letter_code, letter_number, purpose,
                            resident_nik, captured_at, clock_synced, print_outcome, print_problem, received_at,
                            seal_salt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.id, record.kioskId, record.villageCode, record.letterCode, record.letterNumber,
                        record.purpose, record.residentNik, record.capturedAt.timeIntervalSince1970,
                        record.clockSynced, record.printOutcome.rawValue, record.printProblem,
                        Date().timeIntervalSince1970, Self.salt(recordID: record.id),
                    ])
                if db.changesCount == 1 {
                    try db.execute(sql: "INSERT INTO application (record_id) VALUES (?)", arguments: [record.id])
                    try Self.collect(record, db)
                    results.append(RecordResult(id: record.id, status: .accepted))
                    try Self.count("accepted", db)
                } else {
                    results.append(RecordResult(id: record.id, status: .duplicate))
                    try Self.count("duplicate", db)
                }
            }
            return results
        }
    }

    private static func count(_ outcome: String, _ db: Database) throws {
        try db.execute(
            sql:
                "INSERT INTO delivery (outcome, count) VALUES (?, 1) ON CONFLICT (outcome) DO UPDATE SET count = count + 1",
            arguments: [outcome])
    }

    static func problem(_ record: ServiceRecordUpload, kiosk: Kiosk) -> String? {
        let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        if record.id.count != 26 || !record.id.allSatisfy(crockford.contains) { return "id: not a ULID" }
        if record.kioskId != kiosk.id { return "kioskId: not the kiosk that signed the request" }
        if record.villageCode != kiosk.villageCode { return "villageCode: the kiosk is enrolled for another village" }
        if record.residentNik.count != 16 || !record.residentNik.allSatisfy(\.isASCII)
            || !record.residentNik.allSatisfy(\.isNumber)
        {
            return "residentNik: expected 16 digits"
        }
        if record.letterNumber.isEmpty || record.letterCode.isEmpty { return "letterNumber: empty" }
        return nil
    }

    /// Applies each valid queue ticket at most once (a known id is a duplicate); a number the village already has
    /// for that day under another id is rejected: the province's own check that numbers are never given twice.
    func apply(_ tickets: [QueueTicketUpload], from kiosk: Kiosk) throws -> [RecordResult] {
        try pool.write { db in
            var results: [RecordResult] = []
            for ticket in tickets {
                if try Int.fetchOne(db, sql: "SELECT 1 FROM ticket WHERE id = ?", arguments: [ticket.id]) != nil {
                    results.append(RecordResult(id: ticket.id, status: .duplicate))
                    continue
                }
                if let reason = Self.problem(ticket, kiosk: kiosk) {
                    results.append(RecordResult(id: ticket.id, status: .rejected, reason: reason))
                    continue
                }
                let taken = try Int.fetchOne(
                    db, sql: "SELECT 1 FROM ticket WHERE village_code = ? AND date = ? AND number = ?",
                    arguments: [ticket.villageCode, ticket.date, ticket.number])
                if taken != nil {
                    results.append(
                        RecordResult(
                            id: ticket.id, status: .rejected,
                            reason: "number: \(ticket.number) was given to another ticket on \(ticket.date)"))
                    continue
                }
                let body = String(decoding: try APIJSON.encoder().encode(ticket), as: UTF8.self)
                try db.execute(
                    sql: """
                        INSERT INTO ticket (id, kiosk_id, village_code, date, number, body)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [ticket.id, ticket.kioskId, ticket.villageCode, ticket.date, ticket.number, body])
                results.append(RecordResult(id: ticket.id, status: .accepted))
            }
            return results
        }
    }

    static func problem(_ ticket: QueueTicketUpload, kiosk: Kiosk) -> String? {
        let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        if ticket.id.count != 26 || !ticket.id.allSatisfy(crockford.contains) { return "id: not a ULID" }
        if ticket.kioskId != kiosk.id { return "kioskId: not the kiosk that signed the request" }
        if ticket.villageCode != kiosk.villageCode { return "villageCode: the kiosk is enrolled for another village" }
        if CalendarDate(iso: ticket.date) == nil { return "date: expected YYYY-MM-DD" }
        if ticket.number.isEmpty || ticket.service.isEmpty { return "number and service: not empty" }
        if let nik = ticket.residentNik, nik.count != 16 || !nik.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "residentNik: expected 16 digits, or none"
        }
        return nil
    }

    func saveHeartbeat(_ heartbeat: Heartbeat, body: Data) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO heartbeat (kiosk_id, body, received_at) VALUES (?, ?, ?)",
                arguments: [heartbeat.kioskId, String(decoding: body, as: UTF8.self), Date().timeIntervalSince1970])
        }
    }

    /// A day's survey totals; the same kiosk and date again replace them (a resend never counts twice).
    func saveSurveyDay(_ day: SurveyDay, body: Data) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO survey_day (kiosk_id, date, body) VALUES (?, ?, ?)",
                arguments: [day.kioskId, day.date, String(decoding: body, as: UTF8.self)])
        }
    }

    func registryPage(villageCode: String, after cursor: Int64, limit: Int) throws -> RegistryPage {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT seq, body FROM registry_change WHERE village_code = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [villageCode, cursor, limit + 1])
            let page = rows.prefix(limit)
            let decoder = APIJSON.decoder()
            return RegistryPage(
                changes: try page.map {
                    try decoder.decode(RegistryChange.self, from: Data(($0["body"] as String).utf8))
                },
                cursor: "\(page.last.map { $0["seq"] as Int64 } ?? cursor)", more: rows.count > limit)
        }
    }

    /// The province's record of the letter whose QR has `salt` (upper-case hex), from any kiosk.
    struct LetterRecord: Sendable {
        var kioskID: String
        var villageCode: String
        var letterCode: String
        var letterNumber: String
        var residentNIK: String
        var capturedAt: Date
    }

    func letterRecord(salt: String) throws -> LetterRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM record WHERE seal_salt = ?", arguments: [salt]).map {
                LetterRecord(
                    kioskID: $0["kiosk_id"], villageCode: $0["village_code"], letterCode: $0["letter_code"],
                    letterNumber: $0["letter_number"], residentNIK: $0["resident_nik"],
                    capturedAt: Date(timeIntervalSince1970: $0["captured_at"]))
            }
        }
    }

    /// The village's name as the enrollment token named it.
    func villageName(code: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT village_name FROM token WHERE village_code = ? ORDER BY used_by IS NULL LIMIT 1",
                arguments: [code])
        }
    }

    /// A resident's name from the village's registry (its latest change), `nil` when the province does not know
    /// them or they left the village.
    func residentName(villageCode: String, nik: String) throws -> String? {
        try pool.read { db in
            guard
                let body = try String.fetchOne(
                    db,
                    sql:
                        "SELECT body FROM registry_change WHERE village_code = ? AND nik = ? ORDER BY seq DESC LIMIT 1",
                    arguments: [villageCode, nik]),
                let change = try? APIJSON.decoder().decode(RegistryChange.self, from: Data(body.utf8)),
                !change.removed
            else { return nil }
            return change.resident?.name
        }
    }

    /// What the server holds, for `kiosk-sim api records` and the tests.
    struct Summary: Codable {
        var records: [AppliedRecord]
        var deliveries: [String: Int]
        var heartbeats: [String: String]
        /// Prepared letters: id → OpenSID state, `3 Siap Diambil`, `4 Sudah Diambil`, `5 Dibatalkan`.
        var pickups: [String: String] = [:]
        /// Survey totals by `kioskId date`.
        var surveys: [String: String] = [:]
        /// Queue tickets by id, as applied (the body the kiosk sent).
        var tickets: [String: String] = [:]
    }

    struct AppliedRecord: Codable {
        var id: String
        var kioskId: String
        var letterNumber: String
        var letterCode: String
        /// Masked: region and serial only.
        var nik: String
        var clockSynced: Bool
        var printOutcome: String
        /// How many times the server applied this id: 1, or the idempotency broke.
        var applications: Int
    }

    func summary() throws -> Summary {
        try pool.read { db in
            let records = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, (SELECT count(*) FROM application a WHERE a.record_id = r.id) AS applications
                    FROM record r ORDER BY r.id
                    """
            ).map { row in
                let nik: String = row["resident_nik"]
                return AppliedRecord(
                    id: row["id"], kioskId: row["kiosk_id"], letterNumber: row["letter_number"],
                    letterCode: row["letter_code"], nik: String(nik.prefix(6)) + "******" + String(nik.suffix(4)),
                    clockSynced: row["clock_synced"], printOutcome: row["print_outcome"],
                    applications: row["applications"])
            }
            var deliveries: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM delivery") { deliveries[row["outcome"]] = row["count"] }
            var heartbeats: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM heartbeat") {
                heartbeats[row["kiosk_id"]] = row["body"]
            }
            var pickups: [String: String] = [:]
            let names = [3: "3 Siap Diambil", 4: "4 Sudah Diambil", 5: "5 Dibatalkan"]
            for row in try Row.fetchAll(db, sql: "SELECT id, state FROM pickup") {
                pickups[row["id"]] = names[row["state"] as Int] ?? "\(row["state"] as Int)"
            }
            
            var surveys: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM survey_day") {
                surveys["\(row["kiosk_id"] as String) \(row["date"] as String)"] = row["body"]
            }
            var tickets: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, body FROM ticket") { tickets[row["id"]] = row["body"] }
            return Summary(
                records: records, deliveries: deliveries, heartbeats: heartbeats, pickups: pickups, surveys: surveys,
                tickets: tickets)
        }
    }
}
