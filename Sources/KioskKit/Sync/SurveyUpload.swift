import Core
import Foundation
import Logging
import ProvincialAPI

/// Sends the survey totals of each day that is over and not sent yet, one request per day, oldest first. A day the
/// province took is marked sent; one it did not is tried again at the next heartbeat (a resend replaces, so a lost
/// answer never counts twice).
struct SurveyUpload {
    let store: SurveyStore
    let client: ProvincialClient
    let kioskID: String
    let logger: Logger

    /// Returns how many days went.
    @discardableResult
    func sendDays(before today: CalendarDate) async -> Int {
        let days: [SurveyStore.Day]
        do {
            days = try store.days(before: today)
        } catch {
            logger.error("survey totals not read", metadata: ["error": "\(error)"])
            return 0
        }
        var sent = 0
        for day in days {
            let services = day.counts.sorted { $0.key < $1.key }.map { service, counts in
                SurveyCounts(
                    service: service, verySatisfied: counts[.verySatisfied] ?? 0, satisfied: counts[.satisfied] ?? 0,
                    dissatisfied: counts[.dissatisfied] ?? 0, veryDissatisfied: counts[.veryDissatisfied] ?? 0)
            }
            do {
                try await client.surveyDay(SurveyDay(kioskId: kioskID, date: day.day, services: services))
                try store.markUploaded(day.day)
                sent += 1
                logger.info("survey totals sent", metadata: ["day": "\(day.day)"])
            } catch {
                logger.notice("survey totals not sent", metadata: ["day": "\(day.day)", "error": "\(error)"])
                break
            }
        }
        return sent
    }
}
