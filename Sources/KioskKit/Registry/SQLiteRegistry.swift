package import Core
import Foundation
package import GRDB

/// The resident registry in the kiosk database: who a card belongs to, whether a PIN is theirs, and how many wrong
/// PINs a card has had lately. Failed attempts live in the database, so neither taking the card away nor
/// restarting the kiosk (or pulling its plug) buys a guesser fresh attempts.
///
/// SQLite work runs through GRDB's async `read`/`write`, on GRDB's own queues; scrypt runs on a Dispatch queue
/// (`offThePool`). Neither holds a thread of the concurrency pool while it works.
package struct SQLiteRegistry: ResidentRegistry {
    let database: KioskDatabase
    /// Also match tags registered by a reader that reversed the UID's bytes (`registry.match_reversed_uids`).
    var matchReversed: Bool
    /// Wrong PINs before a card is locked (`identity.pin_attempts`).
    var pinAttempts: Int
    /// How long a card stays locked after its last wrong PIN (`identity.lockout_seconds`).
    var lockout: Duration
    /// The parameters new hashes get; older hashes keep theirs until the next correct PIN upgrades them.
    package var scrypt: ScryptParameters = .current
    /// The wall clock; tests pass their own.
    var now: @Sendable () -> Timestamp = { Timestamp.now() }

    init(
        database: KioskDatabase, matchReversed: Bool, pinAttempts: Int, lockout: Duration,
        scrypt: ScryptParameters = .current, now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) {
        self.database = database
        self.matchReversed = matchReversed
        self.pinAttempts = pinAttempts
        self.lockout = lockout
        self.scrypt = scrypt
        self.now = now
    }

    package init(database: KioskDatabase, settings: KioskSettings) {
        self.init(
            database: database, matchReversed: settings.registry.matchReversedUIDs,
            pinAttempts: settings.policy.pinAttempts, lockout: settings.policy.lockout)
    }

    /// A registered card and whose it is.
    package struct Holder: Sendable {
        var residentID: Int64
        package var resident: Resident
        /// The card's number (`card.number`): the key of its failed attempts.
        var cardNumber: String
        package var hasPIN: Bool
    }

    // MARK: ResidentRegistry

    package func lookUp(_ card: CardUID) async throws -> KioskEvent.Lookup {
        try await lookUp(card, at: now())
    }

    func lookUp(_ card: CardUID, at now: Timestamp) async throws -> KioskEvent.Lookup {
        try await database.pool.read { db in
            if try Self.isOperatorCard(card, db) { return .operatorCard }
            guard let holder = try holder(of: card, db) else { return .unknownCard }
            if try failures(of: holder.cardNumber, at: now, db) >= pinAttempts { return .locked }
            return .resident(holder.resident)
        }
    }

    package func verifyPIN(_ pin: PIN, for card: CardUID) async throws -> KioskEvent.PINCheck {
        try await verifyPIN(pin, for: card, at: now())
    }

    /// `.locked` while the card is locked, and also for the wrong PIN that locks it: the registry, not the
    /// session, is what remembers, so its answer holds after a restart too.
    func verifyPIN(_ pin: PIN, for card: CardUID, at now: Timestamp) async throws -> KioskEvent.PINCheck {
        let found = try await database.pool.read { db -> (Holder, PINHash?, locked: Bool)? in
            guard !(try Self.isOperatorCard(card, db)), let holder = try holder(of: card, db) else { return nil }
            let locked = try failures(of: holder.cardNumber, at: now, db) >= pinAttempts
            return (holder, locked ? nil : try Self.pinHash(of: holder.residentID, db), locked)
        }
        // A card no resident holds (unregistered by an import since it was looked up): nothing to count against.
        guard let (holder, stored, locked) = found else { return .rejected }
        if locked { return .locked }
        // A resident without a PIN is checked against a placeholder, so the answer takes as long either way.
        let hash = stored ?? placeholderHash
        let correct = try await offThePool { try hash.verifies(pin) } && stored != nil
        if correct {
            // Hashes made with older parameters are upgraded while the PIN is at hand.
            let upgrade =
                hash.parameters == scrypt
                ? nil : try await offThePool { [scrypt] in try PINHash.make(pin, parameters: scrypt) }
            return try await database.pool.write { db in
                // A concurrent check may have locked the card meanwhile.
                if try failures(of: holder.cardNumber, at: now, db) >= pinAttempts { return .locked }
                try PINFailureRow.deleteOne(db, key: holder.cardNumber)
                if let upgrade { try Self.store(upgrade, for: holder.residentID, at: now, db) }
                return .accepted
            }
        }
        return try await database.pool.write { db in
            let count = try failures(of: holder.cardNumber, at: now, db) + 1
            try PINFailureRow(cardNumber: holder.cardNumber, failures: count, lastFailureAt: now.millisecondsSince1970)
                .upsert(db)
            return count >= pinAttempts ? .locked : .rejected
        }
    }

    // MARK: Technician operations

    /// The resident holding `card`, whether or not it is locked; `nil` for unknown and operator cards.
    package func holder(of card: CardUID) async throws -> Holder? {
        try await database.pool.read { db in
            try Self.isOperatorCard(card, db) ? nil : try holder(of: card, db)
        }
    }

    package func isOperatorCard(_ card: CardUID) async throws -> Bool {
        try await database.pool.read { db in try Self.isOperatorCard(card, db) }
    }

    /// Stores a new PIN for the holder's resident and clears the card's failed attempts: the resident proved who
    /// they are to the person registering it.
    package func setPIN(_ pin: PIN, for holder: Holder, at now: Timestamp) async throws {
        let hash = try await offThePool { [scrypt] in try PINHash.make(pin, parameters: scrypt) }
        try await database.pool.write { db in
            try Self.store(hash, for: holder.residentID, at: now, db)
            try PINFailureRow.deleteOne(db, key: holder.cardNumber)
        }
    }

    /// Clears the card's failed attempts and so its lockout; returns how many there were (expired ones count 0).
    @discardableResult
    package func resetFailures(for holder: Holder, at now: Timestamp) async throws -> Int {
        try await database.pool.write { db in
            let count = try failures(of: holder.cardNumber, at: now, db)
            try PINFailureRow.deleteOne(db, key: holder.cardNumber)
            return count
        }
    }

    /// Makes the `operator_card` table hold exactly `cards` (configuration's `[operators] cards`).
    func syncOperatorCards(_ cards: [CardUID]) async throws {
        let wanted = cards.map(\.hex)
        try await database.pool.write { db in
            try OperatorCardRow.filter(!wanted.contains(Column("uid"))).deleteAll(db)
            for uid in wanted { try OperatorCardRow(uid: uid).insert(db, onConflict: .ignore) }
        }
    }

    func statistics(at now: Timestamp) async throws -> RegistryStatistics {
        try await database.pool.read { db in
            try RegistryStatistics(db, pinAttempts: pinAttempts, lockout: lockout, now: now)
        }
    }

    // MARK: Queries

    /// The card row naming `card`: found through the `number`/`hex` indexes, confirmed by Core's `CardTag`
    /// (a tag naming the card in reader order wins over one naming it reversed).
    private func holder(of card: CardUID, _ db: Database) throws -> Holder? {
        let forms = RegisteredTag.searchForms(for: card, reversed: matchReversed)
        let cards = try CardRow.filter(
            forms.numbers.contains(CardRow.Columns.number) || forms.hexes.contains(CardRow.Columns.hex)
        ).fetchAll(db)
        func matching(_ uid: CardUID) -> CardRow? {
            cards.first { CardTag($0.tag)?.matches(uid) == true }
        }
        guard let found = matching(card) ?? (matchReversed ? matching(card.reversed) : nil),
            let row = try ResidentRow.fetchOne(db, key: found.residentID)
        else { return nil }
        return Holder(
            residentID: found.residentID, resident: try row.resident(tag: found.tag), cardNumber: found.number,
            hasPIN: try PINRow.exists(db, key: found.residentID))
    }

    /// Wrong PINs that still count: those of the last `lockout`. A last failure more than `lockout` in the
    /// future means the clock was set back (a kiosk without RTC booting offline) and is not held against the card
    /// forever; within that, the card stays locked at most twice the lockout.
    private func failures(of cardNumber: String, at now: Timestamp, _ db: Database) throws -> Int {
        guard let row = try PINFailureRow.fetchOne(db, key: cardNumber) else { return 0 }
        return abs(now.millisecondsSince1970 - row.lastFailureAt) < lockout.milliseconds ? row.failures : 0
    }

    private static func isOperatorCard(_ card: CardUID, _ db: Database) throws -> Bool {
        try OperatorCardRow.exists(db, key: card.hex)
    }

    private static func pinHash(of residentID: Int64, _ db: Database) throws -> PINHash? {
        try PINRow.fetchOne(db, key: residentID)?.pinHash
    }

    static func store(_ hash: PINHash, for residentID: Int64, at now: Timestamp, _ db: Database) throws {
        try PINRow(hash, residentID: residentID, setAt: now).upsert(db)
    }

    /// What a PIN check of a resident without a PIN hashes against: never matches, costs the same.
    private var placeholderHash: PINHash {
        PINHash(
            hash: [UInt8](repeating: 0, count: PINHash.hashLength),
            salt: [UInt8](repeating: 0, count: PINHash.saltLength), parameters: scrypt)
    }
}

/// The registry in numbers, for `kiosk doctor` and the start-up log.
package struct RegistryStatistics: Equatable, Sendable {
    package var residents: Int
    package var cards: Int
    package var pins: Int
    package var lockedCards: Int

    package static let empty = RegistryStatistics(residents: 0, cards: 0, pins: 0, lockedCards: 0)

    init(residents: Int, cards: Int, pins: Int, lockedCards: Int) {
        self.residents = residents
        self.cards = cards
        self.pins = pins
        self.lockedCards = lockedCards
    }

    package init(_ db: Database, pinAttempts: Int, lockout: Duration, now: Timestamp) throws {
        residents = try ResidentRow.fetchCount(db)
        cards = try CardRow.fetchCount(db)
        pins = try PINRow.fetchCount(db)
        lockedCards =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM pin_failure JOIN card ON card.number = pin_failure.card_number
                    WHERE failures >= ? AND abs(? - last_failure_at) < ?
                    """,
                arguments: [pinAttempts, now.millisecondsSince1970, lockout.milliseconds]) ?? 0
    }
}
