import Core

/// The screen on display now, and a way to wait for a given one: what a scripted session synchronises on, so a
/// script never races the kiosk.
package actor ScreenWatch {
    private(set) var current: Screen?
    private var waiters:
        [Int: (wanted: @Sendable (Screen) -> Bool, continuation: CheckedContinuation<Screen?, Never>)] = [:]
    private var nextWaiter = 0

    func shown(_ screen: Screen) {
        current = screen
        for (id, waiter) in waiters where waiter.wanted(screen) {
            waiters[id] = nil
            waiter.continuation.resume(returning: screen)
        }
    }

    /// Returns when a screen `wanted` accepts is on display (the current one included); `nil` if cancelled.
    func waitFor(_ wanted: @escaping @Sendable (Screen) -> Bool) async -> Screen? {
        if let current, wanted(current) { return current }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiters[id] = (wanted, continuation)
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }
}
