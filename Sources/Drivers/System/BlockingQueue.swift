import Dispatch

/// A serial queue of blocking C calls (libcups, sockets, device nodes), awaited without holding a thread of the
/// Swift concurrency pool: the calls block on I/O, and some libraries keep per-thread state besides.
struct BlockingQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and waits for its result.
    func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure)
        -> T
    {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result(catching: body)) }
        }
        return try result.get()
    }
}
