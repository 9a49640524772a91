package import Core
import GRDB

/// Maintenance's "Periksa Surat": whether this kiosk issued a letter number, from its own records. The number must
/// name this kiosk's village and station, and its record must carry exactly that number (a month or a year changed
/// on paper does not match). A number the kiosk's series has passed but whose record is gone was purged after the
/// province acknowledged it: issued here, its date no longer known.
extension SQLiteRecordStore: IssuedLetters {
    package func check(_ number: LetterNumber) async -> LetterCheck {
        guard number.village == village, number.station == station else { return .notIssued }
        // The same serial in any month: a record found under another month means the paper's month was changed.
        let months = (1...12).map {
            LetterNumber(
                kindCode: number.kindCode, serial: number.serial, station: number.station, village: number.village,
                month: $0, year: number.year
            ).formatted
        }
        do {
            return try await database.pool.read { db in
                let rows = try ServiceRecordRow.filter(months.contains(Column("letter_number"))).fetchAll(db)
                if let row = rows.first {
                    guard row.letterNumber == number.formatted, row.letterCode == number.kindCode else {
                        return .notIssued
                    }
                    return .issued(
                        kindCode: row.letterCode, on: Timestamp(millisecondsSince1970: row.capturedAt).date())
                }
                let last = try Int.fetchOne(
                    db, sql: "SELECT last_serial FROM letter_series WHERE kind_code = ? AND year = ?",
                    arguments: [number.kindCode, number.year])
                return number.serial <= (last ?? 0) ? .purged : .notIssued
            }
        } catch {
            return .failed
        }
    }
}
