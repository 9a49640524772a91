import Foundation
import GRDB

/// The registry's tables: residents, their registered cards, their PIN hashes, failed PIN attempts, and the
/// operators' cards. Since registry-v4 a resident's fields and a card's tag are sealed under `keys`, and rows are
/// found through keyed indexes (`RegistryKeys`).
package enum RegistrySchema {
    static func registerMigrations(in migrator: inout DatabaseMigrator, keys: RegistryKeys) {
        migrator.registerMigration("registry-v1") { db in
            // One row per resident as OpenSID exports them; the NIK is the key OpenSID and the province share.
            try db.execute(
                sql: """
                    CREATE TABLE resident (
                        id INTEGER PRIMARY KEY,
                        nik TEXT NOT NULL UNIQUE CHECK (length(nik) = 16),
                        name TEXT NOT NULL,
                        birth_place TEXT NOT NULL,
                        birth_date TEXT NOT NULL,           -- YYYY-MM-DD
                        sex TEXT NOT NULL CHECK (sex IN ('L', 'P')),
                        address TEXT NOT NULL,
                        hamlet TEXT NOT NULL,               -- dusun
                        rt TEXT NOT NULL,
                        rw TEXT NOT NULL,
                        religion TEXT NOT NULL,
                        marital_status TEXT NOT NULL,
                        occupation TEXT NOT NULL,
                        nationality TEXT NOT NULL
                    ) STRICT;
                    """)
            // A resident's registered card. `tag` is OpenSID's tag_id_card as registered (decimal or hex);
            // `number` is the card's number in decimal without leading zeros (for a hex tag, the number of its
            // UID), so a card tapped on any reader is found through one index whatever form the tag took, and two
            // tags that name the same card cannot both be registered. `hex` keeps the UID of hex tags.
            try db.execute(
                sql: """
                    CREATE TABLE card (
                        id INTEGER PRIMARY KEY,
                        resident_id INTEGER NOT NULL UNIQUE REFERENCES resident(id) ON DELETE CASCADE,
                        tag TEXT NOT NULL UNIQUE,
                        number TEXT NOT NULL UNIQUE,
                        hex TEXT UNIQUE
                    ) STRICT;
                    """)
            // The resident's PIN: an scrypt hash with its own salt and cost parameters, so the parameters can be
            // raised later and old hashes still verify (and are upgraded on the next correct PIN).
            try db.execute(
                sql: """
                    CREATE TABLE pin (
                        resident_id INTEGER PRIMARY KEY REFERENCES resident(id) ON DELETE CASCADE,
                        hash BLOB NOT NULL,
                        salt BLOB NOT NULL,
                        scrypt_n INTEGER NOT NULL,
                        scrypt_r INTEGER NOT NULL,
                        scrypt_p INTEGER NOT NULL,
                        set_at INTEGER NOT NULL             -- milliseconds since 1970
                    ) STRICT;
                    """)
            // Wrong PINs per card (keyed by the card's number, so a lockout outlives a re-import that rewrites
            // the card row), counted until `lockout` has passed since the last one. Persisting them is what
            // stops a restart (or a power cut) from buying fresh attempts.
            try db.execute(
                sql: """
                    CREATE TABLE pin_failure (
                        card_number TEXT PRIMARY KEY,
                        failures INTEGER NOT NULL CHECK (failures > 0),
                        last_failure_at INTEGER NOT NULL    -- milliseconds since 1970
                    ) STRICT;
                    """)
            // Operators' cards from `[operators] cards`, synced at start: the UID in hex, reader order.
            try db.execute(sql: "CREATE TABLE operator_card (uid TEXT PRIMARY KEY) STRICT;")
        }
        migrator.registerMigration("registry-v2") { db in
            // Every wrong PIN since the last right one (or `kiosk pin reset`), whatever the lockout window: at
            // `identity.hard_lock_after` the card stays locked until an operator lifts it. `failures` still counts
            // the window's.
            try db.execute(sql: "ALTER TABLE pin_failure ADD COLUMN total INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "UPDATE pin_failure SET total = failures")
            // An operator card's own PIN (a UID can be cloned; the card alone never opens maintenance), hashed as a
            // resident's. Its wrong PINs count in pin_failure under `operator:<uid>`.
            try db.execute(
                sql: """
                    CREATE TABLE operator_pin (
                        uid TEXT PRIMARY KEY REFERENCES operator_card(uid) ON DELETE CASCADE,
                        hash BLOB NOT NULL,
                        salt BLOB NOT NULL,
                        scrypt_n INTEGER NOT NULL,
                        scrypt_r INTEGER NOT NULL,
                        scrypt_p INTEGER NOT NULL,
                        set_at INTEGER NOT NULL             -- milliseconds since 1970
                    ) STRICT;
                    """)
        }
        migrator.registerMigration("registry-v3") { db in
            // PIN hashes peppered with a secret kept outside the database (PINPepper). Rows from before stay
            // unpeppered until the next start peppers them (SQLiteRegistry.pepperStoredPINs).
            try db.execute(sql: "ALTER TABLE pin ADD COLUMN peppered INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "ALTER TABLE operator_pin ADD COLUMN peppered INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("registry-v4") { db in
            try sealRegistry(keys: keys, db)
        }
    }

    /// registry-v4: the plaintext `resident` and `card` tables of registry-v1 rebuilt sealed, and the card numbers in
    /// `pin_failure` replaced by their index. One transaction (GRDB's, foreign keys checked at its end), so a crash
    /// leaves the old tables or the new, never a mix. The plaintext stays in the file's free pages until
    /// `KioskDatabase` vacuums it away right after (`registry_seal.vacuumed`, so a crash before that vacuums at the
    /// next open).
    static func sealRegistry(keys: RegistryKeys, _ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE resident_sealed (
                    id INTEGER PRIMARY KEY,
                    nik_index BLOB NOT NULL UNIQUE,     -- HMAC of the NIK under the registry's index key
                    personal BLOB NOT NULL              -- every field OpenSID exports, sealed (ResidentRow)
                ) STRICT;
                CREATE TABLE card_sealed (
                    id INTEGER PRIMARY KEY,
                    resident_id INTEGER NOT NULL UNIQUE REFERENCES resident(id) ON DELETE CASCADE,
                    number_index BLOB NOT NULL UNIQUE,  -- HMAC of the card's number in decimal
                    hex_index BLOB UNIQUE,              -- HMAC of the UID of a tag registered in hex
                    tag BLOB NOT NULL                   -- tag_id_card as registered, sealed
                ) STRICT;
                """)
        for row in try Row.fetchAll(db, sql: "SELECT * FROM resident") {
            let sealed = try ResidentRow(try ResidentFields(row: row), id: row["id"], keys: keys)
            try db.execute(
                sql: "INSERT INTO resident_sealed (id, nik_index, personal) VALUES (?, ?, ?)",
                arguments: [sealed.id, sealed.nikIndex, sealed.personal])
        }
        var failureKeys: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, resident_id, tag, number, hex FROM card") {
            let number: String = row["number"]
            let numberIndex = keys.index(cardNumber: number)
            try db.execute(
                sql: "INSERT INTO card_sealed (id, resident_id, number_index, hex_index, tag) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    row["id"], row["resident_id"], numberIndex, (row["hex"] as String?).map { keys.index(cardHex: $0) },
                    try keys.seal(Data((row["tag"] as String).utf8), context: CardRow.context(numberIndex)),
                ])
            failureKeys[number] = numberIndex.lowercaseHex
        }
        // Wrong PINs were counted by card number; a card no longer registered has nothing to count against.
        for row in try Row.fetchAll(
            db, sql: "SELECT card_number FROM pin_failure WHERE card_number NOT LIKE 'operator:%'")
        {
            let number: String = row["card_number"]
            if let key = failureKeys[number] {
                try db.execute(
                    sql: "UPDATE pin_failure SET card_number = ? WHERE card_number = ?", arguments: [key, number])
            } else {
                try db.execute(sql: "DELETE FROM pin_failure WHERE card_number = ?", arguments: [number])
            }
        }
        try db.execute(
            sql: """
                DROP TABLE card;
                DROP TABLE resident;
                ALTER TABLE resident_sealed RENAME TO resident;
                ALTER TABLE card_sealed RENAME TO card;
                CREATE TABLE registry_seal (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    key_check BLOB NOT NULL,            -- RegistryKeys.check: which key sealed this registry
                    vacuumed INTEGER NOT NULL           -- whether the plaintext's free pages are gone
                ) STRICT;
                """)
        try db.execute(
            sql: "INSERT INTO registry_seal (id, key_check, vacuumed) VALUES (1, ?, 0)", arguments: [keys.check])
    }
}
