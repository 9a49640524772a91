/// Records the events of an async stream and lets a test wait for one: no sleeps, and a limit that only turns a
/// hang into a failure.
actor EventLog<Event: Sendable> {
    private(set) var events: [Event] = []
    private var waiters:
        [Int: (wanted: @Sendable (Event) -> Bool, from: Int, continuation: CheckedContinuation<Event?, Never>)] = [:]
    private var nextID = 0
    private var consumer: Task<Void, Never>?

    init() {}

    /// Starts recording `stream`.
    func record(_ stream: AsyncStream<Event>) {
        consumer = Task { [weak self] in
            for await event in stream { await self?.append(event) }
        }
    }

    private func append(_ event: Event) {
        events.append(event)
        for (id, waiter) in waiters where waiter.wanted(event) {
            waiters[id] = nil
            waiter.continuation.resume(returning: event)
        }
    }

    /// The first event at or after index `from` that `wanted` accepts; `nil` if none came within `limit`.
    func waitFor(from: Int = 0, limit: Duration = .seconds(15), _ wanted: @escaping @Sendable (Event) -> Bool) async
        -> Event?
    {
        if let seen = events.dropFirst(from).first(where: wanted) { return seen }
        let id = nextID
        nextID += 1
        let timeout = Task {
            try? await Task.sleep(for: limit)
            self.expire(id)
        }
        defer { timeout.cancel() }
        return await withCheckedContinuation { waiters[id] = (wanted, from, $0) }
    }

    private func expire(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }

    var count: Int { events.count }

    func stop() { consumer?.cancel() }
}
