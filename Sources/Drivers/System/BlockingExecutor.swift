import Dispatch

/// A serial executor with a dispatch queue of its own: an actor running on it may make a call that blocks for a
/// moment (waiting for a panel's vertical blank) without holding a thread of the Swift concurrency pool.
final class BlockingExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
