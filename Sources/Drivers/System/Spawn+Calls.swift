import CLinuxIO
import Glibc

/// Every process-spawning call of Drivers goes through here: `posix_spawnp`, its file actions and attributes,
/// `waitid`/`waitpid` and `kill`, with `EINTR` retried in one place.
///
/// A child gets exactly three descriptors: standard input from bytes written before it starts, standard output and
/// error on /dev/null. Everything else is closed in the child (`posix_spawn_file_actions_addclosefrom_np`), so a
/// pipe or socket of the kiosk without `O_CLOEXEC` never leaks into it and never keeps a reader waiting for an
/// end of file. The child runs in a process group of its own (its pid is the group id), with an empty signal mask
/// and every signal at its default action: a daemon that ignores SIGTERM or SIGPIPE (as signal-handling libraries
/// do) would otherwise hand that on, and the child could not be stopped with SIGTERM.
enum Spawn {
    /// A call that failed, with its `errno`.
    struct Failure: Error, Equatable {
        var call: String
        var code: Int32
    }

    /// The most standard input `start` can hand over: what a pipe holds without its reader, so writing it before
    /// the child exists never blocks (`PIPE_BUF`, the smallest capacity Linux gives a pipe).
    static let maximumInput = Int(PIPE_BUF)

    /// Starts `program` (looked up in `PATH` unless it contains a slash) with `arguments`, `input` on its
    /// standard input (then end of file). Returns its pid, which is also its process group.
    static func start(_ program: String, _ arguments: [String], input: [UInt8]) throws(Failure) -> pid_t {
        guard input.count <= maximumInput else { throw Failure(call: "write", code: E2BIG) }
        var pipe: [Int32] = [-1, -1]
        guard kiosk_cloexec_pipe(&pipe) == 0 else { throw Failure(call: "pipe2", code: errno) }
        defer { _ = close(pipe[0]) }
        // The bytes go in before the child starts: no SIGPIPE if it dies early, no blocking on a child that never
        // reads, and the parent's copy of the write end is closed before the spawn, so the child sees end of file.
        let written = input.isEmpty ? 0 : input.withUnsafeBytes { write(pipe[1], $0.baseAddress, $0.count) }
        let writeError = errno
        _ = close(pipe[1])
        guard written == input.count else { throw Failure(call: "write", code: written < 0 ? writeError : EIO) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[0], STDIN_FILENO)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        guard kiosk_spawn_close_from(&actions, STDERR_FILENO + 1) == 0 else {
            throw Failure(call: "posix_spawn_file_actions_addclosefrom_np", code: errno)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        // ETXTBSY: a program written a moment ago (a script, an update being installed) is still open for writing in
        // a child another thread forked and that has not reached its exec yet. That lasts microseconds: try again.
        for _ in 0..<100 {
            let result = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
            if result == 0 { return pid }
            guard result == ETXTBSY else { throw Failure(call: "posix_spawnp", code: result) }
            usleep(1000)
        }
        throw Failure(call: "posix_spawnp", code: ETXTBSY)
    }

    /// Blocks until the child `pid` has exited, without reaping it (`waitid` with `WNOWAIT`): its pid stays
    /// reserved until `reap`, so a `terminateGroup` racing with its exit can never reach a stranger.
    static func waitForExit(_ pid: pid_t) {
        var info = siginfo_t()
        _ = SystemCall.retrying { waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) }
    }

    /// Reaps the exited child `pid`; returns its exit status, or `nil` when a signal ended it.
    @discardableResult
    static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard SystemCall.retrying({ waitpid(pid, &status, 0) }) >= 0 else { return nil }
        // WIFEXITED and WEXITSTATUS are macros Swift cannot import: the low 7 bits are the signal, 0 for an exit.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }

    /// SIGTERM to the child's whole process group (a shell script's own children too).
    static func terminateGroup(_ pid: pid_t) {
        _ = kill(-pid, SIGTERM)
    }
}
