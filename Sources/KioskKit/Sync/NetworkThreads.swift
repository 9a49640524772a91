import NIOCore

/// The threads behind the provincial API client. NIO's shared event loop group starts one thread a core; the
/// kiosk talks to one server, a request at a time, so one event loop serves it and the other threads only cost
/// their stacks and malloc arenas.
package enum NetworkThreads {
    /// One event loop for the process: to be called once, before any HTTP client exists (NIO stops the process
    /// if the count is set twice or after its group started), so only `kiosk run` calls it, first thing.
    package static func useOneEventLoop() {
        NIOSingletons.groupLoopCountSuggestion = 1
    }
}
