import GRDB

/// The tables of service records, their letter numbers and the outbox (`records-v1`).
package enum RecordSchema {
    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("records-v1") { db in
            // The last number given in each series; bumped in the transaction that writes the record, so a number
            // is never given twice, even across a crash between printing and the next letter.
            try db.execute(
                sql: """
                    CREATE TABLE letter_series (
                        kind_code TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        last_serial INTEGER NOT NULL CHECK (last_serial > 0),
                        PRIMARY KEY (kind_code, year)
                    ) STRICT;
                    """)
            // One row per letter issued. What identifies the resident (the NIK, and the purpose they typed or
            // chose) is sealed in `personal` with AES-GCM, the record id as associated data, so a sealed blob moved
            // to another row does not open. Sealing protects these fields only as far as the key is kept apart
            // from the disk: the package gives it to kiosk.service as a credential encrypted to the TPM2 (or to the
            // host key, which is on the same disk), and only a development setup keeps record.key beside the
            // database, where a stolen disk opens them (docs/DEPLOY.md). The resident registry is sealed the same
            // way since registry-v4, under keys derived from the record key (RegistryKeys).
            try db.execute(
                sql: """
                    CREATE TABLE service_record (
                        id TEXT PRIMARY KEY,                -- ULID: capture order, and the upload's idempotency key
                        kiosk_id TEXT NOT NULL,
                        village_code TEXT NOT NULL,
                        letter_code TEXT NOT NULL,
                        letter_number TEXT NOT NULL UNIQUE,
                        captured_at INTEGER NOT NULL,       -- milliseconds since 1970
                        clock_synced INTEGER NOT NULL,
                        print_outcome TEXT NOT NULL DEFAULT 'pending',  -- pending, printed, or a PrinterProblem
                        personal BLOB NOT NULL,
                        acknowledged_at INTEGER             -- the province has it; purged after the retention
                    ) STRICT;
                    """)
            // What the uploader still has to send. A row leaves only when the server acknowledged the record.
            // `ready_at` holds a record back while its letter prints (so the upload carries the print outcome);
            // a row the server rejected stays, with the reason, for an operator: it is never dropped.
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        record_id TEXT PRIMARY KEY REFERENCES service_record(id) ON DELETE CASCADE,
                        ready_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        rejected_reason TEXT
                    ) STRICT;
                    CREATE INDEX outbox_rejected ON outbox(rejected_reason) WHERE rejected_reason IS NOT NULL;
                    """)
            // Small facts about the device: its enrollment, the registry cursor, the last upload and error.
            try db.execute(sql: "CREATE TABLE device_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;")
        }
    }
}
