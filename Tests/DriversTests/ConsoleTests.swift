import CLinuxIO
import Foundation
import Glibc
import Testing

@testable import Drivers

/// `Console` without a VT: tests run over a pty (or none), as a kiosk started over SSH would. What can be checked
/// here is that it says so clearly and changes nothing; taking a real VT needs one (on the kiosk: tty1).
@Suite("Console: taking the VT, and saying clearly when there is none")
struct ConsoleTests {
    @Test func aPtyIsNoVirtualTerminalAndSaysWhatToDo() throws {
        var buffer = [CChar](repeating: 0, count: 128)
        let master = kiosk_open_pty(&buffer, 128)
        try #require(master >= 0)
        defer { close(master) }
        let name = String(cString: buffer)
        do throws(ConsoleError) {
            _ = try Console(tty: name)
            Issue.record("a pty was taken for a VT")
        } catch {
            #expect(error.isNoVirtualTerminal)
            #expect(error.call == "KDGETMODE")
            #expect(error.description.contains("\(name) is not a virtual terminal"))
            #expect(error.description.contains("console = \"none\""))
        }
    }

    @Test func aMissingTTYIsNamed() {
        do throws(ConsoleError) {
            _ = try Console(tty: "/dev/tty-kiosk-missing")
            Issue.record("opened a missing tty")
        } catch {
            #expect(error.code == ENOENT)
            #expect(
                error.description
                    == "/dev/tty-kiosk-missing does not exist: name a VT such as /dev/tty1 (open, errno 2)")
        }
    }

    @Test func aFileThatIsNoTerminalIsRefusedToo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-tty-\(UUID())").path
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ConsoleError.self) { _ = try Console(tty: path) }
    }
}

extension ConsoleTests {
    /// VT_ACTIVATE wants the VT's number: the one in the path, none for /dev/tty0 (whichever is on display).
    @Test func theVTNumberComesFromThePath() {
        #expect(Console.number(of: "/dev/tty7") == 7)
        #expect(Console.number(of: "/dev/tty12") == 12)
        #expect(Console.number(of: "/dev/tty0") == nil)
        #expect(Console.number(of: "/dev/ttyS0") == nil)
        #expect(Console.number(of: "/dev/pts/3") == nil)
    }
}

/// The crash handler in CLinuxIO: it gives the console back and then the process still dies of its signal (so it
/// dumps core and systemd restarts it), rather than returning into the crashed code or exiting normally.
@Suite("Console crash handler")
struct ConsoleCrashTests {
    @Test(arguments: [SIGABRT, SIGSEGV])
    func theCrashStillKillsWithItsSignal(_ signalNumber: Int32) throws {
        var buffer = [CChar](repeating: 0, count: 128)
        let master = kiosk_open_pty(&buffer, 128)
        try #require(master >= 0)
        defer { close(master) }
        let child = fork()
        try #require(child >= 0)
        if child == 0 {
            // Only async-signal-safe calls in the child of a threaded process. The default action first, so the
            // handler re-raises into it (not into the Swift runtime's backtracer), then the crash.
            signal(signalNumber, SIG_DFL)
            // Unblocked, as abort(3) does: the test runner's threads may hold SIGABRT blocked.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signalNumber)
            sigprocmask(SIG_UNBLOCK, &set, nil)
            kiosk_console_restore_on_crash(master, 0)
            raise(signalNumber)
            _exit(42)  // reached only if the handler swallowed the signal
        }
        var status: Int32 = 0
        #expect(waitpid(child, &status, 0) == child)
        // WIFSIGNALED / WTERMSIG, which Swift does not import (macros).
        let terminatedBy = status & 0x7f
        #expect(terminatedBy == signalNumber, "status \(status)")
    }
}
