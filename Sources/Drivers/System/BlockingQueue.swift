import Dispatch

/// A serial queue of blocking C calls (libcups, sockets, device nodes) or CPU-heavy work (a PIN's scrypt hash), awaited
/// without holding a thread of the Swift concurrency pool: the calls block on I/O, and some libraries keep per-thread
/// state besides.
///
/// Serial, never Dispatch's global queues: a serial queue gets a thread of its own (it "overcommits"), while the global
/// queues, and concurrent queues that target them, share threads that on Linux number about as many as the cores. Work
/// there waits behind whatever blocks there: scrypt hashes queued behind card reads waiting for a mute card kept PIN
/// sessions on "showing: pin" for more than 20 s in loaded test runs.
package struct BlockingQueue: Sendable {
    private let queue: DispatchQueue

    package init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and waits for its result.
    package func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure)
        -> T
    {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result(catching: body)) }
        }
        return try result.get()
    }
}
