import Drivers
import Logging
import ServiceLifecycle

/// Holds the virtual terminal while the kiosk runs (`Console`): taken (and shown) at start, given back at stop.
/// Without a VT (over SSH, in tests) it says so and the kiosk runs on; the display keeps drawing, fbcon may draw
/// over it.
package struct ConsoleService: Service {
    let console: InputSettings.Console
    let logger: Logger
    /// Told of VT switches away and back (the display stops drawing, then repaints everything).
    var switched: @Sendable (Console.Switch) async -> Void = { _ in }

    package func run() async throws {
        let tty: String
        switch self.console {
        case .tty(let path):
            tty = path
        case .own:
            guard let own = Console.standardInput() else {
                logger.notice(
                    "no VT of its own (standard input is no virtual terminal): the console is not taken",
                    metadata: ["fix": "run the kiosk as kiosk.service (TTYPath=/dev/tty7), or set [input] console"])
                try? await gracefulShutdown()
                return
            }
            tty = own
        }
        let console: Console
        do {
            console = try Console(tty: tty)
            try console.take()
        } catch {
            logger.error("console not taken; the kiosk runs without it", metadata: ["problem": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        defer { console.restore() }
        logger.notice("console taken", metadata: ["tty": "\(tty)"])
        for await change in console.switches.cancelOnGracefulShutdown() {
            logger.info(change == .released ? "VT switched away: drawing stops" : "VT back: repainting")
            await switched(change)
        }
        logger.notice("console given back", metadata: ["tty": "\(tty)"])
    }
}
