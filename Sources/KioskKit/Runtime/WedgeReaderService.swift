import Core
import Drivers
import Logging
import ServiceLifecycle

/// Bridges a keyboard-wedge card reader to the kiosk: each complete tap becomes `.cardInserted` then
/// `.cardRead(uid)`.
///
/// A wedge reader has no removal: it types a number and forgets the card, so it never sends `.cardRemoved`, and a
/// session it starts ends by timeout, cancel (Batal) or done (Selesai). Rejected input is logged with its reason
/// only, and taps without their UID: the typed number identifies a resident. An unplugged reader is logged and
/// waited for (`WedgeReader` opens it again when it is back).
package struct WedgeReaderService: Service {
    let reader: WedgeReader
    let port: WedgeCardPort
    let events: KioskEvents
    let logger: Logger

    /// The service for the wedge reader the settings name, if any. It puts its port in front of `cardReader`.
    static func configured(
        _ settings: KioskSettings, cardReader: inout any CardReader, events: KioskEvents, logger: Logger
    ) -> WedgeReaderService? {
        guard let device = settings.cardReader.wedgeDevice else { return nil }
        let port = WedgeCardPort(fallback: cardReader, freshness: settings.policy.cardReadTimeout)
        cardReader = port
        return WedgeReaderService(
            reader: WedgeReader(path: device, grab: settings.cardReader.wedgeGrab), port: port, events: events,
            logger: logger)
    }

    package func run() async throws {
        reader.start()
        defer { reader.stop() }
        await withGracefulShutdownHandler {
            for await event in reader.events {
                handle(event)
            }
        } onGracefulShutdown: {
            reader.stop()
        }
    }

    func handle(_ event: WedgeReader.Event) {
        switch event {
        case .connected(let name, let typesNumbers):
            logger.notice("wedge card reader connected", metadata: ["device": "\(reader.path)", "name": "\(name)"])
            if !typesNumbers {
                logger.error(
                    "the wedge device has no digit or Enter keys: is card_reader.wedge the reader's keyboard node?",
                    metadata: ["device": "\(reader.path)"])
            }
        case .card(let uid):
            logger.info("card tapped on the wedge reader", metadata: ["uid_bytes": "\(uid.bytes.count)"])
            port.tapped(uid)
            events.send(.cardInserted)
            events.send(.cardRead(uid))
        case .rejected(let reason):
            logger.warning("wedge reader input rejected", metadata: ["reason": "\(reason)"])
        case .unavailable(let error):
            logger.warning("wedge card reader unavailable; waiting for it", metadata: ["error": "\(error)"])
        }
    }
}
