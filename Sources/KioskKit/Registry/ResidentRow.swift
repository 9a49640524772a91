import Core
import GRDB

/// A `resident` row: one resident as OpenSID exports them (GRDB record). The NIK is the key OpenSID and the
/// province share; `id` is the registry's own.
struct ResidentRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "resident"

    var id: Int64?
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
        case id, nik, name, sex, address, hamlet, rt, rw, religion, occupation, nationality
        case birthPlace = "birth_place"
        case birthDate = "birth_date"
        case maritalStatus = "marital_status"
    }

    enum Columns {
        static let nik = Column(CodingKeys.nik)
    }

    /// The row for `resident` (the card goes to its own table).
    init(_ resident: Resident, id: Int64? = nil) {
        self.id = id
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

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The resident this row holds, with the card of `tag` (OpenSID's tag_id_card), or why the row is damaged.
    func resident(tag: String?) throws(RegistryError) -> Resident {
        let rowID = id ?? 0
        let nik: NIK
        do throws(NIKError) { nik = try NIK(self.nik) } catch {
            throw .damagedRow("resident", id: rowID, reason: "nik: \(error)")
        }
        guard let birthDate = CalendarDate(iso: birthDate) else {
            throw .damagedRow("resident", id: rowID, reason: "birth_date is not a date")
        }
        guard let sex = Sex(rawValue: sex) else {
            throw .damagedRow("resident", id: rowID, reason: "sex is neither L nor P")
        }
        return Resident(
            nik: nik, name: name, birthPlace: birthPlace, birthDate: birthDate, sex: sex, address: address,
            hamlet: hamlet, rt: rt, rw: rw, religion: religion, maritalStatus: maritalStatus, occupation: occupation,
            nationality: nationality, cardTag: tag.flatMap { CardTag($0) })
    }
}

/// A `card` row: a resident's registered card (GRDB record). `tag` is OpenSID's tag_id_card as registered (decimal
/// or hex); `number` the card's number in decimal, `hex` the UID of hex tags (RegistrySchema says why).
struct CardRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "card"

    var id: Int64?
    var residentID: Int64
    var tag: String
    var number: String
    var hex: String?

    enum CodingKeys: String, CodingKey {
        case id, tag, number, hex
        case residentID = "resident_id"
    }

    enum Columns {
        static let residentID = Column(CodingKeys.residentID)
        static let tag = Column(CodingKeys.tag)
        static let number = Column(CodingKeys.number)
        static let hex = Column(CodingKeys.hex)
    }

    init(residentID: Int64, tag: RegisteredTag) {
        self.residentID = residentID
        self.tag = tag.text
        number = tag.number
        hex = tag.hex
    }

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
