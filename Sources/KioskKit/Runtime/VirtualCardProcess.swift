package import Core
import Foundation
import NIOConcurrencyHelpers

/// Taps a virtual e-KTP on the real PC/SC stack: `tap` starts `kiosk-sim card` (which connects to pcscd's vpcd
/// reader, so pcscd sees a card arrive), `remove` stops it. What a scripted session uses with
/// `[card_reader] backend = "pcsc"`: the kiosk meets the card exactly as it meets a real one.
package final class VirtualCardProcess: CardPlacer {
    let simulator: String
    private let running = NIOLockedValueBox<Process?>(nil)

    /// `simulator`: the `kiosk-sim` executable (by default the one beside the running `kiosk`).
    init(simulator: String = VirtualCardProcess.simulatorBesideKiosk) {
        self.simulator = simulator
    }

    static var simulatorBesideKiosk: String {
        ProcessInfo.processInfo.environment["KIOSK_SIM"]
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "kiosk-sim"
            ).path
    }

    package func tap(_ card: CardUID) async throws {
        try await remove()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: simulator)
        process.arguments = ["card", "--uid", card.hex]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start the virtual card \(simulator): \(error)")
        }
        running.withLockedValue { $0 = process }
    }

    package func remove() async throws {
        guard
            let process = running.withLockedValue({ current -> Process? in
                defer { current = nil }
                return current
            })
        else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit {
        running.withLockedValue { $0?.terminate() }
    }

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }
}
