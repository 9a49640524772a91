package import Core
import GRDB

/// The satisfaction survey's answers, kept only as counts per day, service kind and face: no row per answer, no
/// time of day, nothing of the resident, so the database cannot tell which resident gave which answer. A day's
/// counts are uploaded once the day is over.
package struct SurveyStore: Sendable {
    let database: KioskDatabase

    package init(database: KioskDatabase) {
        self.database = database
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("survey-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE survey_count (day TEXT NOT NULL, service TEXT NOT NULL,
                        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), answers INTEGER NOT NULL,
                        uploaded INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, service, rating)) STRICT
                    """)
        }
    }

    /// Counts `answer` on `day` (the kiosk's local date).
    package func record(_ answer: SurveyAnswer, on day: CalendarDate) throws {
        try database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO survey_count (day, service, rating, answers) VALUES (?, ?, ?, 1)
                    ON CONFLICT (day, service, rating) DO UPDATE SET answers = answers + 1
                    """, arguments: ["\(day)", answer.service, answer.rating.rawValue])
        }
    }

    /// A day's counts: per service kind, the answers per face.
    package struct Day: Equatable, Sendable {
        package var day: String
        package var counts: [String: [SurveyAnswer.Rating: Int]]
    }

    /// The counts of each day before `today` (days that are over) not uploaded yet, oldest first; with
    /// `includingToday`, today's too (what `kiosk status` shows).
    package func days(before today: CalendarDate, includingToday: Bool = false, uploaded: Bool = false) throws
        -> [Day]
    {
        try database.pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT day, service, rating, answers FROM survey_count
                    WHERE (day < ? OR (? AND day = ?)) AND uploaded = ? ORDER BY day
                    """, arguments: ["\(today)", includingToday, "\(today)", uploaded])
            var days: [Day] = []
            for row in rows {
                let day: String = row["day"]
                guard let rating = SurveyAnswer.Rating(rawValue: row["rating"]) else { continue }
                if days.last?.day != day { days.append(Day(day: day, counts: [:])) }
                days[days.count - 1].counts[row["service"], default: [:]][rating] = row["answers"]
            }
            return days
        }
    }

    /// Deletes the counts of days the province has and that are before `day` (the retention's first day).
    @discardableResult
    package func purge(uploadedBefore day: CalendarDate) throws -> Int {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM survey_count WHERE uploaded = 1 AND day < ?", arguments: ["\(day)"])
            return db.changesCount
        }
    }

    /// The province has `day`'s counts.
    package func markUploaded(_ day: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE survey_count SET uploaded = 1 WHERE day = ?", arguments: [day])
        }
    }
}
