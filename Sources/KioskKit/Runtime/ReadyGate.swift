import NIOConcurrencyHelpers
import ServiceLifecycle

/// Opened once, when the kiosk serves: its first screen is up and systemd has heard READY=1.
///
/// What neither the first screen nor a resident's first tap needs (the provincial API's TLS connections, the
/// speech check's espeak-ng child) waits for it, so start-up does not wait on it nor share the two cores with it.
/// Everything that can refuse a bad configuration still runs before the gate opens.
package final class ReadyGate: Sendable {
    private struct Waiters {
        var isOpen = false
        var next: UInt64 = 0
        var waiting: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = NIOLockedValueBox(Waiters())

    package init() {}

    /// Lets every waiter through, now and later.
    package func open() {
        let waiting = state.withLockedValue { state in
            state.isOpen = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns when the gate opens, or at once if the waiting task is cancelled.
    package func wait() async {
        let id = state.withLockedValue { state in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let passes = state.withLockedValue { state in
                    guard !state.isOpen, !Task.isCancelled else { return true }
                    state.waiting[id] = continuation
                    return false
                }
                if passes { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiting.removeValue(forKey: id) }?.resume()
        }
    }
}

/// Runs `service` once `gate` opens; a graceful shutdown or cancellation before that ends it without running.
struct AfterReady: Service {
    let gate: ReadyGate
    let service: any Service

    func run() async throws {
        await cancelWhenGracefulShutdown { await gate.wait() }
        guard !Task.isCancelled, !Task.isShuttingDownGracefully else { return }
        try await service.run()
    }
}
