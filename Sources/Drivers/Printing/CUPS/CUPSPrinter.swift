public import Core
import Dispatch
import NIOConcurrencyHelpers

/// A CUPS queue that prints letter PDFs: submits a document, then follows the job until the printer has finished it.
///
/// All libcups calls run on a `BlockingQueue` of the printer's own, bridged with continuations: they block on
/// network I/O with cupsd and use libcups's per-thread state, neither of which belongs on the Swift concurrency pool.
/// Each call opens its own connection to the configured server (`httpConnect2`), so a restarted cupsd costs nothing.
public struct CUPSPrinter: Sendable {
    /// The CUPS queue name, `kiosk-letters`.
    public let queue: String
    /// `host:port` of cupsd, or nil for libcups's default (`CUPS_SERVER`, client.conf, the local socket).
    public let server: String?
    /// How long `follow` waits for a job to finish before it cancels it.
    public let jobTimeout: Duration
    /// The pause between two polls of a job; see `waitUntilPrinted`.
    public let pollInterval: Duration
    private let calls: BlockingQueue
    /// Jobs this printer gave up on while cupsd did not answer, so their Cancel-Job never arrived: sent again at the
    /// next contact, or the letter would come out later with nobody there to take it.
    private let unsentCancels = UnsentCancels()

    public init(
        queue: String, server: String? = nil, jobTimeout: Duration = .seconds(180),
        pollInterval: Duration = .milliseconds(250)
    ) {
        self.queue = queue
        self.server = server
        self.jobTimeout = jobTimeout
        self.pollInterval = max(pollInterval, .milliseconds(100))
        calls = BlockingQueue(label: "kiosk.cups.\(queue)")
    }

    /// The queue's state as cupsd sees it: IPP Get-Printer-Attributes (`cupsDoRequest`).
    public func status() async throws(CUPSError) -> CUPSPrinterStatus {
        await sendUnsentCancels()
        let (queue, server) = (self.queue, self.server)
        let attributes = try await calls.run { () throws(CUPSError) in
            let connection = try CUPS.connect(server)
            return try CUPS.printerAttributes(connection, queue: queue)
        }
        return CUPSPrinterStatus(
            state: CUPS.printerState(attributes.state), reasons: PrinterStateReasons(keywords: attributes.reasons),
            message: attributes.message, isAcceptingJobs: attributes.isAcceptingJobs)
    }

    /// Submits one PDF document as a new job and returns once cupsd has accepted all of it (`cupsCreateDestJob`,
    /// `cupsStartDestDocument` with `CUPS_FORMAT_PDF`, `cupsWriteRequestData`, `cupsFinishDestDocument`).
    ///
    /// `title` becomes the IPP `job-name`, which cupsd logs, `lpstat` lists and the printer may print on a banner or
    /// keep in a file name: it must hold no personal data. Pass the letter code and the record id, `"Surat S-41
    /// 01J..."`, never a name or a NIK.
    ///
    /// `unchanged`: the bytes go to the printer as they are (`CUPS_FORMAT_RAW`), through none of cupsd's filters. A
    /// PDF submitted as `application/pdf` to an IPP Everywhere queue passes cups-filters' pdftopdf, which rewrites it
    /// (a 140,429-byte PDF reached ippeveprinter as 173,854 bytes): a signed PDF must reach the paper unchanged.
    public func submit(pdf: [UInt8], title: String, unchanged: Bool = false) async throws(CUPSError) -> CUPSJobID {
        await sendUnsentCancels()
        let (queue, server) = (self.queue, self.server)
        let number = try await calls.run { () throws(CUPSError) in
            let connection = try CUPS.connect(server)
            return try CUPS.submit(connection, queue: queue, pdf: pdf, title: title, unchanged: unchanged)
        }
        return CUPSJobID(queue: queue, number: Int(number))
    }

    /// Follows a submitted job to its end (see `waitUntilPrinted`) and says how printing went: `.printed`, or
    /// `.failed` with what the printer reported (a jam seen while the job ran fails it even if the job then ended
    /// `completed`), `.offline` when cupsd or the queue is gone, `.unknown` when nothing could be named.
    public func follow(_ job: CUPSJobID, progress: @escaping @Sendable (CUPSJobProgress) -> Void = { _ in }) async
        -> PrintOutcome
    {
        do {
            try await waitUntilPrinted(job, progress: progress)
            return .printed
        } catch {
            return .failed(error.problem)
        }
    }

    /// Submits and follows a letter: `submit` then `follow`, with every error turned into an outcome (no cupsd or no
    /// queue is `.failed(.offline)`). `title` holds no personal data, as for `submit`.
    public func print(
        pdf: [UInt8], title: String, unchanged: Bool = false,
        progress: @escaping @Sendable (CUPSJobProgress) -> Void = { _ in }
    ) async -> PrintOutcome {
        do {
            let job = try await submit(pdf: pdf, title: title, unchanged: unchanged)
            return await follow(job, progress: progress)
        } catch {
            return .failed(error.problem)
        }
    }

    /// Waits until the job is `completed` with no printer problem seen on the way, polling IPP Get-Job-Attributes
    /// (`job-state`, `job-state-reasons`, `job-printer-state-reasons`) and Get-Printer-Attributes
    /// (`printer-state-reasons`) every `pollInterval`.
    ///
    /// Polling, because libcups has no call that blocks until a job changes: `cupsWaitForJob`-like helpers do not
    /// exist, and IPP notifications (`ippget` subscriptions with Get-Notifications `notify-wait`) need a subscription
    /// per job and still come back every few seconds. Two small loopback requests per 250 ms while a letter prints,
    /// and none while the kiosk is idle, cost far less than that machinery.
    ///
    /// Throws `.printerProblem` when a reason such as `media-jam-warning` or `media-empty-error` was seen while the
    /// job was pending or processing, even if the job then ended `completed` (ippeveprinter does exactly that);
    /// `.jobEnded` for `aborted`/`canceled`; `.queueStopped` when the queue stops under the job; `.timedOut` after
    /// `jobTimeout`. A job that cannot finish is cancelled, so that the letter never comes out later with nobody
    /// there to take it.
    public func waitUntilPrinted(
        _ job: CUPSJobID, progress: @escaping @Sendable (CUPSJobProgress) -> Void = { _ in }
    ) async throws(CUPSError) {
        let (queue, server) = (self.queue, self.server)
        let number = Int32(job.number)
        let deadline = ContinuousClock.now + jobTimeout
        var seen: PrinterProblem?
        var lastReasons = PrinterStateReasons(keywords: [])
        var lastState: CUPSJobState?
        var failures = 0
        while true {
            let snapshot: (job: CUPS.JobAttributes, printer: CUPS.PrinterAttributes)
            do {
                snapshot = try await calls.run { () throws(CUPSError) in
                    let connection = try CUPS.connect(server)
                    let job = try CUPS.jobAttributes(connection, queue: queue, job: number)
                    return (job, try CUPS.printerAttributes(connection, queue: queue))
                }
                failures = 0
            } catch {
                // A cupsd restart is survived; one that does not come back within a few seconds ends the wait.
                failures += 1
                if case .jobNotFound = error { throw error }
                if failures >= 20 {
                    await cancel(number)
                    throw error
                }
                try await pause(job, deadline: deadline, lastState: lastState, reasons: lastReasons)
                continue
            }
            let state = CUPS.jobState(snapshot.job.state)
            let printerState = CUPS.printerState(snapshot.printer.state)
            let reasons = PrinterStateReasons(keywords: snapshot.printer.reasons)
                .merged(with: PrinterStateReasons(keywords: snapshot.job.printerReasons))
            if !state.isFinished {
                seen = reasons.problem() ?? seen
                lastReasons = reasons
                // The printer stopped for someone to act (paper, jam, cover): the resident hears it now, not at the
                // timeout, and the job is cancelled so the letter never comes out later with nobody there to take
                // it. An offline printer is waited for: backends report it while they retry a connection.
                if let problem = reasons.problem(), Self.needsAHand.contains(problem) {
                    progress(
                        CUPSJobProgress(job: job, state: state, jobReasons: snapshot.job.reasons, printerReasons: reasons))
                    await cancel(number)
                    throw .printerProblem(job, problem, reasons: reasons)
                }
            }
            lastState = state
            progress(CUPSJobProgress(job: job, state: state, jobReasons: snapshot.job.reasons, printerReasons: reasons))
            switch state {
            case .completed:
                if let seen { throw .printerProblem(job, seen, reasons: lastReasons) }
                return
            case .aborted, .canceled:
                throw .jobEnded(
                    job, state: state, reasons: seen == nil ? reasons : lastReasons, jobReasons: snapshot.job.reasons)
            case .pending, .held, .processing, .stopped:
                if printerState == .stopped {
                    await cancel(number)
                    throw .queueStopped(queue: queue, job: job, message: snapshot.printer.message, reasons: reasons)
                }
            }
            try await pause(job, deadline: deadline, lastState: lastState, reasons: lastReasons)
        }
    }

    /// Problems that stop a printer until a person acts.
    static let needsAHand: Set<PrinterProblem> = [.paperJam, .paperOut, .coverOpen]

    /// Sleeps one poll interval, or cancels the job and throws when the deadline passed or the task was cancelled.
    private func pause(
        _ job: CUPSJobID, deadline: ContinuousClock.Instant, lastState: CUPSJobState?,
        reasons: PrinterStateReasons
    ) async throws(CUPSError) {
        guard ContinuousClock.now < deadline else {
            await cancel(Int32(job.number))
            throw .timedOut(job, after: jobTimeout, lastState: lastState, reasons: reasons)
        }
        do {
            try await Task.sleep(for: min(pollInterval, deadline - ContinuousClock.now))
        } catch {
            await cancel(Int32(job.number))
            throw .followCancelled(job)
        }
    }

    /// IPP Cancel-Job. The job may have ended meanwhile (cupsd's refusal is then fine); when cupsd does not answer,
    /// the cancel is kept and sent again at the next contact (`status`, `submit`).
    private func cancel(_ number: Int32) async {
        let (queue, server) = (self.queue, self.server)
        let answered =
            (try? await calls.run { () throws(CUPSError) in
                CUPS.cancel(try CUPS.connect(server), queue: queue, job: number)
            }) ?? false
        if !answered { unsentCancels.jobs.withLockedValue { _ = $0.insert(number) } }
    }

    private func sendUnsentCancels() async {
        let numbers = unsentCancels.jobs.withLockedValue { unsent in
            defer { unsent.removeAll() }
            return unsent
        }
        for number in numbers.sorted() { await cancel(number) }
    }

    /// Jobs whose Cancel-Job cupsd has not answered yet.
    public var cancelsWaiting: Int { unsentCancels.jobs.withLockedValue { $0.count } }

}

/// Shared by a printer's copies: the struct is passed around by value.
private final class UnsentCancels: Sendable {
    let jobs = NIOLockedValueBox<Set<Int32>>([])
}

/// A job in a CUPS queue: `kiosk-letters-12` in `lpstat`.
public struct CUPSJobID: Hashable, Sendable, CustomStringConvertible {
    public let queue: String
    /// The IPP `job-id`.
    public let number: Int

    public init(queue: String, number: Int) {
        self.queue = queue
        self.number = number
    }

    public var description: String { "job \(queue)-\(number)" }
}

/// IPP `printer-state` (`ipp_pstate_t`).
public enum CUPSPrinterState: String, Hashable, Sendable {
    case idle, processing, stopped
}

/// IPP `job-state` (`ipp_jstate_t`).
public enum CUPSJobState: String, Hashable, Sendable {
    case pending, held, processing, stopped, canceled, aborted, completed

    /// Canceled, aborted or completed: the job will not change any more.
    public var isFinished: Bool { self == .canceled || self == .aborted || self == .completed }
}

/// A CUPS queue as `status()` found it.
public struct CUPSPrinterStatus: Hashable, Sendable {
    public var state: CUPSPrinterState
    public var reasons: PrinterStateReasons
    /// `printer-state-message`, often empty.
    public var message: String
    /// `printer-is-accepting-jobs`: false after `cupsreject`.
    public var isAcceptingJobs: Bool

    public init(state: CUPSPrinterState, reasons: PrinterStateReasons, message: String, isAcceptingJobs: Bool) {
        self.state = state
        self.reasons = reasons
        self.message = message
        self.isAcceptingJobs = isAcceptingJobs
    }

    /// What keeps the queue from printing now, if anything: its reasons (see `PrinterStateReasons.problem`), or
    /// `.offline` for a stopped queue or one that rejects jobs.
    public var problem: PrinterProblem? {
        if let problem = reasons.problem() { return problem }
        if state == .stopped || !isAcceptingJobs { return reasons.problem(includingReports: true) ?? .offline }
        return nil
    }
}

/// One poll of a job that `follow` reports.
public struct CUPSJobProgress: Hashable, Sendable {
    public var job: CUPSJobID
    public var state: CUPSJobState
    /// `job-state-reasons`, `job-printing`, `processing-to-stop-point`, ...
    public var jobReasons: [String]
    /// The printer's reasons as seen at this poll (`printer-state-reasons` and CUPS's `job-printer-state-reasons`).
    public var printerReasons: PrinterStateReasons

    public init(job: CUPSJobID, state: CUPSJobState, jobReasons: [String], printerReasons: PrinterStateReasons) {
        self.job = job
        self.state = state
        self.jobReasons = jobReasons
        self.printerReasons = printerReasons
    }

    /// What the printer reports as wrong right now, for a screen that says so while the resident waits.
    public var problem: PrinterProblem? { state.isFinished ? nil : printerReasons.problem() }

    /// A rough 0-100 for a progress bar: accepted 40, printing 70, finished 100.
    public var percent: Int {
        switch state {
        case .pending, .held: 40
        case .processing, .stopped: 70
        case .completed, .canceled, .aborted: 100
        }
    }
}
