package import Drivers
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Something that can prove the kiosk's main loop still turns: a probe sent through the loop's own inbox and
/// answered when the loop gets to it. A loop stuck in an effect never answers.
package protocol LivenessSource: Sendable {
    /// Asks the loop to prove it is alive; returns the probe's number.
    func probe() -> UInt64
    /// Whether the loop has answered probe `number` (or a later one).
    func hasAnswered(_ number: UInt64) -> Bool
}

/// Feeds systemd's watchdog (`WatchdogSec=`), but only for a kiosk whose main loop is alive: each turn pings when the
/// loop answered the last probe and withholds the ping when it did not, so a hung loop lets the watchdog fire and
/// systemd restarts the kiosk. The one periodic timer of the kiosk, and only there when systemd asked for a watchdog.
package struct WatchdogService: Service {
    /// Half of `WATCHDOG_USEC`.
    let interval: Duration
    let gate: WatchdogGate

    package func run() async throws {
        // Stops at graceful shutdown (systemd stops watching once the unit is stopping); nothing here throws.
        await cancelWhenGracefulShutdown {
            gate.start()
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                gate.turn()
            }
        }
    }
}

/// The watchdog's decision, one turn at a time, without a clock: tests drive it step by step.
package final class WatchdogGate: Sendable {
    package enum Step: Equatable {
        /// The loop answered: WATCHDOG=1 went out.
        case pinged
        /// The loop has not answered since the last ping: no ping, so a hang ends in a restart.
        case withheld
        /// The loop answered but systemd did not get the ping.
        case failed(SystemdNotifyError)
    }

    private struct State {
        var outstanding: UInt64?
        var withholding = false
        var failing = false
    }

    let liveness: any LivenessSource
    let ping: @Sendable () throws(SystemdNotifyError) -> Void
    let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(
        liveness: any LivenessSource, logger: Logger, ping: @escaping @Sendable () throws(SystemdNotifyError) -> Void
    ) {
        self.liveness = liveness
        self.logger = logger
        self.ping = ping
    }

    /// Sends the first probe.
    func start() {
        state.withLockedValue { $0.outstanding = liveness.probe() }
    }

    /// One turn: ping if the loop answered the outstanding probe, then probe again. An unanswered probe stays
    /// outstanding (no new one piles up behind a hung loop) until the loop gets to it.
    @discardableResult
    func turn() -> Step {
        state.withLockedValue { state in
            if let outstanding = state.outstanding, !liveness.hasAnswered(outstanding) {
                if !state.withholding {
                    logger.critical(
                        "the main loop has not answered since the last watchdog ping; withholding the ping so systemd restarts a hung kiosk"
                    )
                }
                state.withholding = true
                return .withheld
            }
            if state.withholding {
                logger.notice("the main loop answers again; watchdog pings resume")
                state.withholding = false
            }
            state.outstanding = liveness.probe()
            do throws(SystemdNotifyError) {
                try ping()
                if state.failing { logger.notice("systemd gets the watchdog pings again") }
                state.failing = false
                return .pinged
            } catch {
                // Logged once per run of failures: a ping every few seconds must not flood the journal.
                if !state.failing {
                    logger.error("watchdog ping not sent", metadata: ["error": "\(error)"])
                }
                state.failing = true
                return .failed(error)
            }
        }
    }
}
