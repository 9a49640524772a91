public import Core

/// A thermal printer, whatever the cable: TCP 9100, the kernel's `/dev/usb/lp*`, or USB through libusb. Each job
/// is atomic for the caller: it printed, or it failed with what the printer said.
public protocol ThermalPrinter: Sendable {
    /// The printer's status, or `nil` when it cannot tell (no status channel, no answer).
    func status() async throws(ThermalError) -> ThermalStatus?
    /// Sends one job; checks the status before and after where the printer can tell it.
    func print(_ job: [UInt8]) async -> PrintOutcome
}

extension NetworkThermalPrinter: ThermalPrinter {}
