public import Core

/// A thermal printer, whatever the cable: TCP 9100, the kernel's `/dev/usb/lp*`, or USB through libusb. Each job
/// is atomic for the caller: it printed, or it failed with what the printer said.
public protocol ThermalPrinter: Sendable {
    /// The printer's status, or `nil` when it cannot tell (no status channel, no answer).
    func status() async throws(ThermalError) -> ThermalStatus?
    /// Sends one job; checks the status before and after where the printer can tell it.
    func print(_ job: [UInt8]) async -> PrintOutcome
    /// Sends one job as `print(_:)` does, and says the last status the printer gave (after the job, or the one
    /// that stopped it); `nil` when it said none. What `kiosk status` and the heartbeat report.
    func printReporting(_ job: [UInt8]) async -> (outcome: PrintOutcome, status: ThermalStatus?)
}

extension ThermalPrinter {
    /// For printers whose status comes from elsewhere (the lp node's port status): asked after the job.
    public func printReporting(_ job: [UInt8]) async -> (outcome: PrintOutcome, status: ThermalStatus?) {
        let outcome = await print(job)
        return (outcome, try? await status())
    }
}

extension NetworkThermalPrinter: ThermalPrinter {}
