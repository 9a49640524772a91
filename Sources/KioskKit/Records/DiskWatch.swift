import ServiceLifecycle

/// Tells the state machine what the disk guard sees, once a minute: after a capture was refused for lack of space,
/// this is what lets services resume once an operator (or the purge of uploaded records) made room.
package struct DiskWatch: Service {
    let diskGuard: DiskGuard
    let events: KioskEvents
    var interval: Duration = .seconds(60)

    package func run() async throws {
        // Stops at graceful shutdown: the sleeps end early and the loop sees the cancellation; nothing here throws,
        // so a shutdown is not reported as this service's failure.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                events.send(.diskChecked(hasRoom: diskGuard.hasRoom))
                try? await Task.sleep(for: interval)
            }
        }
    }
}
