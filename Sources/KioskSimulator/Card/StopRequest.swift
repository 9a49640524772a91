import Synchronization

/// Whether SIGINT or SIGTERM has asked the simulator to stop. The signal handler may only do async-signal-safe
/// work, so it sets an atomic flag; the serve and wait loops see it within one poll slice (or at once, since the
/// signal interrupts `poll`) and remove the card before exiting.
enum StopRequest {
    private static let flag = Atomic<Bool>(false)

    static var isRequested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        Syscalls.onTerminationSignals { _ in StopRequest.flag.store(true, ordering: .relaxed) }
    }
}
