import Core
import Testing

@testable import Drivers

@Suite("printer-state-reasons: suffixes stripped, stems mapped to printer problems")
struct PrinterStateReasonsTests {
    @Test(arguments: [
        ("media-jam-error", "media-jam", PrinterStateReason.Severity.error),
        ("media-jam-warning", "media-jam", .warning),
        ("media-jam-report", "media-jam", .report),
        ("media-empty", "media-empty", .error),  // no suffix: an error, as RFC 8011 says
        ("offline-report", "offline", .report),
        ("cups-waiting-for-job-completed", "cups-waiting-for-job-completed", .error),
    ])
    func suffixes(keyword: String, stem: String, severity: PrinterStateReason.Severity) {
        let reason = PrinterStateReason(keyword)
        #expect(reason.stem == stem)
        #expect(reason.severity == severity)
        #expect(reason.keyword == keyword)
    }

    @Test(arguments: [
        ("media-empty-error", PrinterProblem.paperOut),
        ("media-empty-warning", .paperOut),  // a CUPS backend's full-disk or paper-out report
        ("media-needed-warning", .paperOut),
        ("media-jam-warning", .paperJam),
        ("media-jam", .paperJam),
        ("cover-open-error", .coverOpen),
        ("door-open-warning", .coverOpen),
        ("offline-report", .offline),
        ("paused", .offline),
        ("shutdown-error", .offline),
        ("cutter-failure-error", .cutterError),
    ])
    func stems(keyword: String, problem: PrinterProblem) {
        #expect(PrinterStateReason(keyword).problem == problem)
        #expect(PrinterStateReasons(keywords: [keyword]).problem() == problem)
    }

    @Test(arguments: [
        "none", "toner-low-warning", "media-low-report", "cups-waiting-for-job-completed", "connecting-to-device",
        "other-warning", "media-emptyish-error",
    ])
    func reasonsThatDoNotStopAPrint(keyword: String) {
        #expect(PrinterStateReasons(keywords: [keyword]).problem(includingReports: true) == nil)
    }

    @Test func noneIsNoReasonAtAll() {
        let reasons = PrinterStateReasons(keywords: ["none"])
        #expect(reasons.reasons.isEmpty)
        #expect(reasons.description == "none")
    }

    /// ippeveprinter keeps `media-jam-report` after a jammed job while idle: no reason to fail the next job.
    @Test func reportsCountOnlyWhenAskedFor() {
        let reasons = PrinterStateReasons(keywords: ["media-jam-report"])
        #expect(reasons.problem() == nil)
        #expect(reasons.problem(includingReports: true) == .paperJam)
    }

    /// CUPS backends say an unreachable printer is `offline-report`: that one counts at any severity.
    @Test func offlineCountsEvenAsAReport() {
        #expect(PrinterStateReasons(keywords: ["offline-report"]).problem() == .offline)
    }

    @Test func theMostSpecificProblemWins() {
        let reasons = PrinterStateReasons(keywords: [
            "offline-report", "cover-open-warning", "media-empty-error", "media-jam-warning",
        ])
        #expect(reasons.problem() == .paperJam)
        #expect(PrinterStateReasons(keywords: ["offline-report", "media-needed-warning"]).problem() == .paperOut)
        #expect(
            PrinterStateReasons(keywords: ["cups-waiting-for-job-completed", "media-jam-warning"]).problem()
                == .paperJam)
    }

    @Test func mergedKeepsEachKeywordOnce() {
        let printer = PrinterStateReasons(keywords: ["media-jam-warning", "toner-low-report"])
        let job = PrinterStateReasons(keywords: ["cups-waiting-for-job-completed", "media-jam-warning"])
        #expect(
            printer.merged(with: job).description == "media-jam-warning,toner-low-report,cups-waiting-for-job-completed"
        )
    }

    @Test func aStatusNamesTheProblemOfAStoppedQueue() {
        let stopped = CUPSPrinterStatus(
            state: .stopped, reasons: PrinterStateReasons(keywords: ["paused"]), message: "", isAcceptingJobs: true)
        #expect(stopped.problem == .offline)
        let idle = CUPSPrinterStatus(
            state: .idle, reasons: PrinterStateReasons(keywords: ["none"]), message: "", isAcceptingJobs: true)
        #expect(idle.problem == nil)
        let rejecting = CUPSPrinterStatus(
            state: .idle, reasons: PrinterStateReasons(keywords: []), message: "", isAcceptingJobs: false)
        #expect(rejecting.problem == .offline)
    }

    @Test func errorsNameWhatToDo() {
        #expect(
            CUPSError.queueNotFound(queue: "letters", server: "localhost:8631").description.contains(
                "CUPS queue 'letters' does not exist"))
        #expect(
            CUPSError.serverUnreachable(server: "localhost:8631", detail: "Connection refused").description.contains(
                "cupsd is not running or not reachable at localhost:8631"))
        #expect(CUPSError.serverUnreachable(server: "x", detail: "").problem == .offline)
        let job = CUPSJobID(queue: "letters", number: 7)
        #expect(CUPSError.printerProblem(job, .paperJam, reasons: .init(keywords: [])).problem == .paperJam)
        #expect(
            CUPSError.timedOut(job, after: .seconds(1), lastState: .processing, reasons: .init(keywords: []))
                .problem == .unknown)
        #expect(
            CUPSError.timedOut(
                job, after: .seconds(1), lastState: .processing, reasons: .init(keywords: ["media-empty-report"])
            ).problem == .paperOut)
    }
}
