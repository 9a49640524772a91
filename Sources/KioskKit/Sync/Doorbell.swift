import Foundation
import NIOConcurrencyHelpers

/// Wakes a waiting service early: the record store rings it when a record becomes ready, the uploader waits on it
/// with its idle timer as the limit. A ring with nobody waiting is kept for the next wait, so none is lost.
package final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = NIOLockedValueBox(State())

    func ring() {
        let waiters = state.withLockedValue { state in
            let waiters = state.waiters
            state.waiters = [:]
            if waiters.isEmpty { state.rung = true }
            return waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Returns at the next ring (or at once for a ring nobody has taken yet), or when `limit` passed.
    func wait(upTo limit: Duration) async {
        await TimeLimit.run(limit) { await self.waitForRing() }
    }

    private func waitForRing() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLockedValue { state in
                    if state.rung || Task.isCancelled {
                        state.rung = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
