import NIOCore
import NIOPosix

/// A wait with a limit that leaves nothing behind when what it waits for comes first: a script's `await` (the screen
/// came), the uploader's idle round (a record became ready).
///
/// The limit is not a `Task.sleep` racing the wait: a cancelled `Task.sleep` keeps its task and its dispatch timer
/// until its deadline (swiftlang/swift#60441, still so in Swift 6.3), about 300 bytes for every wait that ended early,
/// held as long as the limit. heaptrack of `kiosk run` through 50 and 250 resident sessions (`make soak-memory`'s
/// script, 15 waits a session with a limit of 600 s) found 3,104 such sleeps more alive in the longer run, and their
/// number, so the kiosk's memory, followed how fast sessions came. The limit is a timer on NIO's event loop instead,
/// which cancelling removes.
package enum TimeLimit {
    /// `operation`'s result; `operation` is cancelled when `limit` passes first, and must then return soon.
    package static func run<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async -> T) async -> T {
        let work = Task { await operation() }
        let alarm = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(limit)) { work.cancel() }
        defer { alarm.cancel() }
        return await withTaskCancellationHandler { await work.value } onCancel: { work.cancel() }
    }
}
