import Core
import Foundation
import GRDB

/// A resident's fields as OpenSID exports them: what a `resident` row seals, as JSON (and what the plaintext rows of
/// registry-v1 held as columns, read once by the registry-v4 migration).
struct ResidentFields: Codable, FetchableRecord, Equatable {
    var nik: String
    var name: String
    var birthPlace: String
    /// YYYY-MM-DD.
    var birthDate: String
    /// L or P.
    var sex: String
    var address: String
    /// Dusun.
    var hamlet: String
    var rt: String
    var rw: String
    var religion: String
    var maritalStatus: String
    var occupation: String
    var nationality: String

    enum CodingKeys: String, CodingKey {
        case nik, name, sex, address, hamlet, rt, rw, religion, occupation, nationality
        case birthPlace = "birth_place"
        case birthDate = "birth_date"
        case maritalStatus = "marital_status"
    }

    init(_ resident: Resident) {
        nik = resident.nik.digits
        name = resident.name
        birthPlace = resident.birthPlace
        birthDate = resident.birthDate.description
        sex = resident.sex.rawValue
        address = resident.address
        hamlet = resident.hamlet
        rt = resident.rt
        rw = resident.rw
        religion = resident.religion
        maritalStatus = resident.maritalStatus
        occupation = resident.occupation
        nationality = resident.nationality
    }
}

/// A `resident` row: one resident, found by the keyed index of their NIK, their fields sealed (GRDB record).
/// `id` is the registry's own.
struct ResidentRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "resident"

    var id: Int64?
    /// `RegistryKeys.index(nik:)`.
    var nikIndex: Data
    /// `ResidentFields` as JSON, sealed with `"resident:" + nikIndex` as associated data.
    var personal: Data

    enum CodingKeys: String, CodingKey {
        case id, personal
        case nikIndex = "nik_index"
    }

    enum Columns {
        static let nikIndex = Column(CodingKeys.nikIndex)
    }

    /// The row for `resident` (the card goes to its own table).
    init(_ resident: Resident, id: Int64? = nil, keys: RegistryKeys) throws {
        try self.init(ResidentFields(resident), id: id, keys: keys)
    }

    init(_ fields: ResidentFields, id: Int64? = nil, keys: RegistryKeys) throws {
        self.id = id
        nikIndex = keys.index(nik: fields.nik)
        personal = try keys.seal(try JSONEncoder().encode(fields), context: Self.context(nikIndex))
    }

    static func context(_ nikIndex: Data) -> String { "resident:" + nikIndex.lowercaseHex }

    /// The row of the resident with `nik`, if registered.
    static func find(nik digits: String, keys: RegistryKeys, _ db: Database) throws -> ResidentRow? {
        try ResidentRow.filter(Columns.nikIndex == keys.index(nik: digits)).fetchOne(db)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The resident this row holds, with the card of `tag` (OpenSID's tag_id_card), or why the row does not open:
    /// sealed under another key, or damaged.
    func resident(tag: String?, keys: RegistryKeys) throws(RegistryError) -> Resident {
        let rowID = id ?? 0
        let fields: ResidentFields
        do {
            fields = try JSONDecoder().decode(
                ResidentFields.self, from: try keys.open(personal, context: Self.context(nikIndex)))
        } catch {
            throw .damagedRow("resident", id: rowID, reason: "its sealed fields do not open under this kiosk's key")
        }
        let nik: NIK
        do throws(NIKError) { nik = try NIK(fields.nik) } catch {
            throw .damagedRow("resident", id: rowID, reason: "nik: \(error)")
        }
        guard let birthDate = CalendarDate(iso: fields.birthDate) else {
            throw .damagedRow("resident", id: rowID, reason: "birth_date is not a date")
        }
        guard let sex = Sex(rawValue: fields.sex) else {
            throw .damagedRow("resident", id: rowID, reason: "sex is neither L nor P")
        }
        return Resident(
            nik: nik, name: fields.name, birthPlace: fields.birthPlace, birthDate: birthDate, sex: sex,
            address: fields.address, hamlet: fields.hamlet, rt: fields.rt, rw: fields.rw, religion: fields.religion,
            maritalStatus: fields.maritalStatus, occupation: fields.occupation, nationality: fields.nationality,
            cardTag: tag.flatMap { CardTag($0) })
    }
}

/// A `card` row: a resident's registered card (GRDB record), found by the keyed index of its number in decimal and,
/// for tags registered in hex, of its UID (RegistrySchema says why both); the tag as registered is sealed.
struct CardRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "card"

    var id: Int64?
    var residentID: Int64
    /// `RegistryKeys.index(cardNumber:)`.
    var numberIndex: Data
    /// `RegistryKeys.index(cardHex:)`, for hex tags.
    var hexIndex: Data?
    /// OpenSID's tag_id_card as registered, sealed with `"card:" + numberIndex` as associated data.
    var tag: Data

    enum CodingKeys: String, CodingKey {
        case id, tag
        case residentID = "resident_id"
        case numberIndex = "number_index"
        case hexIndex = "hex_index"
    }

    enum Columns {
        static let residentID = Column(CodingKeys.residentID)
        static let numberIndex = Column(CodingKeys.numberIndex)
        static let hexIndex = Column(CodingKeys.hexIndex)
    }

    init(residentID: Int64, tag: RegisteredTag, keys: RegistryKeys) throws {
        self.residentID = residentID
        numberIndex = keys.index(cardNumber: tag.number)
        hexIndex = tag.hex.map { keys.index(cardHex: $0) }
        self.tag = try keys.seal(Data(tag.text.utf8), context: Self.context(numberIndex))
    }

    static func context(_ numberIndex: Data) -> String { "card:" + numberIndex.lowercaseHex }

    /// The tag as registered, or why it does not open.
    func tagText(keys: RegistryKeys) throws(RegistryError) -> String {
        guard let plain = try? keys.open(tag, context: Self.context(numberIndex)),
            let text = String(data: plain, encoding: .utf8)
        else { throw .damagedRow("card", id: id ?? 0, reason: "its sealed tag does not open under this kiosk's key") }
        return text
    }

    /// The key of this card's failed PIN attempts in `pin_failure`: its number's index, so that table names no card.
    var failureKey: String { numberIndex.lowercaseHex }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension Resident {
    /// The same resident apart from the card: what an import compares to decide "unchanged".
    var withoutCard: Resident {
        var copy = self
        copy.cardTag = nil
        return copy
    }
}

/// The registry's data is not what its schema promises: a damaged file or a hand edit. Names the row by its id,
/// never by its NIK.
package enum RegistryError: Error, CustomStringConvertible {
    case damagedRow(String, id: Int64, reason: String)

    package var description: String {
        switch self {
        case .damagedRow(let table, let id, let reason):
            "the registry's \(table) row \(id) is damaged (\(reason)); import the OpenSID export again "
                + "(kiosk import residents FILE.csv)"
        }
    }
}
