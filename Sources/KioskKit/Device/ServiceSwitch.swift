package import Core
package import Foundation
import NIOConcurrencyHelpers

/// The operator's service switch ("Hentikan Layanan" / "Buka Layanan") and the printer's last problem, kept in
/// `device_state`: a kiosk that restarts (a power cut, an update) comes back as the operator left it, and the
/// heartbeat says who switched it and when.
package struct ServiceSwitch: Sendable {
    let state: DeviceState
    /// The `order` of the switch written last: an earlier one that finishes later is not written over it.
    private let written = Written()

    private final class Written: Sendable {
        let order = NIOLockedValueBox<UInt64>(0)
    }

    package init(state: DeviceState) { self.state = state }

    /// The last switch: stopped or open, by which operator card (masked, `****BEEF`), when.
    package struct Switched: Equatable, Sendable {
        package var outOfService: Bool
        package var by: String
        package var at: Date
    }

    /// Keeps the switch numbered `order` (increasing with each press), unless a later one was kept already.
    package func record(outOfService: Bool, by card: CardUID, order: UInt64, at date: Date = Date()) throws {
        try written.order.withLockedValue { last in
            guard order > last else { return }
            try state.set([
                .serviceStatus: outOfService ? "stopped" : "open", .serviceChangedBy: card.masked,
                .serviceChangedAt: "\(Int64(date.timeIntervalSince1970 * 1000))",
            ])
            last = order
        }
    }

    package func last() throws -> Switched? {
        guard let status = try state.get(.serviceStatus), let by = try state.get(.serviceChangedBy),
            let at = try state.get(.serviceChangedAt).flatMap(Int64.init)
        else { return nil }
        return Switched(outOfService: status == "stopped", by: by, at: Date(timeIntervalSince1970: Double(at) / 1000))
    }

    /// The health the kiosk starts with: the operator's stop, and the letter printer's last problem (which an
    /// operator clears with "Kertas Sudah Diisi" once the printer says it is ready). A value that cannot be read
    /// starts the kiosk healthy rather than not at all.
    package func startHealth() -> Health {
        Health(
            printerProblem: (try? state.get(.printerStatus)).flatMap { $0.flatMap(PrinterProblem.init(rawValue:)) },
            outOfService: (try? last())??.outOfService ?? false)
    }
}
