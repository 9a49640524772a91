import Core
import Foundation
import GRDB

/// Whose PINs a table holds: `pin` holds residents' (by resident id), `operator_pin` operator cards' (by UID).
protocol PINTable {
    associatedtype Owner: DatabaseValueConvertible & Sendable
    static var name: String { get }
    /// The primary key column naming the owner.
    static var ownerColumn: String { get }
}

enum ResidentPINs: PINTable {
    static let name = "pin"
    static let ownerColumn = "resident_id"
    typealias Owner = Int64
}

enum OperatorPINs: PINTable {
    static let name = "operator_pin"
    static let ownerColumn = "uid"
    typealias Owner = String
}

/// A PIN as an scrypt hash with its own salt and cost, in `pin` or `operator_pin` (GRDB record): both tables have the
/// same columns but the owner's.
struct StoredPIN<Table: PINTable>: FetchableRecord, PersistableRecord {
    static var databaseTableName: String { Table.name }

    var owner: Table.Owner
    var hash: Data
    var salt: Data
    var scryptN: Int
    var scryptR: Int
    var scryptP: Int
    /// Milliseconds since 1970.
    var setAt: Int64
    /// Whether `hash` is peppered (`PINPepper`); rows from before registry-v3 are not until the next start.
    var peppered: Bool

    init(_ pin: PINHash, owner: Table.Owner, setAt: Timestamp) {
        self.owner = owner
        hash = Data(pin.hash)
        salt = Data(pin.salt)
        scryptN = pin.parameters.n
        scryptR = pin.parameters.r
        scryptP = pin.parameters.p
        self.setAt = setAt.millisecondsSince1970
        peppered = pin.peppered
    }

    init(row: Row) throws {
        owner = row[Table.ownerColumn]
        hash = row["hash"]
        salt = row["salt"]
        scryptN = row["scrypt_n"]
        scryptR = row["scrypt_r"]
        scryptP = row["scrypt_p"]
        setAt = row["set_at"]
        peppered = row["peppered"]
    }

    func encode(to container: inout PersistenceContainer) {
        container[Table.ownerColumn] = owner
        container["hash"] = hash
        container["salt"] = salt
        container["scrypt_n"] = scryptN
        container["scrypt_r"] = scryptR
        container["scrypt_p"] = scryptP
        container["set_at"] = setAt
        container["peppered"] = peppered
    }

    var pinHash: PINHash {
        PINHash(
            hash: [UInt8](hash), salt: [UInt8](salt), parameters: ScryptParameters(n: scryptN, r: scryptR, p: scryptP),
            peppered: peppered)
    }

    /// The same row with its hash peppered.
    func peppered(with pepper: PINPepper) -> StoredPIN {
        StoredPIN(pinHash.peppered(with: pepper), owner: owner, setAt: Timestamp(millisecondsSince1970: setAt))
    }
}

/// A `pin` row: a resident's PIN.
typealias PINRow = StoredPIN<ResidentPINs>
/// An `operator_pin` row: an operator card's PIN.
typealias OperatorPINRow = StoredPIN<OperatorPINs>

/// A `pin_failure` row: the wrong PINs of one card, by the index of the card's number (`CardRow.failureKey`; an
/// operator card's by `operator:<uid>`) (GRDB record).
struct PINFailureRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "pin_failure"

    var cardNumber: String
    /// Wrong PINs within the lockout window.
    var failures: Int
    /// Milliseconds since 1970.
    var lastFailureAt: Int64
    /// Wrong PINs since the last right one or `kiosk pin reset`, whatever the window.
    var total: Int

    enum CodingKeys: String, CodingKey {
        case failures, total
        case cardNumber = "card_number"
        case lastFailureAt = "last_failure_at"
    }
}

/// An `operator_card` row: the UID of an operator's card in hex, reader order (GRDB record).
struct OperatorCardRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "operator_card"

    var uid: String
}
