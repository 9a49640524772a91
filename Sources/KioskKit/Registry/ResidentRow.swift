import Core
import GRDB

/// A resident's columns in the `resident` table, both ways.
extension Resident {
    static let selection = """
        resident.id, nik, name, birth_place, birth_date, sex, address, hamlet, rt, rw, religion, marital_status, \
        occupation, nationality, card.tag
        """

    /// The columns `selection` names, in a row that may also carry `card.tag` (NULL without a card).
    init(row: Row) throws(RegistryError) {
        let id: Int64 = row["id"]
        let nik: NIK
        do throws(NIKError) { nik = try NIK(row["nik"] as String) } catch {
            throw .damagedRow("resident", id: id, reason: "nik: \(error)")
        }
        guard let birthDate = CalendarDate(iso: row["birth_date"] as String) else {
            throw .damagedRow("resident", id: id, reason: "birth_date is not a date")
        }
        guard let sex = Sex(rawValue: row["sex"]) else {
            throw .damagedRow("resident", id: id, reason: "sex is neither L nor P")
        }
        let tag: String? = row["tag"]
        self.init(
            nik: nik, name: row["name"], birthPlace: row["birth_place"], birthDate: birthDate, sex: sex,
            address: row["address"], hamlet: row["hamlet"], rt: row["rt"], rw: row["rw"], religion: row["religion"],
            maritalStatus: row["marital_status"], occupation: row["occupation"], nationality: row["nationality"],
            cardTag: tag.flatMap { CardTag($0) })
    }

    /// The values for `INSERT`/`UPDATE`, in the order of `columnNames`.
    static let columnNames = [
        "nik", "name", "birth_place", "birth_date", "sex", "address", "hamlet", "rt", "rw", "religion",
        "marital_status", "occupation", "nationality",
    ]

    var columnValues: StatementArguments {
        [
            nik.digits, name, birthPlace, birthDate.description, sex.rawValue, address, hamlet, rt, rw, religion,
            maritalStatus, occupation, nationality,
        ]
    }

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
