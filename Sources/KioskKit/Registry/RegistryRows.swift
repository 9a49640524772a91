import Core
import Foundation
import GRDB

/// A `pin` row: a resident's PIN as an scrypt hash with its own salt and cost (GRDB record).
struct PINRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "pin"

    var residentID: Int64
    var hash: Data
    var salt: Data
    var scryptN: Int
    var scryptR: Int
    var scryptP: Int
    /// Milliseconds since 1970.
    var setAt: Int64
    /// Whether `hash` is peppered (`PINPepper`); rows from before registry-v3 are not until the next start.
    var peppered: Bool

    enum CodingKeys: String, CodingKey {
        case hash, salt, peppered
        case residentID = "resident_id"
        case scryptN = "scrypt_n"
        case scryptR = "scrypt_r"
        case scryptP = "scrypt_p"
        case setAt = "set_at"
    }

    init(_ pin: PINHash, residentID: Int64, setAt: Timestamp) {
        self.residentID = residentID
        hash = Data(pin.hash)
        salt = Data(pin.salt)
        scryptN = pin.parameters.n
        scryptR = pin.parameters.r
        scryptP = pin.parameters.p
        self.setAt = setAt.millisecondsSince1970
        peppered = pin.peppered
    }

    var pinHash: PINHash {
        PINHash(
            hash: [UInt8](hash), salt: [UInt8](salt), parameters: ScryptParameters(n: scryptN, r: scryptR, p: scryptP),
            peppered: peppered)
    }
}

/// A `pin_failure` row: the wrong PINs of one card, by the card's number (an operator card's by
/// `operator:<uid>`) (GRDB record).
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

/// An `operator_pin` row: an operator card's PIN as an scrypt hash (GRDB record).
struct OperatorPINRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "operator_pin"

    var uid: String
    var hash: Data
    var salt: Data
    var scryptN: Int
    var scryptR: Int
    var scryptP: Int
    /// Milliseconds since 1970.
    var setAt: Int64
    /// Whether `hash` is peppered (`PINPepper`).
    var peppered: Bool

    enum CodingKeys: String, CodingKey {
        case uid, hash, salt, peppered
        case scryptN = "scrypt_n"
        case scryptR = "scrypt_r"
        case scryptP = "scrypt_p"
        case setAt = "set_at"
    }

    init(_ pin: PINHash, uid: String, setAt: Timestamp) {
        self.uid = uid
        hash = Data(pin.hash)
        salt = Data(pin.salt)
        scryptN = pin.parameters.n
        scryptR = pin.parameters.r
        scryptP = pin.parameters.p
        self.setAt = setAt.millisecondsSince1970
        peppered = pin.peppered
    }

    var pinHash: PINHash {
        PINHash(
            hash: [UInt8](hash), salt: [UInt8](salt), parameters: ScryptParameters(n: scryptN, r: scryptR, p: scryptP),
            peppered: peppered)
    }
}

/// An `operator_card` row: the UID of an operator's card in hex, reader order (GRDB record).
struct OperatorCardRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "operator_card"

    var uid: String
}
