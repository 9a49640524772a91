import CCups
import Glibc

/// Every libcups call goes through here: the one file that touches the C API, checks IPP and HTTP statuses and turns
/// them into `CUPSError`s. Nothing outside Drivers/Printing/CUPS sees an `http_t` or an `ipp_t`. The calls go through
/// the table of functions `CUPSLibrary` loaded (`cups.httpConnect2(...)`): libcups is opened at the first letter, not
/// linked.
///
/// These functions block (network I/O with cupsd) and use libcups's per-thread state (`cupsSetServer`,
/// `cupsLastError`), so they run only inside one block on `CUPSPrinter`'s serial queue, never on the Swift
/// concurrency pool, and each block begins with `connect`, which sets the server for the thread it runs on.
enum CUPS {
    /// How long to wait for a connection or an answer from cupsd.
    static let requestTimeoutMilliseconds: Int32 = 10_000

    /// A connection to cupsd (`http_t`), closed with `httpClose` when the scope ends.
    struct Connection: ~Copyable {
        let http: OpaquePointer
        /// `host:port` as given, for messages.
        let server: String
        /// libcups's functions (`CUPSLibrary`): every call on this connection goes through them.
        let cups: kiosk_cups

        deinit { cups.httpClose(http) }
    }

    /// `cupsSetServer` for this thread, then `httpConnect2` to that server. libcups keeps the server per thread and
    /// `cupsCopyDestInfo` compares the connection with it: unset, it takes a queue of a private cupsd for a remote
    /// device and fails with "The printer or class does not exist" (observed with CUPS 2.4.2).
    /// `server` nil means libcups's default: `CUPS_SERVER`, client.conf, then the local socket. libcups is loaded
    /// here the first time, and a library that cannot be is this call's error.
    static func connect(_ server: String?) throws(CUPSError) -> Connection {
        let cups = try CUPSLibrary.functions()
        cups.cupsSetServer(server)
        let host = text(cups.cupsServer(), else: "localhost")
        let port = cups.ippPort()
        let name = host.hasPrefix("/") ? host : "\(host):\(port)"
        guard
            let http = cups.httpConnect2(
                host, port, nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, requestTimeoutMilliseconds, nil)
        else {
            throw .serverUnreachable(server: name, detail: lastErrorText(cups))
        }
        // Without a timeout callback a timed-out read fails instead of retrying for ever.
        cups.httpSetTimeout(http, Double(requestTimeoutMilliseconds) / 1000, nil, nil)
        return Connection(http: http, server: name, cups: cups)
    }

    // MARK: Submitting

    /// `cupsGetNamedDest`, `cupsCopyDestInfo`, `cupsCreateDestJob`, then one PDF document: `cupsStartDestDocument`
    /// with `CUPS_FORMAT_PDF` (NULL would send no `document-format`), `cupsWriteRequestData` in 64 KB pieces,
    /// `cupsFinishDestDocument`. Returns the job id once cupsd accepted the document. A job whose document failed is
    /// cancelled, so that no held job lingers.
    static func submit(
        _ connection: borrowing Connection, queue: String, pdf: [UInt8], title: String, unchanged: Bool = false
    )
        throws(CUPSError) -> Int32
    {
        let http = connection.http
        let cups = connection.cups
        guard let dest = cups.cupsGetNamedDest(http, queue, nil) else {
            throw destinationError(connection, queue: queue, call: "cupsGetNamedDest")
        }
        defer { cups.cupsFreeDests(1, dest) }
        guard let info = cups.cupsCopyDestInfo(http, dest) else {
            throw destinationError(connection, queue: queue, call: "cupsCopyDestInfo")
        }
        defer { cups.cupsFreeDestInfo(info) }

        var jobID: Int32 = 0
        let created = cups.cupsCreateDestJob(http, dest, info, &jobID, title, 0, nil)
        guard isSuccess(created), jobID > 0 else {
            throw requestError(connection, queue: queue, call: "cupsCreateDestJob", status: created)
        }
        do throws(CUPSError) {
            let format = unchanged ? kiosk_CUPS_FORMAT_RAW : kiosk_CUPS_FORMAT_PDF
            let started = cups.cupsStartDestDocument(http, dest, info, jobID, title, format, 0, nil, 1)
            guard started == HTTP_STATUS_CONTINUE else {
                throw requestError(
                    connection, queue: queue, call: "cupsStartDestDocument", status: cups.cupsLastError())
            }
            try pdf.withUnsafeBufferPointer { bytes throws(CUPSError) in
                var offset = 0
                while offset < bytes.count {
                    let length = min(65_536, bytes.count - offset)
                    let written = bytes.baseAddress!.advanced(by: offset).withMemoryRebound(
                        to: CChar.self, capacity: length
                    ) { cups.cupsWriteRequestData(http, $0, length) }
                    guard written == HTTP_STATUS_CONTINUE else {
                        throw requestError(
                            connection, queue: queue, call: "cupsWriteRequestData", status: cups.cupsLastError())
                    }
                    offset += length
                }
            }
            let finished = cups.cupsFinishDestDocument(http, dest, info)
            guard isSuccess(finished) else {
                throw requestError(connection, queue: queue, call: "cupsFinishDestDocument", status: finished)
            }
        } catch {
            _ = cups.cupsCancelDestJob(http, dest, jobID)
            throw error
        }
        return jobID
    }

    // MARK: Asking

    /// The printer's side of one poll: IPP Get-Printer-Attributes on the queue.
    struct PrinterAttributes {
        var state: Int32
        var reasons: [String]
        var message: String
        var isAcceptingJobs: Bool
    }

    /// IPP Get-Printer-Attributes (`cupsDoRequest`) for `printer-state`, `printer-state-reasons`,
    /// `printer-state-message` and `printer-is-accepting-jobs`.
    static func printerAttributes(_ connection: borrowing Connection, queue: String) throws(CUPSError)
        -> PrinterAttributes
    {
        let cups = connection.cups
        let request = cups.ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
        addPrinterURI(cups, request, queue: queue)
        addRequested(
            cups, request,
            ["printer-state", "printer-state-reasons", "printer-state-message", "printer-is-accepting-jobs"])
        let response = try perform(connection, request, queue: queue, call: "Get-Printer-Attributes")
        defer { cups.ippDelete(response) }
        return PrinterAttributes(
            state: integer(cups, response, "printer-state") ?? 3,
            reasons: strings(cups, response, "printer-state-reasons"),
            message: strings(cups, response, "printer-state-message").first ?? "",
            isAcceptingJobs: boolean(cups, response, "printer-is-accepting-jobs") ?? true)
    }

    /// The job's side of one poll.
    struct JobAttributes {
        var state: Int32
        var reasons: [String]
        /// CUPS's `job-printer-state-reasons`: the printer's reasons as the scheduler saw them for this job.
        var printerReasons: [String]
        var name: String?
    }

    /// IPP Get-Job-Attributes (`cupsDoRequest`) for `job-state`, `job-state-reasons`, `job-printer-state-reasons`
    /// and `job-name`.
    static func jobAttributes(_ connection: borrowing Connection, queue: String, job: Int32) throws(CUPSError)
        -> JobAttributes
    {
        let cups = connection.cups
        let request = cups.ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        addPrinterURI(cups, request, queue: queue)
        _ = cups.ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job)
        addRequested(cups, request, ["job-state", "job-state-reasons", "job-printer-state-reasons", "job-name"])
        let response: OpaquePointer
        do {
            response = try perform(connection, request, queue: queue, call: "Get-Job-Attributes")
        } catch .queueNotFound where cups.cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND {
            // Not found here means the job: the printer was asked for by the same request a moment before.
            throw .jobNotFound(CUPSJobID(queue: queue, number: Int(job)))
        }
        defer { cups.ippDelete(response) }
        return JobAttributes(
            state: integer(cups, response, "job-state") ?? 3,
            reasons: strings(cups, response, "job-state-reasons"),
            printerReasons: strings(cups, response, "job-printer-state-reasons"),
            name: strings(cups, response, "job-name").first)
    }

    /// IPP Cancel-Job (`cupsDoRequest`); a job that already ended is left alone.
    /// IPP Cancel-Job; whether cupsd answered at all (with any status: the job may have ended meanwhile).
    static func cancel(_ connection: borrowing Connection, queue: String, job: Int32) -> Bool {
        let cups = connection.cups
        let request = cups.ippNewRequest(IPP_OP_CANCEL_JOB)
        addPrinterURI(cups, request, queue: queue)
        _ = cups.ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job)
        addUser(cups, request)
        let response = cups.cupsDoRequest(connection.http, request, "/jobs/")
        defer { cups.ippDelete(response) }
        return response != nil
    }

    // MARK: Helpers

    /// `cupsDoRequest` (which frees the request); the response, or the error its status means.
    private static func perform(
        _ connection: borrowing Connection, _ request: OpaquePointer?, queue: String, call: String
    )
        throws(CUPSError) -> OpaquePointer
    {
        let cups = connection.cups
        let response = cups.cupsDoRequest(connection.http, request, "/")
        let status = cups.cupsLastError()
        guard let response, isSuccess(status) else {
            cups.ippDelete(response)
            throw requestError(connection, queue: queue, call: call, status: status)
        }
        return response
    }

    /// `printer-uri` of a cupsd queue; cupsd goes by the path, so the host part is only a formality.
    private static func addPrinterURI(_ cups: kiosk_cups, _ request: OpaquePointer?, queue: String) {
        var uri = [CChar](repeating: 0, count: 1024)
        _ = cups.httpAssembleURI(
            HTTP_URI_CODING_ALL, &uri, Int32(uri.count), "ipp", nil, "localhost", cups.ippPort(), "/printers/" + queue)
        _ = cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, uri)
        addUser(cups, request)
    }

    private static func addUser(_ cups: kiosk_cups, _ request: OpaquePointer?) {
        if cups.ippFindAttribute(request, "requesting-user-name", IPP_TAG_ZERO) == nil {
            _ = cups.ippAddString(
                request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cups.cupsUser())
        }
    }

    /// `requested-attributes`, so that cupsd sends only what a poll reads.
    private static func addRequested(_ cups: kiosk_cups, _ request: OpaquePointer?, _ names: [String]) {
        let copies = names.map { UnsafePointer(strdup($0)) }
        defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        _ = cups.ippAddStrings(
            request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(copies.count), nil, copies)
    }

    private static func integer(_ cups: kiosk_cups, _ response: OpaquePointer, _ name: String) -> Int32? {
        guard let attribute = cups.ippFindAttribute(response, name, IPP_TAG_ZERO) else { return nil }
        return cups.ippGetInteger(attribute, 0)
    }

    private static func boolean(_ cups: kiosk_cups, _ response: OpaquePointer, _ name: String) -> Bool? {
        guard let attribute = cups.ippFindAttribute(response, name, IPP_TAG_BOOLEAN) else { return nil }
        return cups.ippGetBoolean(attribute, 0) != 0
    }

    private static func strings(_ cups: kiosk_cups, _ response: OpaquePointer, _ name: String) -> [String] {
        guard let attribute = cups.ippFindAttribute(response, name, IPP_TAG_ZERO) else { return [] }
        return (0..<cups.ippGetCount(attribute)).compactMap { index in
            cups.ippGetString(attribute, index, nil).map { String(cString: $0) }
        }
    }

    private static func isSuccess(_ status: ipp_status_t) -> Bool {
        status.rawValue <= IPP_STATUS_OK_EVENTS_COMPLETE.rawValue
    }

    private static func lastErrorText(_ cups: kiosk_cups) -> String {
        text(cups.cupsLastErrorString(), else: "no detail")
    }

    /// A C string libcups returned; through the table its `const char *` comes as an optional.
    private static func text(_ string: UnsafePointer<CChar>?, else fallback: String) -> String {
        string.map { String(cString: $0) } ?? fallback
    }

    /// Why `cupsGetNamedDest`/`cupsCopyDestInfo` found nothing: the queue is missing, or cupsd is.
    private static func destinationError(_ connection: borrowing Connection, queue: String, call: String)
        -> CUPSError
    {
        let cups = connection.cups
        let status = cups.cupsLastError()
        // cupsGetNamedDest reports a missing queue as not-found, or as no error at all when cupsd has no queues.
        if status == IPP_STATUS_OK || status == IPP_STATUS_ERROR_NOT_FOUND {
            return .queueNotFound(queue: queue, server: connection.server)
        }
        return requestError(connection, queue: queue, call: call, status: status)
    }

    private static func requestError(
        _ connection: borrowing Connection, queue: String, call: String, status: ipp_status_t
    ) -> CUPSError {
        let cups = connection.cups
        return switch status {
        case IPP_STATUS_ERROR_NOT_FOUND: .queueNotFound(queue: queue, server: connection.server)
        case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
            .serverUnreachable(server: connection.server, detail: lastErrorText(cups))
        case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS: .queueNotAccepting(queue: queue, detail: lastErrorText(cups))
        default:
            .requestFailed(
                call: call, status: text(cups.ippErrorString(status), else: "IPP status \(status.rawValue)"),
                detail: lastErrorText(cups))
        }
    }

    // MARK: Constants

    /// `ipp_pstate_t`.
    static func printerState(_ value: Int32) -> CUPSPrinterState {
        switch ipp_pstate_t(rawValue: UInt32(bitPattern: value)) {
        case IPP_PSTATE_PROCESSING: .processing
        case IPP_PSTATE_STOPPED: .stopped
        default: .idle
        }
    }

    /// `ipp_jstate_t`.
    static func jobState(_ value: Int32) -> CUPSJobState {
        switch ipp_jstate_t(rawValue: UInt32(bitPattern: value)) {
        case IPP_JSTATE_HELD: .held
        case IPP_JSTATE_PROCESSING: .processing
        case IPP_JSTATE_STOPPED: .stopped
        case IPP_JSTATE_CANCELED: .canceled
        case IPP_JSTATE_ABORTED: .aborted
        case IPP_JSTATE_COMPLETED: .completed
        default: .pending
        }
    }
}
