import Foundation
import NIOConcurrencyHelpers

/// New and changed entries in folders (inotify `IN_CREATE`, `IN_ATTRIB`, `IN_MOVED_TO`), as a stream of "look
/// again" notices: how input devices plugged in after the start are found without polling. A thread waits in
/// poll(2) on the inotify descriptor and a wake-up pipe, like `EvdevDevice`'s reader; ending the stream's iteration
/// (its task cancelled) wakes and ends it.
///
/// `IN_ATTRIB` matters as much as `IN_CREATE`: the kernel creates `/dev/input/eventN` root-only and udev then sets
/// its group, so the node becomes readable for the kiosk user only at the attribute change.
final class FolderWatch: Sendable {
    let changes: AsyncStream<Void>

    /// Watches those of `folders` that exist; fails when none does or inotify is refused.
    init(folders: [String]) throws(InputError) {
        let fd = try Evdev.watchFolders(folders)
        let pipe: (read: CInt, write: CInt)
        do {
            pipe = try Evdev.makeWakePipe(device: folders.first ?? "")
        } catch {
            Evdev.close(fd)
            throw error
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        changes = stream
        // The thread closes the descriptors under this lock, so a late wake-up never writes to a reused number.
        let flag = ClosedFlag()
        continuation.onTermination = { _ in
            flag.closed.withLockedValue { if !$0 { Evdev.wake(pipe.write) } }
        }
        let thread = Thread {
            watching: while true {
                switch Evdev.wait(device: fd, wake: pipe.read) {
                case .readable:
                    Evdev.drainNotifications(fd)
                    continuation.yield()
                case .woken, .hungUp, .failed:
                    break watching
                }
            }
            flag.closed.withLockedValue {
                $0 = true
                for descriptor in [fd, pipe.read, pipe.write] { Evdev.close(descriptor) }
            }
            continuation.finish()
        }
        thread.name = "input-hotplug"
        thread.start()
    }
}

private final class ClosedFlag: Sendable {
    let closed = NIOLockedValueBox(false)
}
