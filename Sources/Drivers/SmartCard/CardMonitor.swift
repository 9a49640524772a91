import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// What happens at the card readers.
public enum CardMonitorEvent: Hashable, Sendable {
    case readerAdded(String)
    case readerRemoved(String)
    case cardInserted(reader: String, atr: ATR)
    case cardRemoved(reader: String)
    /// pcscd went away; cards on the readers count as removed. The monitor reconnects by itself.
    case serviceLost(PCSCError)
    case serviceBack
}

/// Follows every reader and every card through `SCardGetStatusChange`, plugged readers included (pcsc-lite's
/// `\\?PnP?\Notification` pseudo reader), on a thread of its own: the call blocks until something changes, so an
/// idle kiosk costs nothing. `stop()` ends the wait with `SCardCancel`, never by polling.
///
/// When pcscd stops (restart, crash, upgrade) the monitor reports `.serviceLost`, retries every 250 ms and reports
/// `.serviceBack` with the cards it then finds.
public final class CardMonitor: Sendable {
    public let events: AsyncStream<CardMonitorEvent>
    private let continuation: AsyncStream<CardMonitorEvent>.Continuation
    private let shared = NIOLockedValueBox<Shared>(Shared())
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled once when the monitor's thread ends.
    private let finished = DispatchSemaphore(value: 0)
    private let retryInterval: DispatchTimeInterval

    private struct Shared {
        var context: PCSC.Context?
        var stopped = false
        var started = false
    }

    public init(retryInterval: Duration = .milliseconds(250)) {
        (events, continuation) = AsyncStream.makeStream(of: CardMonitorEvent.self)
        self.retryInterval = .milliseconds(Int(retryInterval.milliseconds))
    }

    /// Starts the monitor's thread; events flow until `stop()`.
    public func start() {
        let first = shared.withLockedValue { state in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let thread = Thread { [self] in run() }
        thread.name = "card-monitor"
        thread.start()
    }

    /// Ends the wait (`SCardCancel`) and the thread; the event stream finishes.
    ///
    /// `SCardCancel` only ends a wait already in progress: when the thread is between its check of `stopped` and
    /// `SCardGetStatusChange`, a single cancel is lost and the wait never ends (a `kiosk run` that did not exit was
    /// seen in the demo). So the cancel is repeated, from a helper thread, until the monitor's thread has finished:
    /// a few calls at shutdown, nothing while the kiosk runs.
    public func stop() {
        let running = shared.withLockedValue { state in
            let wasRunning = state.started && !state.stopped
            state.stopped = true
            if let context = state.context { PCSC.cancel(context) }
            return wasRunning
        }
        wake.signal()
        guard running else { return }
        let repeater = Thread { [self] in
            while finished.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                shared.withLockedValue { state in if let context = state.context { PCSC.cancel(context) } }
            }
        }
        repeater.name = "card-monitor-stop"
        repeater.start()
    }

    private var stopped: Bool { shared.withLockedValue { $0.stopped } }

    private func run() {
        var cardsPresent: Set<String> = []
        var lost = false
        while !stopped {
            let context: PCSC.Context
            do {
                context = try PCSC.establishContext()
            } catch {
                if !lost {
                    lost = true
                    continuation.yield(.serviceLost(error))
                }
                _ = wake.wait(timeout: .now() + retryInterval)
                continue
            }
            let proceed = shared.withLockedValue { state in
                state.context = context
                return !state.stopped
            }
            if lost {
                lost = false
                continuation.yield(.serviceBack)
            }
            do {
                if proceed { try watch(context, cardsPresent: &cardsPresent) }
            } catch {
                // Cancelled by stop(), or the context broke: pcscd gone (no service, a communication error, or, as
                // pcsc-lite 1.9 answers a blocked wait when the daemon dies, another error). Either way the cards
                // are no longer followed: report them gone and start over on a new context.
                if !stopped {
                    lost = true
                    for reader in cardsPresent.sorted() { continuation.yield(.cardRemoved(reader: reader)) }
                    cardsPresent = []
                    continuation.yield(.serviceLost(error))
                    _ = wake.wait(timeout: .now() + retryInterval)
                }
            }
            shared.withLockedValue { $0.context = nil }
            PCSC.releaseContext(context)
        }
        continuation.finish()
        finished.signal()
    }

    /// One context's life: list the readers, then wait for changes until an error.
    private func watch(_ context: PCSC.Context, cardsPresent: inout Set<String>) throws(PCSCError) {
        var readers: [String: UInt] = [:]  // name -> last known state
        func relist() throws(PCSCError) {
            let names = Set(try PCSC.listReaders(context))
            for gone in readers.keys where !names.contains(gone) {
                if cardsPresent.remove(gone) != nil { continuation.yield(.cardRemoved(reader: gone)) }
                readers[gone] = nil
                continuation.yield(.readerRemoved(gone))
            }
            for new in names.sorted() where readers[new] == nil {
                readers[new] = 0  // SCARD_STATE_UNAWARE: the next wait returns at once with its real state
                continuation.yield(.readerAdded(new))
            }
        }
        try relist()
        var plugAndPlay: UInt = 0
        while !stopped {
            let names = readers.keys.sorted()
            let states =
                names.map { PCSC.ReaderState(name: $0, current: readers[$0]!) }
                + [PCSC.ReaderState(name: PCSC.plugAndPlayReader, current: plugAndPlay)]
            let changed = try PCSC.getStatusChange(context, states)
            var relistNeeded = false
            for state in changed {
                let settled = state.event & ~PCSC.stateChanged
                if state.name == PCSC.plugAndPlayReader {
                    // Any change relists (relisting is idempotent). pcsc-lite keeps the reader count in the high
                    // word, so with the last reader unplugged the settled state is 0 again: skipping changes from
                    // a state of 0 (meant for the first, unaware call) missed the reader plugged back, and the
                    // kiosk never served again until restarted (seen in the system test, QMP device_del/add).
                    if state.event & PCSC.stateChanged != 0 { relistNeeded = true }
                    plugAndPlay = settled
                    continue
                }
                readers[state.name] = settled
                if state.event & (PCSC.stateUnknown | PCSC.stateUnavailable) != 0 { relistNeeded = true }
                let present = state.event & PCSC.statePresent != 0
                if present, !cardsPresent.contains(state.name) {
                    cardsPresent.insert(state.name)
                    continuation.yield(.cardInserted(reader: state.name, atr: ATR(state.atr)))
                } else if !present, cardsPresent.contains(state.name) {
                    cardsPresent.remove(state.name)
                    continuation.yield(.cardRemoved(reader: state.name))
                }
            }
            if relistNeeded { try relist() }
        }
    }
}
