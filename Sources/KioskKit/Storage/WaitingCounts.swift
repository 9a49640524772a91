package import Core
import GRDB

/// What waits in the kiosk database besides the outbox, in counts only (never whose): prepared letters not
/// collected yet, survey days not uploaded, queue tickets. For `kiosk status`.
package struct WaitingCounts: Equatable, Sendable {
    package var pickupsWaiting = 0
    package var surveyDaysNotUploaded = 0
    package var surveyAnswersNotUploaded = 0
    package var ticketsToday = 0
    package var ticketsNotUploaded = 0
    package var ticketsRejected = 0

    package static func read(_ database: KioskDatabase, today: CalendarDate) throws -> WaitingCounts {
        try database.pool.read { db in
            func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
                try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
            }
            return WaitingCounts(
                pickupsWaiting: try count("SELECT count(*) FROM pickup_letter WHERE collected_at IS NULL"),
                surveyDaysNotUploaded: try count("SELECT count(DISTINCT day) FROM survey_count WHERE uploaded = 0"),
                surveyAnswersNotUploaded: try count(
                    "SELECT coalesce(sum(answers), 0) FROM survey_count WHERE uploaded = 0"),
                ticketsToday: try count("SELECT count(*) FROM queue_ticket WHERE day = ?", ["\(today)"]),
                ticketsNotUploaded: try count(
                    "SELECT count(*) FROM queue_ticket WHERE uploaded_at IS NULL AND rejected IS NULL"),
                ticketsRejected: try count("SELECT count(*) FROM queue_ticket WHERE rejected IS NOT NULL"))
        }
    }
}
