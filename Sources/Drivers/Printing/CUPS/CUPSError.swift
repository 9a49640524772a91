public import Core

/// A failure talking to cupsd or printing through it, with a message a technician can act on.
public enum CUPSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libcups could not be opened (dlopen) or lacks a function the kiosk calls (dlsym); `detail` is dlerror's text.
    case libraryUnavailable(library: String, detail: String)
    /// No connection to cupsd (`httpConnect2` failed, or IPP `server-error-service-unavailable`).
    case serverUnreachable(server: String, detail: String)
    /// cupsd answered but has no such queue (IPP `client-error-not-found`).
    case queueNotFound(queue: String, server: String)
    /// The queue rejects jobs (`cupsreject`, or CUPS's error policy after a failure).
    case queueNotAccepting(queue: String, detail: String)
    /// The queue is stopped (`cupsdisable`, or CUPS's `stop-printer` error policy after a backend failure): jobs wait
    /// in it for ever. The job was cancelled so that the letter does not come out later with nobody there.
    case queueStopped(queue: String, job: CUPSJobID?, message: String, reasons: PrinterStateReasons)
    /// An IPP request failed for another reason; `call` names the libcups function, `status` is the IPP status.
    case requestFailed(call: String, status: String, detail: String)
    /// The job is not known to cupsd (purged, or another server).
    case jobNotFound(CUPSJobID)
    /// The printer reported a problem while the job ran, although the job may have ended as completed.
    case printerProblem(CUPSJobID, PrinterProblem, reasons: PrinterStateReasons)
    /// The job ended `aborted` (a filter or backend failed) or `canceled` by someone else.
    case jobEnded(CUPSJobID, state: CUPSJobState, reasons: PrinterStateReasons, jobReasons: [String])
    /// The job did not finish within the printer's job timeout; it was cancelled.
    case timedOut(CUPSJobID, after: Duration, lastState: CUPSJobState?, reasons: PrinterStateReasons)
    /// The task following the job was cancelled (the session ended); the job was cancelled in CUPS too.
    case followCancelled(CUPSJobID)

    /// What the kiosk shows and records for this failure.
    public var problem: PrinterProblem {
        switch self {
        case .libraryUnavailable, .serverUnreachable, .queueNotFound, .queueNotAccepting: .offline
        case .queueStopped(_, _, _, let reasons): reasons.problem(includingReports: true) ?? .offline
        case .printerProblem(_, let problem, _): problem
        case .jobEnded(_, _, let reasons, _): reasons.problem(includingReports: true) ?? .unknown
        case .timedOut(_, _, _, let reasons): reasons.problem(includingReports: true) ?? .unknown
        case .requestFailed, .jobNotFound, .followCancelled: .unknown
        }
    }

    public var description: String {
        switch self {
        case .libraryUnavailable(let library, let detail):
            "\(library) cannot be loaded (\(detail)), so no letter can print through CUPS: install Debian's libcups2 "
                + "(`apt-get install libcups2`), or set [printing] letters to \"file\" or \"thermal\""
        case .serverUnreachable(let server, let detail):
            "cupsd is not running or not reachable at \(server) (\(detail)): start it (`systemctl start cups`, "
                + "`lpstat -h \(server) -r` says whether it runs)"
        case .queueNotFound(let queue, let server):
            "CUPS queue '\(queue)' does not exist on \(server) (lpstat -h \(server) -p lists the queues; "
                + "create it with lpadmin -p \(queue) -E -v URI -m everywhere)"
        case .queueNotAccepting(let queue, let detail):
            "CUPS queue '\(queue)' rejects jobs (\(detail)): `cupsaccept \(queue)` after fixing the printer"
        case .queueStopped(let queue, let job, let message, let reasons):
            "CUPS queue '\(queue)' is stopped (\(message.isEmpty ? "no message" : message); reasons \(reasons))"
                + (job.map { ", \($0) was cancelled" } ?? "")
                + ": fix the printer, then `cupsenable \(queue)`"
        case .requestFailed(let call, let status, let detail):
            "\(call) failed: \(status) (\(detail))"
        case .jobNotFound(let job):
            "\(job) is not known to cupsd (purged, or a restarted cupsd without job history)"
        case .printerProblem(let job, let problem, let reasons):
            "the printer reported \(Self.words(problem)) while \(job) printed (printer-state-reasons \(reasons)): "
                + "the letter is likely incomplete"
        case .jobEnded(let job, let state, let reasons, let jobReasons):
            "\(job) ended \(state.rawValue) (job-state-reasons \(jobReasons.joined(separator: ",")); "
                + "printer-state-reasons \(reasons)): see the queue's log, `lpstat -l -o`"
        case .timedOut(let job, let after, let state, let reasons):
            "\(job) did not finish within \(after) (last state \(state?.rawValue ?? "unknown"), printer-state-reasons "
                + "\(reasons)); it was cancelled: check that the printer is on and has paper"
        case .followCancelled(let job):
            "following \(job) was cancelled by the kiosk; the job was cancelled in CUPS"
        }
    }

    static func words(_ problem: PrinterProblem) -> String {
        switch problem {
        case .paperOut: "paper out"
        case .coverOpen: "cover open"
        case .paperJam: "a paper jam"
        case .offline: "offline"
        case .cutterError: "a cutter error"
        case .unknown: "an error"
        }
    }
}
