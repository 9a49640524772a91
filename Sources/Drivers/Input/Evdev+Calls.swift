import CLinuxIO
import Core
import Glibc

/// A file by device and inode, as stat(2) gives them.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
}

/// Every evdev system call goes through here: the one file that touches file descriptors, ioctls and `errno`, and
/// turns failures into `InputError`s. Request numbers come from CLinuxIO, never spelled in Swift.
enum Evdev {
    /// The size of one `struct input_event` (24 bytes on 64-bit systems).
    static let eventSize = MemoryLayout<input_event>.size

    /// `open(2)` read-only and non-blocking: reads drain the queue and stop at `EAGAIN`, so the reading thread only
    /// ever blocks in poll(2), where the wake-up pipe can reach it.
    static func open(_ path: String) throws(InputError) -> CInt {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(code: errno, call: "open", device: path) }
        return fd
    }

    static func close(_ fd: CInt) {
        _ = Glibc.close(fd)
    }

    /// EVIOCGNAME: the name the device gives itself ("Kiosk Test Wedge Reader"). Fails on anything that is not an
    /// evdev node, which makes it the check that a configured path is one.
    static func name(_ fd: CInt, device: String) throws(InputError) -> String {
        // 256 bytes, as evtest and libevdev ask (umockdev recordings answer that length only), plus a NUL the
        // kernel does not write when the name fills them.
        var buffer = [CChar](repeating: 0, count: 257)
        let length = CInt(256)
        guard kiosk_evdev_name(fd, &buffer, length) >= 0 else {
            throw InputError(code: errno, call: "EVIOCGNAME", device: device)
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// EVIOCGRAB: this process alone receives the device's events; keys no longer reach the console or another
    /// reader. Closing the descriptor releases the grab, so there is no ungrab call to forget.
    static func grab(_ fd: CInt, device: String) throws(InputError) {
        guard kiosk_evdev_grab(fd, 1) == 0 else { throw InputError(code: errno, call: "EVIOCGRAB", device: device) }
    }

    /// EVIOCSCLOCKID with `CLOCK_MONOTONIC`, so event times do not jump with NTP. Best effort: old kernels and
    /// umockdev refuse it, and the wall clock still orders one device's events.
    static func useMonotonicClock(_ fd: CInt) -> Bool {
        kiosk_evdev_set_clock(fd, CLOCK_MONOTONIC) == 0
    }

    /// EVIOCGBIT(type): the codes of one event type the device can send.
    static func codes(_ fd: CInt, type: UInt16, device: String) throws(InputError) -> Set<UInt16> {
        let maximum: Int32 =
            switch Int32(type) {
            case EV_SYN: EV_MAX
            case EV_REL: REL_MAX
            case EV_ABS: ABS_MAX
            case EV_MSC: MSC_MAX
            case EV_SW: SW_MAX
            case EV_LED: LED_MAX
            case EV_SND: SND_MAX
            case EV_FF: FF_MAX
            default: KEY_MAX
            }
        // Whole 64-bit words, as libevdev and evtest ask: the length is part of the request number.
        var bits = [UInt8](repeating: 0, count: (Int(maximum) + 64) / 64 * 8)
        let length = CInt(bits.count)
        guard kiosk_evdev_bits(fd, CInt(type), &bits, length) >= 0 else {
            throw InputError(code: errno, call: "EVIOCGBIT", device: device)
        }
        var codes: Set<UInt16> = []
        for (index, byte) in bits.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 { codes.insert(UInt16(index * 8 + bit)) }
        }
        return codes
    }

    /// EVIOCGABS(axis): an absolute axis's current value and range.
    static func axis(_ fd: CInt, _ axis: Int32, device: String) throws(InputError) -> (value: Int32, range: AxisRange) {
        var info = input_absinfo()
        guard kiosk_evdev_abs(fd, axis, &info) == 0 else {
            throw InputError(code: errno, call: "EVIOCGABS", device: device)
        }
        return (info.value, AxisRange(minimum: info.minimum, maximum: info.maximum))
    }

    /// EVIOCGKEY: the keys and buttons down now.
    static func keysDown(_ fd: CInt, device: String) throws(InputError) -> Set<UInt16> {
        var bits = [UInt8](repeating: 0, count: (Int(KEY_MAX) + 64) / 64 * 8)
        let length = CInt(bits.count)
        guard kiosk_evdev_keys(fd, &bits, length) >= 0 else {
            throw InputError(code: errno, call: "EVIOCGKEY", device: device)
        }
        var codes: Set<UInt16> = []
        for (index, byte) in bits.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 { codes.insert(UInt16(index * 8 + bit)) }
        }
        return codes
    }

    /// EVIOCGMTSLOTS(code): the current value of a multi-touch code in slots 0..<count.
    static func slotValues(_ fd: CInt, code: Int32, count: Int, device: String) throws(InputError) -> [Int32] {
        var values = [CInt](repeating: 0, count: count + 1)
        values[0] = code
        guard kiosk_evdev_mt_slots(fd, &values, CInt(count)) >= 0 else {
            throw InputError(code: errno, call: "EVIOCGMTSLOTS", device: device)
        }
        return Array(values.dropFirst())
    }

    /// The character device's major and minor number (fstat's st_rdev).
    static func deviceNumber(_ fd: CInt, device: String) throws(InputError) -> (major: UInt32, minor: UInt32) {
        var major: CUnsignedInt = 0
        var minor: CUnsignedInt = 0
        guard kiosk_device_number(fd, &major, &minor) == 0 else {
            throw InputError(code: errno, call: "fstat", device: device)
        }
        return (major, minor)
    }

    /// The identity of the file `path` names (links followed): two paths to one node, `/dev/input/event7` and its
    /// by-id link, give the same identity.
    static func identity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// An inotify descriptor (non-blocking) watching `folders` for new and changed entries; folders that do not
    /// exist are left out.
    static func watchFolders(_ folders: [String]) throws(InputError) -> CInt {
        let fd = kiosk_inotify_init()
        guard fd >= 0 else { throw InputError(code: errno, call: "inotify_init1", device: folders.first ?? "") }
        var watched = 0
        for folder in folders where kiosk_inotify_watch_folder(fd, folder) >= 0 { watched += 1 }
        guard watched > 0 else {
            let code = errno
            close(fd)
            throw InputError(code: code, call: "inotify_add_watch", device: folders.first ?? "")
        }
        return fd
    }

    /// Empties an inotify descriptor: which names changed matters less than that something did.
    static func drainNotifications(_ fd: CInt) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// A pipe whose read end sits in the reader's poll(2) beside the device: one byte written ends the wait.
    static func makeWakePipe(device: String) throws(InputError) -> (read: CInt, write: CInt) {
        var fds: [CInt] = [-1, -1]
        guard kiosk_wake_pipe(&fds) == 0 else {
            throw InputError(code: errno, call: "pipe2", device: device)
        }
        return (fds[0], fds[1])
    }

    static func wake(_ fd: CInt) {
        var byte: UInt8 = 1
        _ = Glibc.write(fd, &byte, 1)
    }

    enum Readiness {
        case readable
        /// The device is gone (unplugged or revoked): poll reports a hang-up or an error on it.
        case hungUp
        /// The wake-up pipe was written: stop.
        case woken
        case failed(Int32)
    }

    /// poll(2) on the device and the wake-up pipe, without a timeout: an idle device costs nothing.
    static func wait(device fd: CInt, wake: CInt) -> Readiness {
        var fds = [
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            guard SystemCall.retrying({ poll(&fds, nfds_t(fds.count), -1) }) >= 0 else { return .failed(errno) }
            if fds[1].revents != 0 { return .woken }
            // A vanished device reports POLLHUP | POLLERR, with POLLIN if events were still queued; reading then
            // fails with ENODEV anyway, so the hang-up wins.
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .hungUp }
            if fds[0].revents & Int16(POLLIN) != 0 { return .readable }
        }
    }

    enum ReadResult {
        case bytes(Int)
        /// Nothing more queued (`EAGAIN`).
        case drained
        /// End of file: an evdev node never gives one while its device exists.
        case endOfFile
        case failed(Int32)
    }

    static func read(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        let count = SystemCall.retrying { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        if count > 0 { return .bytes(count) }
        if count == 0 { return .endOfFile }
        switch errno {
        case EAGAIN, EWOULDBLOCK: return .drained
        default: return .failed(errno)
        }
    }

    /// The whole `struct input_event` records at the start of `bytes`.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [InputEvent] {
        stride(from: 0, through: bytes.count - eventSize, by: eventSize).map { offset in
            var raw = input_event()
            withUnsafeMutableBytes(of: &raw) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + eventSize]))
            }
            let time = Duration.seconds(kiosk_input_event_sec(&raw)) + .microseconds(kiosk_input_event_usec(&raw))
            return InputEvent(type: raw.type, code: raw.code, value: raw.value, time: time)
        }
    }
}
