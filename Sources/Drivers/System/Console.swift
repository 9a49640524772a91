import CLinuxIO
import Dispatch
import Glibc
import NIOConcurrencyHelpers

/// Why the console (a virtual terminal) could not be taken, with what to do about it.
public struct ConsoleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call that failed and its `errno`.
    public let failure: SystemCallError
    public let tty: String

    public init(code: Int32, call: String, tty: String) {
        failure = SystemCallError(call: call, code: code)
        self.tty = tty
    }

    /// The `errno` of the failed call.
    public var code: Int32 { failure.code }
    /// The call that failed.
    public var call: String { failure.call }

    /// The descriptor is a terminal but no virtual terminal: a pty (SSH, a test) or a serial line.
    public var isNoVirtualTerminal: Bool { code == ENOTTY || (code == EINVAL && call.hasPrefix("KD")) }

    public var description: String {
        let reason: String =
            switch code {
            case ENOTTY,
                EINVAL where call.hasPrefix("KD") || call.hasPrefix("VT"):
                "is not a virtual terminal (over SSH or in a test there is none): set [input] console = \"none\", "
                    + "or name a VT such as /dev/tty1"
            case ENOENT: "does not exist: name a VT such as /dev/tty1"
            case EACCES, EPERM:
                "may not be used by this user: add the kiosk user to the group `tty`, or run the kiosk on its VT "
                    + "(TTYPath= in kiosk.service)"
            default: "failed: \(failure.message)"
            }
        return "\(tty) \(reason) (\(call), errno \(code))"
    }
}

/// The virtual terminal the kiosk draws over, taken from the console so that nothing else draws or types there.
///
/// Taking it (`take`): KDSETMODE `KD_GRAPHICS` (fbcon stops drawing text and the cursor over the framebuffer),
/// KDSKBMODE `K_OFF` (the VT stops turning a keypad's presses into characters for a getty underneath; the old mode
/// is kept to give back), VT_SETMODE `VT_PROCESS` (a switch to another VT, Ctrl+Alt+F2 by a technician, first
/// asks us: `switches` yields `.released`, the display stops drawing, and the switch is acknowledged with
/// VT_RELDISP; coming back yields `.acquired` and the display repaints everything, as the other VT drew over the
/// framebuffer), VT_ACTIVATE to show it (after a boot, a restart or a crash another VT, tty1's login prompt, is
/// often the one on display, and its text would paint over the kiosk), and no blanking: `ESC [9;0]` (blank timeout 0, what `setterm -blank 0` writes) and `ESC [14;0]`
/// (VESA powerdown 0), because the console blanks after 10 minutes by default and a kiosk waits longer than that
/// for a resident; TIOCLINUX `TIOCL_UNBLANKSCREEN` unblanks it now; `ESC [?25l` hides the cursor.
///
/// Giving it back (`restore`, also at deinit): KD_TEXT, the old keyboard mode, VT_AUTO, the cursor. A crash
/// (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) restores the same from a signal handler with
/// async-signal-safe ioctls only, then re-raises (`kiosk_console_restore_on_crash` in CLinuxIO), so a crashed kiosk
/// never leaves a dead console with the keyboard off.
public final class Console: Sendable {
    public enum Switch: Hashable, Sendable {
        /// Another VT is being shown: stop drawing (the switch is acknowledged already).
        case released
        /// This VT is shown again: repaint the whole screen.
        case acquired
    }

    /// The VT the default configuration takes.
    public static let defaultTTY = "/dev/tty1"

    public let tty: String
    /// VT switches away and back, while the console is held.
    public let switches: AsyncStream<Switch>

    private let fd: CInt
    private let keyboardMode: CInt
    private let continuation: AsyncStream<Switch>.Continuation
    private let held = NIOLockedValueBox<Held>(Held())

    private struct Held: @unchecked Sendable {  // dispatch sources are thread-safe; they are only cancelled here
        /// Some mode was changed: `restore` has something to give back.
        var taken = false
        var release: (any DispatchSourceSignal)?
        var acquire: (any DispatchSourceSignal)?
    }

    /// Opens `tty` and checks it is a virtual terminal (KDGETMODE, KDGKBMODE), without changing anything yet.
    public init(tty: String = Console.defaultTTY) throws(ConsoleError) {
        // O_NOCTTY: a daemon must not make the VT its controlling terminal (a hang-up there would kill it).
        let fd = Glibc.open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw ConsoleError(code: errno, call: "open", tty: tty) }
        var mode: CInt = 0
        var keyboard: CInt = 0
        if kiosk_kd_get_mode(fd, &mode) != 0 {
            let code = errno
            Glibc.close(fd)
            throw ConsoleError(code: code, call: "KDGETMODE", tty: tty)
        }
        if kiosk_kd_get_keyboard(fd, &keyboard) != 0 {
            let code = errno
            Glibc.close(fd)
            throw ConsoleError(code: code, call: "KDGKBMODE", tty: tty)
        }
        self.tty = tty
        self.fd = fd
        self.keyboardMode = keyboard
        (switches, continuation) = AsyncStream.makeStream(of: Switch.self)
    }

    deinit {
        restore()
        Glibc.close(fd)
    }

    /// Takes the VT: graphics mode, keyboard off, VT switches through signals (SIGUSR1 release, SIGUSR2 acquire),
    /// no blanking, no cursor. Undone by `restore()`, and by the crash handler.
    public func take() throws(ConsoleError) {
        let first = held.withLockedValue { held in
            defer { held.taken = true }
            return !held.taken
        }
        guard first else { return }
        // The crash handler first: from the first changed mode on, a crash gives the console back.
        kiosk_console_restore_on_crash(fd, keyboardMode)
        do throws(ConsoleError) {
            try check(kiosk_kd_set_mode(fd, kiosk_kd_graphics()), "KDSETMODE")
            try check(kiosk_kd_set_keyboard(fd, kiosk_kd_keyboard_off()), "KDSKBMODE")
            // The signals are handled through dispatch sources (a queue, not a signal handler): they must be
            // ignored first, or their default action would end the process.
            signal(SIGUSR1, SIG_IGN)
            signal(SIGUSR2, SIG_IGN)
            let release = DispatchSource.makeSignalSource(signal: SIGUSR1)
            let acquire = DispatchSource.makeSignalSource(signal: SIGUSR2)
            let (fd, continuation) = (fd, continuation)
            release.setEventHandler {
                // Acknowledged at once: the display stops drawing when it reads `.released`, and a frame drawn in
                // between lands on the framebuffer the other VT is about to repaint anyway.
                _ = kiosk_vt_release(fd)
                continuation.yield(.released)
            }
            acquire.setEventHandler {
                _ = kiosk_vt_acknowledge_acquire(fd)
                continuation.yield(.acquired)
            }
            release.resume()
            acquire.resume()
            held.withLockedValue {
                $0.release = release
                $0.acquire = acquire
            }
            try check(kiosk_vt_set_process_mode(fd, SIGUSR1, SIGUSR2), "VT_SETMODE")
            // Shown last, in graphics mode and process mode already: the switch arrives as `.acquired`, and the
            // display repaints the whole screen then.
            if let number = Self.number(of: tty), kiosk_vt_active(fd) != number {
                try check(kiosk_vt_activate(fd, number), "VT_ACTIVATE")
            }
        } catch {
            restore()
            throw error
        }
        // Best effort: a VT that refuses these still shows the kiosk.
        write("\u{1B}[9;0]\u{1B}[14;0]\u{1B}[?25l")
        _ = kiosk_console_unblank(fd)
    }

    /// Gives the VT back: text mode, the keyboard mode it had, automatic VT switching, the cursor. Safe to call
    /// more than once.
    public func restore() {
        let taken = held.withLockedValue { held in
            defer { held = Held() }
            return held
        }
        defer { continuation.finish() }
        guard taken.taken else { return }
        taken.release?.cancel()
        taken.acquire?.cancel()
        _ = kiosk_vt_set_auto_mode(fd)
        _ = kiosk_kd_set_keyboard(fd, keyboardMode)
        _ = kiosk_kd_set_mode(fd, kiosk_kd_text())
        write("\u{1B}[?25h")
        kiosk_console_restore_on_crash(-1, 0)
    }

    /// The VT of a path such as `/dev/tty7` (7); `nil` for `/dev/tty0` (whichever is on display) and other names.
    static func number(of tty: String) -> CInt? {
        guard tty.hasPrefix("/dev/tty"), let number = CInt(tty.dropFirst("/dev/tty".count)), number > 0 else {
            return nil
        }
        return number
    }

    /// The virtual terminal on standard input (`ttyname(0)`, checked with KDGETMODE): the kiosk's own, as
    /// kiosk.service's `TTYPath=/dev/tty7` with `StandardInput=tty` gives it. `nil` when standard input is no VT
    /// (a pipe, a pty over SSH, a test).
    public static func standardInput() -> String? {
        var mode: CInt = 0
        guard let name = ttyname(0), kiosk_kd_get_mode(0, &mode) == 0 else { return nil }
        return String(cString: name)
    }

    private func check(_ result: CInt, _ call: String) throws(ConsoleError) {
        guard result == 0 else { throw ConsoleError(code: errno, call: call, tty: tty) }
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = Glibc.write(fd, &bytes, bytes.count)
    }
}
