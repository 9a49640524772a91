import ArgumentParser
import Core
import Drivers
import Foundation
import KioskKit

/// `kiosk test-card --wedge DEVICE`: one tap on a keyboard-wedge reader, shown like a PC/SC card. Also says what
/// the reader typed that was not a card number (reasons only), and when it goes away or cannot be opened.
extension TestCardCommand {
    func waitForWedgeTap(device: String, settings: KioskSettings, registry: any ResidentRegistry) async throws {
        let reader = WedgeReader(path: device, grab: settings.cardReader.wedgeGrab)
        reader.start()
        defer { reader.stop() }
        say("Waiting \(timeout) s for a card on the wedge reader \(device):")
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        let waiter = Task {
            try? await Task.sleep(until: deadline)
            reader.stop()
        }
        defer { waiter.cancel() }
        var name = device
        for await event in reader.events {
            switch event {
            case .connected(let connected, let typesNumbers):
                name = connected
                say("  + \(connected)")
                if !typesNumbers {
                    say("    it has no digit or Enter keys: try the reader's other event node (ls -l /dev/input/by-id)")
                }
            case .unavailable(let error) where error.isUnplugged:
                say("  - \(error); waiting for it to come back")
            case .unavailable(let error):
                say("  \(error); waiting for it")
            case .rejected(let reason):
                say("  rejected: \(reason)")
            case .card(let uid):
                say("Reader: \(name) (\(device), keyboard wedge)")
                try await report(uid: uid, registry: registry)
                return
            }
        }
        say(
            """
            No card within \(timeout) s. Does the reader type the number and Enter? Stop the kiosk (it grabs the \
            reader), then watch it with `evtest \(device)`.
            """)
        throw ExitCode(1)
    }

    /// A line out at once, not when the buffer fills: a technician (or a test) watches the reader live.
    private func say(_ line: String) {
        print(line)
        fflush(nil)
    }
}
