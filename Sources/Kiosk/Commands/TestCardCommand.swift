import ArgumentParser
import Core
import Drivers
import Foundation
import KioskKit
import Logging

/// `kiosk test-card`: for technicians. Waits for a card and says what the kiosk sees: the reader, the kind of
/// card, its UID in every form OpenSID may hold it, and whether the registry knows it (masked NIK only).
/// `--wedge DEVICE` waits for a tap on a keyboard-wedge reader instead (TestCardCommand+Wedge.swift).
struct TestCardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-card",
        abstract: "Wait for a card on a reader and show what the kiosk reads from it.")

    @OptionGroup var options: ConfigOption

    @Option(help: "Seconds to wait for a card.")
    var timeout = 60

    @Option(
        help: ArgumentHelp(
            "Wait for a tap on this keyboard-wedge reader instead of a PC/SC reader.",
            valueName: "/dev/input/by-id/...-event-kbd"))
    var wedge: String?

    func run() async throws {
        let settings = try ConfigurationLoader.load(path: options.config)
        let registry = try await KioskApp.registry(
            settings, database: try settings.openDatabase(), logger: Logger(label: "kiosk.test-card"))
        if let wedge {
            try await waitForWedgeTap(device: wedge, settings: settings, registry: registry)
            return
        }
        let monitor = CardMonitor()
        monitor.start()
        defer { monitor.stop() }
        print("Waiting \(timeout) s for a card; readers:")
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        let waiter = Task {
            try? await Task.sleep(until: deadline)
            monitor.stop()
        }
        defer { waiter.cancel() }
        for await event in monitor.events {
            switch event {
            case .readerAdded(let name): print("  + \(name)")
            case .readerRemoved(let name): print("  - \(name) (unplugged)")
            case .serviceLost(let error): print("card service: \(error)")
            case .serviceBack: print("card service back")
            case .cardRemoved: break
            case .cardInserted(let reader, let atr):
                if let filter = settings.cardReader.readerFilter, !reader.contains(filter) {
                    print("  card on \(reader), which card_reader.reader (\"\(filter)\") leaves out")
                    continue
                }
                try await report(reader: reader, atr: atr, settings: settings, registry: registry)
                return
            }
        }
        print("No card within \(timeout) s. Check `pcsc_scan`: is the reader listed, does it see the card?")
        throw ExitCode(1)
    }

    private func report(reader: String, atr: ATR, settings: KioskSettings, registry: any ResidentRegistry) async throws
    {
        print(
            """
            Reader: \(reader)
            Card:   \(atr.kind.rawValue)
            ATR:    \(atr)\(atr.checksumValid ? "" : "  (check byte wrong)")
            """)
        // What the kiosk reads at a tap: the UID, and in identity mode `chip` the biodata through the SAM.
        let chip =
            settings.policy.identityMode == .chip && settings.sam == .simulated
            ? EKTPChipReader(sam: SimulatedSAM()) : nil
        let card: (uid: CardUID, chip: Result<Resident, EKTPChipError>?)
        do {
            card = try await PCSCCardReader(answerLimit: settings.policy.cardReadTimeout).read(on: reader, chip: chip)
        } catch {
            print("UID:    unreadable: \(error)")
            throw ExitCode(1)
        }
        try await report(uid: card.uid, registry: registry)
        switch card.chip {
        case .success(let resident): print("Chip:   biodata readable, NIK \(resident.nik.masked)")
        case .failure(let error): print("Chip:   biodata unreadable: \(error)")
        case nil: break
        }
    }

    /// The UID in every form OpenSID may hold it, and what the registry says of the card (masked NIK only).
    func report(uid: CardUID, registry: any ResidentRegistry) async throws {
        print(
            """
            UID:    \(uid.hex) (\(uid.bytes.count) bytes)
                    decimal \(uid.decimal)
                    OpenSID tag_id_card \(uid.openSIDTag ?? "none: 10-byte UIDs do not fit"), reversed reader \(uid.reversedOpenSIDTag ?? "none")
            """)
        switch try await registry.lookUp(uid) {
        case .resident(let resident): print("Registry: resident with NIK \(resident.nik.masked)")
        case .operatorCard: print("Registry: operator card (opens maintenance)")
        case .unknownCard: print("Registry: not registered")
        case .locked: print("Registry: registered, locked after wrong PINs")
        case .failed: print("Registry: cannot be read")
        }
    }
}
