public import Core

/// One `printer-state-reasons` keyword (RFC 8011 §5.4.12), split into its stem and its severity suffix.
///
/// Severities are used loosely in practice: CUPS backends report an unreachable printer as `offline-report` and a
/// full disk as `media-empty-warning` (backend/runloop.c), and ippeveprinter re-suffixes its reasons by printer
/// state (`media-jam-warning` while processing, `media-jam-report` once idle). So the stem carries the meaning.
public struct PrinterStateReason: Hashable, Sendable, CustomStringConvertible {
    /// The RFC 8011 suffix; a keyword without one counts as an error, as the RFC says.
    public enum Severity: String, Hashable, Sendable {
        case report, warning, error
    }

    /// The keyword as the printer sent it, `media-jam-warning`.
    public let keyword: String
    /// The keyword without its severity suffix, `media-jam`.
    public let stem: String
    public let severity: Severity

    public init(_ keyword: String) {
        self.keyword = keyword
        for severity in [Severity.report, .warning, .error] where keyword.hasSuffix("-" + severity.rawValue) {
            stem = String(keyword.dropLast(severity.rawValue.count + 1))
            self.severity = severity
            return
        }
        stem = keyword
        severity = .error
    }

    /// What the stem means for the kiosk; `nil` for reasons that do not stop a print (`toner-low`,
    /// `cups-waiting-for-job-completed`, `connecting-to-device`, ...).
    public var problem: PrinterProblem? {
        switch stem {
        case "media-empty", "media-needed", "input-tray-missing": .paperOut
        case "cover-open", "door-open", "interlock-open": .coverOpen
        case _ where stem.hasPrefix("cutter"): .cutterError
        case "media-jam": .paperJam
        case _ where stem.hasSuffix("-jam"): .paperJam
        case "offline", "shutdown", "paused", "timed-out": .offline
        default: nil
        }
    }

    public var description: String { keyword }
}

/// The `printer-state-reasons` of a printer (or CUPS's `job-printer-state-reasons` of a job), `none` left out.
public struct PrinterStateReasons: Hashable, Sendable, CustomStringConvertible {
    public let reasons: [PrinterStateReason]

    /// Parses the keywords as IPP returns them; `none` (no reason at all) is dropped.
    public init(keywords: [String]) {
        reasons = keywords.filter { !$0.isEmpty && $0 != "none" }.map(PrinterStateReason.init)
    }

    /// The problem these reasons mean, the most specific first (a jam before paper out before a cover before a
    /// cutter before offline).
    ///
    /// `-report` reasons are informational (RFC 8011) and left out unless `includingReports`; ippeveprinter keeps a
    /// `media-jam-report` after a jammed job while it is idle, which is no reason to fail the next one. The exception
    /// is `offline-report`: that is how CUPS backends say the printer cannot be reached.
    public func problem(includingReports: Bool = false) -> PrinterProblem? {
        let problems = reasons.compactMap { reason -> PrinterProblem? in
            guard let problem = reason.problem else { return nil }
            if reason.severity == .report && !includingReports && problem != .offline { return nil }
            return problem
        }
        let priority: [PrinterProblem] = [.paperJam, .paperOut, .coverOpen, .cutterError, .offline, .unknown]
        return priority.first { problems.contains($0) }
    }

    /// The keywords joined by commas, `none` when there are none.
    public var description: String { reasons.isEmpty ? "none" : reasons.map(\.keyword).joined(separator: ",") }

    /// Both sets of reasons, each keyword once.
    func merged(with other: PrinterStateReasons) -> PrinterStateReasons {
        var keywords = reasons.map(\.keyword)
        for reason in other.reasons where !keywords.contains(reason.keyword) { keywords.append(reason.keyword) }
        return PrinterStateReasons(keywords: keywords)
    }
}
