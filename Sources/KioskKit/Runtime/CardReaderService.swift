import Core
import Drivers
import Logging
import ServiceLifecycle

/// Bridges the PC/SC card monitor to the kiosk: a card on a reader becomes `.cardInserted`, its removal
/// `.cardRemoved`; reader hotplug and pcscd restarts are logged and survived without restarting the daemon.
///
/// One session at a time: the first reader that gets a card is the session's reader until that card leaves;
/// cards on other readers meanwhile are ignored.
package struct CardReaderService: Service {
    let monitor: CardMonitor
    let reader: PCSCCardReader
    let events: KioskEvents
    let logger: Logger
    /// Only readers whose name contains this take part (to skip a SAM slot, say); `nil` for all.
    let readerFilter: String?

    package func run() async throws {
        monitor.start()
        defer { monitor.stop() }
        await withGracefulShutdownHandler {
            for await event in monitor.events {
                handle(event)
            }
        } onGracefulShutdown: {
            monitor.stop()
        }
    }

    private func accepts(_ name: String) -> Bool {
        readerFilter.map { name.contains($0) } ?? true
    }

    private func handle(_ event: CardMonitorEvent) {
        switch event {
        case .readerAdded(let name):
            logger.notice("card reader connected", metadata: ["reader": "\(name)", "used": "\(accepts(name))"])
        case .readerRemoved(let name):
            logger.warning("card reader disconnected", metadata: ["reader": "\(name)"])
        case .cardInserted(let name, let atr):
            guard accepts(name), reader.currentReader == nil else { return }
            reader.setCurrentReader(name)
            logger.info("card inserted", metadata: ["reader": "\(name)", "card": "\(atr.kind.rawValue)"])
            events.send(.cardInserted)
        case .cardRemoved(let name):
            guard reader.currentReader == name else { return }
            reader.setCurrentReader(nil)
            logger.info("card removed", metadata: ["reader": "\(name)"])
            events.send(.cardRemoved)
        case .serviceLost(let error):
            logger.error("card service lost; reconnecting", metadata: ["error": "\(error)"])
        case .serviceBack:
            logger.notice("card service back")
        }
    }
}
