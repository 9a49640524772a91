import Core
import Drivers
import Logging
import ServiceLifecycle

/// Bridges the PC/SC card monitor to the kiosk: a card on a reader is read at once, its UID and, in identity mode
/// `chip`, its chip's biodata, and becomes `.cardPresented` (or `.cardUnreadable`); its removal `.cardRemoved`.
/// Reader hotplug and pcscd restarts are logged and survived without restarting the daemon.
///
/// One session at a time: the first reader that gets a card is the session's reader until that card leaves;
/// cards on other readers meanwhile are ignored.
package struct CardReaderService: Service {
    let monitor: CardMonitor
    let reader: PCSCCardReader
    /// Reads the e-KTP's biodata through the SAM at the tap; `nil` outside identity mode `chip`.
    let chip: EKTPChipReader?
    let events: KioskEvents
    let logger: Logger
    /// Only readers whose name contains this take part (to skip a SAM slot, say); `nil` for all.
    let readerFilter: String?

    package func run() async throws {
        monitor.start()
        defer { monitor.stop() }
        await withGracefulShutdownHandler {
            // The reader holding the session's card, `nil` when none does.
            var session: String?
            for await event in monitor.events {
                await handle(event, session: &session)
            }
        } onGracefulShutdown: {
            monitor.stop()
        }
    }

    private func accepts(_ name: String) -> Bool {
        readerFilter.map { name.contains($0) } ?? true
    }

    private func handle(_ event: CardMonitorEvent, session: inout String?) async {
        switch event {
        case .readerAdded(let name):
            logger.notice("card reader connected", metadata: ["reader": "\(name)", "used": "\(accepts(name))"])
        case .readerRemoved(let name):
            logger.warning("card reader disconnected", metadata: ["reader": "\(name)"])
        case .cardInserted(let name, let atr):
            guard accepts(name), session == nil else { return }
            session = name
            logger.info("card inserted", metadata: ["reader": "\(name)", "card": "\(atr.kind.rawValue)"])
            events.send(await presented(on: name))
        case .cardRemoved(let name):
            guard session == name else { return }
            session = nil
            logger.info("card removed", metadata: ["reader": "\(name)"])
            events.send(.cardRemoved)
        case .serviceLost(let error):
            logger.error("card service lost; reconnecting", metadata: ["error": "\(error)"])
        case .serviceBack:
            logger.notice("card service back")
        }
    }

    /// The card on `name` as the state machine hears of it: read, or unreadable.
    private func presented(on name: String) async -> KioskEvent {
        do {
            let (uid, chipRead) = try await reader.read(on: name, chip: chip)
            let chip = chipRead.map { read -> KioskEvent.Chip in
                switch read {
                case .success(let resident):
                    return .resident(resident)
                case .failure(let error):
                    logger.warning("chip read failed", metadata: ["error": "\(error)"])
                    return .unreadable
                }
            }
            return .cardPresented(uid, chip: chip)
        } catch {
            logger.warning("card read failed", metadata: ["error": "\(error)"])
            return .cardUnreadable
        }
    }
}
