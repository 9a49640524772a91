package import Core
import Drivers
import Foundation
package import GRDB

/// The resident registry in the kiosk database: who a card belongs to, whether a PIN is theirs, and how many wrong
/// PINs a card has had lately. Failed attempts live in the database, so neither taking the card away nor
/// restarting the kiosk (or pulling its plug) buys a guesser fresh attempts.
///
/// SQLite work runs through GRDB's async `read`/`write`, on GRDB's own queues; scrypt runs on a Dispatch queue
/// (`BlockingQueue`). Neither holds a thread of the concurrency pool while it works.
package struct SQLiteRegistry: ResidentRegistry {
    let database: KioskDatabase

    /// One scrypt hash (tens of milliseconds of CPU), on a queue and so a thread of its own.
    private static func hashing<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingQueue(label: "kiosk.pin-hash").run(work)
    }
    /// Also match tags registered by a reader that reversed the UID's bytes (`registry.match_reversed_uids`).
    var matchReversed: Bool
    /// Wrong PINs before a card is locked (`identity.pin_attempts`).
    var pinAttempts: Int
    /// How long a card stays locked after its last wrong PIN (`identity.lockout_seconds`).
    var lockout: Duration
    /// Wrong PINs in all after which a card stays locked until `kiosk pin reset` (`identity.hard_lock_after`).
    var hardLimit: Int
    /// The parameters new hashes get; older hashes keep theirs until the next correct PIN upgrades them.
    package var scrypt: ScryptParameters = .current
    /// Mixed into every stored hash, so the database alone cannot be used to guess PINs.
    let pepper: PINPepper
    /// The wall clock; tests pass their own.
    var now: @Sendable () -> Timestamp = { Timestamp.now() }

    init(
        database: KioskDatabase, matchReversed: Bool, pinAttempts: Int, lockout: Duration, hardLimit: Int = 10,
        pepper: PINPepper, scrypt: ScryptParameters = .current,
        now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) {
        self.database = database
        self.pepper = pepper
        self.matchReversed = matchReversed
        self.pinAttempts = pinAttempts
        // The configuration refuses less; a registry made in code gets the same floor.
        self.lockout = max(lockout, KioskPolicy.minimumLockout)
        self.hardLimit = max(hardLimit, pinAttempts)
        self.scrypt = scrypt
        self.now = now
    }

    /// The registry in `database` with the kiosk's PIN pepper (made at first use, like the keys).
    package init(database: KioskDatabase, settings: KioskSettings) throws(KeyFileError) {
        self.init(
            database: database, matchReversed: settings.registry.matchReversedUIDs,
            pinAttempts: settings.policy.pinAttempts, lockout: settings.policy.lockout,
            hardLimit: settings.policy.pinHardLimit, pepper: try PINPepper.load(stateDirectory: settings.stateDirectory))
    }

    /// A registered card and whose it is.
    package struct Holder: Sendable {
        var residentID: Int64
        package var resident: Resident
        /// The key of the card's failed attempts (`CardRow.failureKey`).
        var cardFailureKey: String
        package var hasPIN: Bool
    }

    /// A card that has a PIN of its own: a resident's registered card, or an operator's card.
    package enum PINOwner: Sendable {
        case resident(Holder)
        /// An operator card (its UID in hex) and whether its PIN is set.
        case operatorCard(uid: String, hasPIN: Bool)

        /// The key of the card's failed attempts in `pin_failure`.
        var failureKey: String {
            switch self {
            case .resident(let holder): holder.cardFailureKey
            case .operatorCard(let uid, _): "operator:\(uid)"
            }
        }

        package var hasPIN: Bool {
            switch self {
            case .resident(let holder): holder.hasPIN
            case .operatorCard(_, let hasPIN): hasPIN
            }
        }
    }

    // MARK: ResidentRegistry

    package func lookUp(_ card: CardUID) async throws -> KioskEvent.Lookup {
        try await lookUp(card, at: now())
    }

    func lookUp(_ card: CardUID, at now: Timestamp) async throws -> KioskEvent.Lookup {
        try await database.pool.read { db in
            guard let owner = try owner(of: card, db) else { return .unknownCard }
            if try isLocked(owner, at: now, db) { return .locked }
            switch owner {
            case .operatorCard: return .operatorCard
            case .resident(let holder): return .resident(holder.resident)
            }
        }
    }

    package func verifyPIN(_ pin: PIN, for card: CardUID) async throws -> KioskEvent.PINCheck {
        try await verifyPIN(pin, for: card, at: now())
    }

    /// `.locked` while the card is locked, and also for the wrong PIN that locks it: the registry, not the
    /// session, is what remembers, so its answer holds after a restart too.
    func verifyPIN(_ pin: PIN, for card: CardUID, at now: Timestamp) async throws -> KioskEvent.PINCheck {
        let found = try await database.pool.read { db -> (PINOwner, PINHash?, locked: Bool)? in
            guard let owner = try owner(of: card, db) else { return nil }
            let locked = try isLocked(owner, at: now, db)
            return (owner, locked ? nil : try Self.pinHash(of: owner, db), locked)
        }
        // A card nobody holds (unregistered by an import since it was looked up): nothing to count against.
        guard let (owner, stored, locked) = found else { return .rejected }
        if locked { return .locked }
        // A card without a PIN (an operator card before `kiosk pin set`) is checked against a placeholder, so the
        // answer takes as long either way, and it never matches.
        let hash = stored ?? placeholderHash
        let correct = try await Self.hashing { [pepper] in try hash.verifies(pin, pepper: pepper) } && stored != nil
        if correct {
            // Hashes made with older parameters (or not yet peppered) are upgraded while the PIN is at hand.
            let upgrade =
                hash.parameters == scrypt && hash.peppered
                ? nil
                : try await Self.hashing { [scrypt, pepper] in try PINHash.make(pin, parameters: scrypt, pepper: pepper) }
            return try await database.pool.write { db in
                // A concurrent check may have locked the card meanwhile.
                if try isLocked(owner, at: now, db) { return .locked }
                try PINFailureRow.deleteOne(db, key: owner.failureKey)
                if let upgrade { try Self.store(upgrade, for: owner, at: now, db) }
                return .accepted
            }
        }
        return try await database.pool.write { db in
            let row = try PINFailureRow.fetchOne(db, key: owner.failureKey)
            let count = try failures(of: owner.failureKey, at: now, db) + 1
            let total = (row?.total ?? 0) + 1
            try PINFailureRow(
                cardNumber: owner.failureKey, failures: count, lastFailureAt: now.millisecondsSince1970, total: total
            ).upsert(db)
            return count >= pinAttempts || total >= hardLimit ? .locked : .rejected
        }
    }

    // MARK: Technician operations

    /// The resident holding `card`, whether or not it is locked; `nil` for unknown and operator cards.
    package func holder(of card: CardUID) async throws -> Holder? {
        try await database.pool.read { db in
            try Self.isOperatorCard(card, db) ? nil : try holder(of: card, db)
        }
    }

    /// Whose PIN `card` carries: its resident's or, for an operator card, the operator's; `nil` for an unknown
    /// card.
    package func owner(of card: CardUID) async throws -> PINOwner? {
        try await database.pool.read { db in try owner(of: card, db) }
    }

    /// Whether `owner`'s card is locked now: too many wrong PINs within the lockout, or `hard_lock_after` in all.
    package func isLocked(_ owner: PINOwner, at now: Timestamp) async throws -> Bool {
        try await database.pool.read { db in try isLocked(owner, at: now, db) }
    }

    package func isOperatorCard(_ card: CardUID) async throws -> Bool {
        try await database.pool.read { db in try Self.isOperatorCard(card, db) }
    }

    /// Stores a new PIN for the holder's resident and clears the card's failed attempts: the resident proved who
    /// they are to the person registering it.
    package func setPIN(_ pin: PIN, for holder: Holder, at now: Timestamp) async throws {
        try await setPIN(pin, for: .resident(holder), at: now)
    }

    /// Stores a new PIN for a resident's or an operator's card and clears its failed attempts.
    package func setPIN(_ pin: PIN, for owner: PINOwner, at now: Timestamp) async throws {
        let hash = try await Self.hashing { [scrypt, pepper] in try PINHash.make(pin, parameters: scrypt, pepper: pepper) }
        try await database.pool.write { db in
            try Self.store(hash, for: owner, at: now, db)
            try PINFailureRow.deleteOne(db, key: owner.failureKey)
        }
    }

    /// Clears the card's failed attempts and so its lockout, the hard lock too; returns how many wrong PINs there
    /// were since the last right one.
    @discardableResult
    package func resetFailures(for holder: Holder, at now: Timestamp) async throws -> Int {
        try await resetFailures(for: .resident(holder), at: now)
    }

    @discardableResult
    package func resetFailures(for owner: PINOwner, at now: Timestamp) async throws -> Int {
        try await database.pool.write { db in
            let row = try PINFailureRow.fetchOne(db, key: owner.failureKey)
            try PINFailureRow.deleteOne(db, key: owner.failureKey)
            return row?.total ?? 0
        }
    }

    /// Makes the `operator_card` table hold exactly `cards` (configuration's `[operators] cards`); a card taken
    /// off the list loses its PIN.
    package func syncOperatorCards(_ cards: [CardUID]) async throws {
        let wanted = cards.map(\.hex)
        // Read first: the list changes with the configuration, and a write transaction at every start for nothing
        // would sit on the way to READY=1.
        let stored = try await database.pool.read { db in
            try String.fetchSet(db, sql: "SELECT uid FROM operator_card")
        }
        guard stored != Set(wanted) else { return }
        try await database.pool.write { db in
            try OperatorCardRow.filter(!wanted.contains(Column("uid"))).deleteAll(db)
            for uid in wanted { try OperatorCardRow(uid: uid).insert(db, onConflict: .ignore) }
        }
    }

    /// Peppers the PIN hashes stored before the pepper existed (or sent by the province before it was applied on
    /// arrival); no PIN is needed for it. Returns how many.
    @discardableResult
    package func pepperStoredPINs() async throws -> Int {
        // Asked first in plain SQL, on a reader: at nearly every start there is nothing to pepper, and the write
        // transaction with its query-interface requests below took about a millisecond more of start → READY=1.
        let unpeppered = try await database.pool.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM pin WHERE peppered = 0)
                        OR EXISTS (SELECT 1 FROM operator_pin WHERE peppered = 0)
                    """) ?? false
        }
        guard unpeppered else { return 0 }
        return try await database.pool.write { [pepper] db in
            let residents = try PINRow.filter(Column("peppered") == false).fetchAll(db)
            let operators = try OperatorPINRow.filter(Column("peppered") == false).fetchAll(db)
            for row in residents { try row.peppered(with: pepper).update(db) }
            for row in operators { try row.peppered(with: pepper).update(db) }
            return residents.count + operators.count
        }
    }

    func statistics(at now: Timestamp) async throws -> RegistryStatistics {
        try await database.pool.read { db in
            try RegistryStatistics(db, pinAttempts: pinAttempts, lockout: lockout, hardLimit: hardLimit, now: now)
        }
    }

    // MARK: Queries

    /// The card row naming `card`: found through the keyed `number_index`/`hex_index`, confirmed by Core's
    /// `CardTag` on the unsealed tag (a tag naming the card in reader order wins over one naming it reversed).
    private func holder(of card: CardUID, _ db: Database) throws -> Holder? {
        let keys = database.registryKeys
        let forms = RegisteredTag.searchForms(for: card, reversed: matchReversed)
        let numbers = forms.numbers.map { keys.index(cardNumber: $0) }
        let hexes = forms.hexes.map { keys.index(cardHex: $0) }
        let cards = try CardRow.filter(
            numbers.contains(CardRow.Columns.numberIndex) || hexes.contains(CardRow.Columns.hexIndex)
        ).fetchAll(db).map { row throws(RegistryError) in (row: row, tag: try row.tagText(keys: keys)) }
        func matching(_ uid: CardUID) -> (row: CardRow, tag: String)? {
            cards.first { CardTag($0.tag)?.matches(uid) == true }
        }
        guard let found = matching(card) ?? (matchReversed ? matching(card.reversed) : nil),
            let row = try ResidentRow.fetchOne(db, key: found.row.residentID)
        else { return nil }
        return Holder(
            residentID: found.row.residentID, resident: try row.resident(tag: found.tag, keys: keys),
            cardFailureKey: found.row.failureKey, hasPIN: try PINRow.exists(db, key: found.row.residentID))
    }

    /// Wrong PINs that still count: those of the last `lockout`. A last failure more than `lockout` in the
    /// future means the clock was set back (a kiosk without RTC booting offline) and is not held against the card
    /// forever; within that, the card stays locked at most twice the lockout.
    private func failures(of key: String, at now: Timestamp, _ db: Database) throws -> Int {
        guard let row = try PINFailureRow.fetchOne(db, key: key) else { return 0 }
        return abs(now.millisecondsSince1970 - row.lastFailureAt) < lockout.milliseconds ? row.failures : 0
    }

    /// Locked: `pinAttempts` wrong PINs within the lockout, or `hardLimit` in all, which no clock lifts.
    private func isLocked(_ owner: PINOwner, at now: Timestamp, _ db: Database) throws -> Bool {
        guard let row = try PINFailureRow.fetchOne(db, key: owner.failureKey) else { return false }
        if row.total >= hardLimit { return true }
        return try failures(of: owner.failureKey, at: now, db) >= pinAttempts
    }

    private func owner(of card: CardUID, _ db: Database) throws -> PINOwner? {
        if try Self.isOperatorCard(card, db) {
            return .operatorCard(uid: card.hex, hasPIN: try OperatorPINRow.exists(db, key: card.hex))
        }
        return try holder(of: card, db).map(PINOwner.resident)
    }

    private static func isOperatorCard(_ card: CardUID, _ db: Database) throws -> Bool {
        try OperatorCardRow.exists(db, key: card.hex)
    }

    private static func pinHash(of owner: PINOwner, _ db: Database) throws -> PINHash? {
        switch owner {
        case .resident(let holder): try PINRow.fetchOne(db, key: holder.residentID)?.pinHash
        case .operatorCard(let uid, _): try OperatorPINRow.fetchOne(db, key: uid)?.pinHash
        }
    }

    static func store(_ hash: PINHash, for residentID: Int64, at now: Timestamp, _ db: Database) throws {
        try PINRow(hash, owner: residentID, setAt: now).upsert(db)
    }

    static func store(_ hash: PINHash, for owner: PINOwner, at now: Timestamp, _ db: Database) throws {
        switch owner {
        case .resident(let holder): try store(hash, for: holder.residentID, at: now, db)
        case .operatorCard(let uid, _): try OperatorPINRow(hash, owner: uid, setAt: now).upsert(db)
        }
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
    /// Operator cards whose PIN is not set yet: they open nothing until `kiosk pin set --card UID`.
    package var operatorCardsWithoutPIN = 0

    package static let empty = RegistryStatistics(residents: 0, cards: 0, pins: 0, lockedCards: 0)

    init(residents: Int, cards: Int, pins: Int, lockedCards: Int) {
        self.residents = residents
        self.cards = cards
        self.pins = pins
        self.lockedCards = lockedCards
    }

    package init(_ db: Database, pinAttempts: Int, lockout: Duration, hardLimit: Int, now: Timestamp) throws {
        residents = try ResidentRow.fetchCount(db)
        cards = try CardRow.fetchCount(db)
        pins = try PINRow.fetchCount(db)
        // `kiosk doctor` reads the file without migrating it: a database from before registry-v2 has no totals,
        // and its `failures` are what the migration makes them.
        let migrated = try db.tableExists("operator_pin")
        lockedCards =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM pin_failure
                    WHERE \(migrated ? "total" : "failures") >= ? OR (failures >= ? AND abs(? - last_failure_at) < ?)
                    """,
                arguments: [hardLimit, pinAttempts, now.millisecondsSince1970, lockout.milliseconds]) ?? 0
        operatorCardsWithoutPIN =
            try Int.fetchOne(
                db,
                sql: migrated
                    ? "SELECT COUNT(*) FROM operator_card WHERE uid NOT IN (SELECT uid FROM operator_pin)"
                    : "SELECT COUNT(*) FROM operator_card") ?? 0
    }
}
