import Core
import Foundation
import Logging
import ProvincialAPI

/// Sends the survey totals of the days that are over and not sent yet, oldest first, under the anonymity rule of
/// `SurveyCells`: kinds with too few answers merged into `*`, and a day with too few in all carried into the next
/// (one request then covers them, `from` ... `date`). Days the province took are marked sent; one it did not is
/// tried again at the next heartbeat (a resend replaces, so a lost answer never counts twice). Days sent are purged
/// `retentionDays` later.
struct SurveyUpload {
    let store: SurveyStore
    let client: ProvincialClient
    let kioskID: String
    let logger: Logger
    var retentionDays = 30

    /// Returns how many requests went.
    @discardableResult
    func sendDays(before today: CalendarDate) async -> Int {
        defer {
            do { try store.purge(uploadedBefore: today.adding(days: -retentionDays)) } catch {
                logger.error("survey totals not purged", metadata: ["error": "\(error)"])
            }
        }
        let days: [SurveyStore.Day]
        do {
            days = try store.days(before: today)
        } catch {
            logger.error("survey totals not read", metadata: ["error": "\(error)"])
            return 0
        }
        var sent = 0
        var carried: [SurveyStore.Day] = []
        for day in days {
            carried.append(day)
            let counts = carried.map(\.counts).reduce(into: [String: SurveyCells.Counts]()) { all, next in
                all.merge(next) { $0.merging($1, uniquingKeysWith: +) }
            }
            // Too few answers so far: held back, and carried into the next day.
            guard let cells = SurveyCells.anonymous(counts, minimumAnswers: SurveyDay.minimumCellAnswers) else {
                continue
            }
            let services = cells.sorted { $0.key < $1.key }.map { service, counts in
                SurveyCounts(
                    service: service, verySatisfied: counts[.verySatisfied] ?? 0, satisfied: counts[.satisfied] ?? 0,
                    dissatisfied: counts[.dissatisfied] ?? 0, veryDissatisfied: counts[.veryDissatisfied] ?? 0)
            }
            let from = carried.count > 1 ? carried[0].day : nil
            do {
                try await client.surveyDay(
                    SurveyDay(kioskId: kioskID, date: day.day, from: from, services: services))
                for covered in carried { try store.markUploaded(covered.day) }
                sent += 1
                logger.info("survey totals sent", metadata: ["day": "\(day.day)", "days": "\(carried.count)"])
                carried = []
            } catch {
                logger.notice("survey totals not sent", metadata: ["day": "\(day.day)", "error": "\(error)"])
                break
            }
        }
        if !carried.isEmpty {
            logger.info("survey totals held back: too few answers yet", metadata: ["days": "\(carried.count)"])
        }
        return sent
    }
}
