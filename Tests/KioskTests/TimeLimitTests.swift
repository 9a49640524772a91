import Testing

@testable import KioskKit

/// Waits with a limit (TimeLimit): what comes first ends the wait. That a wait which ended early leaves no timer
/// behind is shown by `make soak-memory`'s malloc figure at each checkpoint; heaptrack found the sleeps of the
/// racing `Task.sleep` this replaced.
@Suite("Waits with a limit")
struct TimeLimitTests {
    @Test("what is waited for comes first: its result, long before the limit", .timeLimit(.minutes(1)))
    func resultFirst() async {
        let bell = Doorbell()
        async let woken: Void = bell.wait(upTo: .seconds(3600))
        bell.ring()
        await woken
        #expect(await TimeLimit.run(.seconds(3600)) { "screen" } == "screen")
    }

    @Test("a ring nobody waited for is kept for the next wait", .timeLimit(.minutes(1)))
    func ringKept() async {
        let bell = Doorbell()
        bell.ring()
        await bell.wait(upTo: .seconds(3600))
    }

    @Test("the limit passes first: the wait is cancelled and returns", .timeLimit(.minutes(1)))
    func limitFirst() async {
        await Doorbell().wait(upTo: .milliseconds(20))
        let cancelled = await TimeLimit.run(.milliseconds(20)) { () async -> Bool in
            try? await Task.sleep(for: .seconds(3600))
            return Task.isCancelled
        }
        #expect(cancelled)
    }

    @Test("cancelling the waiting task cancels what it waits for", .timeLimit(.minutes(1)))
    func cancelledFromOutside() async {
        let waiting = Task { await TimeLimit.run(.seconds(3600)) { () async -> Bool in
            try? await Task.sleep(for: .seconds(3600))
            return Task.isCancelled
        } }
        waiting.cancel()
        #expect(await waiting.value)
    }
}
