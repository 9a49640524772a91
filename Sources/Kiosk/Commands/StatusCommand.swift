import ArgumentParser
import Core
import Foundation
import KioskKit

/// `kiosk status`: the outbox and the link to the province, for a technician at the kiosk or over SSH.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show the upload queue, the last upload and error, the enrollment, the printers, and what waits (counts only)."
    )

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        let database = try settings.openDatabase()
        let state = DeviceState(database: database)
        let summary = try await OutboxSummary.read(database)
        let now = Timestamp.now()
        print("kiosk \(BuildInfo.line)")
        print("busy:            \(Self.busy(BusyMarker.current(), now: now))")
        if let enrolled = try state.enrollment() {
            print(
                "enrolled:        \(enrolled.kioskID) (village \(enrolled.villageCode)) at \(enrolled.url.absoluteString)"
            )
        } else {
            print("enrolled:        no; run kiosk enroll --url URL --token TOKEN (records wait until then)")
        }
        print("queue:           \(summary.pending) record(s) waiting for upload")
        print("oldest unsent:   \(summary.oldestPending.map { Self.describe($0, now: now) } ?? "none")")
        print(
            "rejected:        \(summary.rejected)\(summary.rejected > 0 ? " (kept; kiosk upload --retry-rejected)" : "")"
        )
        print("last upload:     \(summary.lastUpload.map { Self.describe($0, now: now) } ?? "never")")
        print("last error:      \(summary.lastError ?? "none")")
        print(
            "printer:         "
                + (try state.get(.printerStatus).map(StoredPrinterState.inWords) ?? "unknown (no letter printed yet)"))
        if let thermal = try state.get(.thermalStatus) {
            let at = try state.get(.thermalStatusAt).flatMap(Int64.init).map {
                " (as of " + Self.describe(Timestamp(millisecondsSince1970: $0), now: now) + ")"
            }
            let job = try state.get(.thermalLastJob).map { "; last job: \(StoredPrinterState.inWords($0))" } ?? ""
            print("thermal printer: \(StoredPrinterState.inWords(thermal))\(at ?? "")\(job)")
        } else if settings.printing.thermal != nil {
            print("thermal printer: unknown (nothing printed or checked yet)")
        }
        // Counts only: what waits, never whose.
        let waiting = try WaitingCounts.read(database, today: now.date())
        print("pick-ups:        \(waiting.pickupsWaiting) prepared letter(s) waiting for collection")
        print(
            "survey:          \(waiting.surveyDaysNotUploaded) day(s) not uploaded (\(waiting.surveyAnswersNotUploaded) "
                + "answer(s); today, and days with fewer than \(SurveyCells.minimumAnswers) answers, wait)")
        if !settings.policy.queueServices.isEmpty || waiting.ticketsNotUploaded + waiting.ticketsToday > 0 {
            print(
                "queue tickets:   \(waiting.ticketsToday) taken today; \(waiting.ticketsNotUploaded) waiting for upload"
                    + (waiting.ticketsRejected > 0 ? "; \(waiting.ticketsRejected) rejected (kept)" : ""))
        }
    }

    /// Whether a resident is being served (the busy marker), for a technician about to update or reboot.
    static func busy(_ marker: BusyMarker, now: Timestamp) -> String {
        guard marker.isBusy else { return "no (nobody is being served, or the kiosk is not running)" }
        let since = marker.since.map {
            " since " + describe(Timestamp(millisecondsSince1970: Int64($0.timeIntervalSince1970 * 1000)), now: now)
        }
        return "yes, a resident is being served\(since ?? ""); "
            + "updates wait: while [ -e \(marker.path) ]; do sleep 5; done"
    }

    /// `2026-11-25 10:15 WIB (3 h ago)`.
    static func describe(_ time: Timestamp, now: Timestamp) -> String {
        let seconds = (now.millisecondsSince1970 - time.millisecondsSince1970) / 1000
        let age =
            switch seconds {
            case ..<60: "\(max(seconds, 0)) s ago"
            case ..<3600: "\(seconds / 60) min ago"
            case ..<172_800: "\(seconds / 3600) h ago"
            default: "\(seconds / 86_400) days ago"
            }
        let local = time.millisecondsSince1970 / 1000 + Int64(TimeZoneOffset.wib)
        let date = time.date()
        let minutes = (local / 60) % 1440
        return String(format: "%@ %02d:%02d WIB (%@)", date.description, Int(minutes / 60), Int(minutes % 60), age)
    }
}
