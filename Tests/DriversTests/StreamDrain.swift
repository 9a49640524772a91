/// Everything `stream` yields until it finishes; `nil` if it has not finished within `limit`. The limit only turns
/// a hang into a failure: a stream that ends returns at once.
func drain<Element: Sendable>(_ stream: AsyncStream<Element>, limit: Duration = .seconds(60)) async -> [Element]? {
    await withTaskGroup(of: [Element]?.self) { group in
        group.addTask {
            var all: [Element] = []
            for await element in stream { all.append(element) }
            return all
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
