import Core

/// Printer problems and outcomes as a technician reads them in a command's output: what is wrong and what to do,
/// never a Swift value ("failed(Core.PrinterProblem.paperOut)") or a stored name ("failed:paperOut").
extension PrinterProblem {
    var inWords: String {
        switch self {
        case .paperOut: "out of paper: load a new roll and close the cover"
        case .coverOpen: "the cover is open: close it"
        case .paperJam: "paper jammed: open the cover, take out the stuck paper, close it"
        case .offline: "not reachable: check its power, its cable or its network address"
        case .cutterError: "the cutter is stuck: switch the printer off, clear the cutter, switch it on"
        case .unknown: "a problem it does not name: look at the printer's light or display"
        }
    }
}

extension PrintOutcome {
    var inWords: String {
        switch self {
        case .pending: "sent, not yet known to be printed"
        case .printed: "printed"
        case .failed(let problem): "not printed, \(problem.inWords)"
        }
    }
}

/// The words of a printer state the kiosk stored in `device_state` (`paperOut`, `paperNearEnd`, `ready`,
/// `failed:coverOpen`, `sending`, ...), for `kiosk status`.
enum StoredPrinterState {
    static func inWords(_ stored: String) -> String {
        if let problem = PrinterProblem(rawValue: stored) { return problem.inWords }
        if stored.hasPrefix("failed:"), let problem = PrinterProblem(rawValue: String(stored.dropFirst(7))) {
            return "not printed, \(problem.inWords)"
        }
        return switch stored {
        case "paperNearEnd": "ready, paper near end: load a new roll soon"
        case "sending": "sending (or the kiosk stopped while it sent)"
        default: PrintOutcome(rawValue: stored)?.inWords ?? stored
        }
    }
}
