import CLinuxIO
import Core
import Drivers
import Foundation
import Glibc
import Testing

/// `CUPSPrinter` against the real thing: a private cupsd and an ippeveprinter that each test starts in a folder of
/// its own on free ports (with `scripts/test-printer`, as `make demo` does), so that a test can jam the printer,
/// take its paper or stop cupsd without disturbing another. The printer's `-c` command stands in for the print
/// mechanism: it records the job name and reports paper jams or paper out on stderr as `STATE:` lines.
@Suite("CUPS printer against a private cupsd and ippeveprinter", .serialized)
struct CUPSPrinterTests {
    static let marker = "KIOSK CUPS TEST PAGE 4711"
    static let title = "Surat S-41 01JCUPSTEST7Q"

    static var fixture: [UInt8] {
        get throws {
            let url = Bundle.module.bundleURL.appendingPathComponent("Fixtures/cups/one-page.pdf")
            return Array(try Data(contentsOf: url))
        }
    }

    @Test func aOnePagePDFPrintsAndThePrinterKeepsIt() async throws {
        let rig = try await PrintRig(command: .accept)
        let progress = ProgressLog()
        let outcome = await rig.printer.print(pdf: try Self.fixture, title: Self.title, progress: progress.record)
        #expect(outcome == .printed)
        // The progress stream is delivered asynchronously: wait for the report rather than read the log at once.
        let completed = await progress.waitFor { $0.state == .completed }
        let states = await progress.states
        #expect(completed != nil, "\(states)")

        let kept = try rig.keptDocuments()
        #expect(kept.count == 1, "\(kept)")
        let text = try await Services.run("/usr/bin/pdftotext", [try #require(kept.first), "-"]).output
        #expect(text.contains(Self.marker), "the printer got: \(text)")
    }

    /// The job name is the only text of ours the printer, cupsd's log and `lpstat` see: exactly the title passed in.
    @Test func thePrinterSeesOnlyTheTitleAsJobName() async throws {
        let rig = try await PrintRig(command: .accept)
        let outcome = await rig.printer.print(pdf: try Self.fixture, title: Self.title)
        #expect(outcome == .printed)
        #expect(try rig.jobNames() == [Self.title])
    }

    @Test(arguments: [
        (PrintRig.Command.jam, PrinterProblem.paperJam, "media-jam"),
        (.paperOut, .paperOut, "media-empty"),
    ])
    func aProblemWhileTheJobRunsFailsItAtOnceAndCancelsIt(
        command: PrintRig.Command, problem: PrinterProblem, stem: String
    ) async throws {
        let rig = try await PrintRig(command: command)
        let progress = ProgressLog()
        let printer = rig.printer
        let pdf = try Self.fixture
        let printing = Task { await printer.print(pdf: pdf, title: Self.title, progress: progress.record) }

        // The printer's command holds the job until the test has seen the problem: no race with the poll interval.
        let seen = await progress.waitFor { $0.problem == problem }
        let reported = await progress.all
        #expect(seen != nil, "no \(stem) while the job ran: \(reported)")
        let status = try await printer.status()
        #expect(status.reasons.reasons.contains { $0.stem == stem }, "\(status.reasons)")
        #expect(status.problem == problem)
        try rig.release()

        let outcome = await printing.value
        #expect(outcome == .failed(problem))
        // The job was cancelled at once (ippeveprinter would otherwise end it `completed` all the same, observed
        // with CUPS 2.4.2): once its command returns, the queue is idle with nothing left to print.
        let settled = await PrintRig.eventually { (try? await printer.status().state) == .idle }
        #expect(settled, "the queue did not go idle after the cancel")
    }

    @Test func statusReportsAnIdleQueueWithoutProblems() async throws {
        let rig = try await PrintRig(command: .accept)
        let status = try await rig.printer.status()
        #expect(status.state == .idle)
        #expect(status.isAcceptingJobs)
        #expect(status.problem == nil, "\(status.reasons)")
    }

    @Test func aQueueThatDoesNotExistIsNamedInTheError() async throws {
        let rig = try await PrintRig(command: .accept)
        let printer = CUPSPrinter(queue: "no-such-queue", server: rig.server)
        let pdf = try Self.fixture
        do {
            _ = try await printer.submit(pdf: pdf, title: Self.title)
            Issue.record("a job went to a queue that does not exist")
        } catch {
            #expect(error == .queueNotFound(queue: "no-such-queue", server: rig.server))
            #expect(error.description.contains("CUPS queue 'no-such-queue' does not exist"), "\(error)")
        }
        await #expect(throws: CUPSError.queueNotFound(queue: "no-such-queue", server: rig.server)) {
            try await printer.status()
        }
        #expect(await printer.print(pdf: try Self.fixture, title: Self.title) == .failed(.offline))
    }

    /// The rig's daemons outlive the script that starts them: they must hold no descriptor of the test process (a
    /// pipe another test reads to its end never ends while they hold its write end), and nothing they started (the
    /// backend of a held job, user lp) may outlive the rig.
    @Test func theRigsDaemonsInheritNoDescriptorAndGoWithTheRig() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)  // Not close-on-exec, like Foundation's Pipe.
        defer { ends.forEach { close($0) } }
        let ours = Set(ends.compactMap { Self.target(ofDescriptor: $0, of: getpid()) })

        var rig: PrintRig? = try await PrintRig(command: .hold)
        let folder = try #require(rig?.folder)
        _ = try await rig?.printer.submit(pdf: try Self.fixture, title: Self.title)
        let leader = try #require(
            pid_t(
                try String(contentsOfFile: folder + "/cupsd.pid", encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)))
        // The held job's backend runs once cupsd has sent the job on.
        #expect(await PrintRig.eventually { PrintRig.session(leader).count > 1 }, "no backend started")
        for pid in PrintRig.session(leader) {
            let held = Set(Self.descriptors(of: pid).compactMap { Self.target(ofDescriptor: $0, of: pid) })
            #expect(held.isDisjoint(with: ours), "process \(pid) of the rig holds the test's pipe")
        }
        rig = nil
        #expect(
            await PrintRig.eventually { PrintRig.session(leader).isEmpty }, "left behind: \(PrintRig.session(leader))")
    }

    static func descriptors(of pid: pid_t) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap { Int32($0) }
    }

    /// What a descriptor refers to, such as `pipe:[4711]`.
    static func target(ofDescriptor fd: Int32, of pid: pid_t) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")
    }

    @Test func cupsdNotRunningIsSaidSo() async throws {
        let server = "localhost:\(try Services.freePort())"
        let printer = CUPSPrinter(queue: "kiosk-letters", server: server)
        do {
            _ = try await printer.status()
            Issue.record("a status came from a cupsd that does not run")
        } catch {
            guard case .serverUnreachable(let named, _) = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(named == server)
            #expect(error.description.contains("cupsd is not running or not reachable at \(server)"), "\(error)")
        }
        await #expect(throws: CUPSError.self) { try await printer.submit(pdf: try Self.fixture, title: Self.title) }
        #expect(await printer.print(pdf: try Self.fixture, title: Self.title) == .failed(.offline))
    }

    /// A printer that never finishes: the job is cancelled at the deadline, and the queue is free again.
    @Test func aJobThatNeverFinishesIsCancelledAtTheTimeout() async throws {
        let rig = try await PrintRig(command: .hold)
        let printer = CUPSPrinter(queue: PrintRig.queue, server: rig.server, jobTimeout: .seconds(3))
        let job = try await printer.submit(pdf: try Self.fixture, title: Self.title)
        let error = await #expect(throws: CUPSError.self) { try await printer.waitUntilPrinted(job) }
        guard case .timedOut(job, _, _, _) = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(error?.problem == .unknown)
        try rig.release()
        let settled = await PrintRig.eventually { (try? await printer.status().state) == .idle }
        #expect(settled, "the queue did not go idle after the cancel")
    }
}

extension CUPSPrinterTests {
    /// cupsd stops answering (SIGSTOP: a hung daemon) while a letter prints: the kiosk gives up at the deadline, and
    /// the Cancel-Job it could not get answered goes out again at its next contact, so the letter never comes out
    /// later. (A stopped cupsd may still read the first request from its socket once it runs again; a cupsd that was
    /// down or restarting never sees it: either way the job ends cancelled.)
    @Test func aJobWhoseCupsdStopsAnsweringIsCancelledOnceCupsdAnswersAgain() async throws {
        let rig = try await PrintRig(command: .hold)
        let printer = CUPSPrinter(queue: PrintRig.queue, server: rig.server, jobTimeout: .seconds(2))
        let job = try await printer.submit(pdf: try Self.fixture, title: Self.title)
        let cupsd = try rig.pid(of: "cupsd")
        kill(cupsd, SIGSTOP)
        let error = await #expect(throws: CUPSError.self) { try await printer.waitUntilPrinted(job) }
        kill(cupsd, SIGCONT)
        #expect(printer.cancelsWaiting == 1, "the cancel could not reach a stopped cupsd: \(String(describing: error))")

        _ = try await printer.status()  // the next contact
        #expect(printer.cancelsWaiting == 0)
        try rig.release()
        let ended = await #expect(throws: CUPSError.self) { try await printer.waitUntilPrinted(job) }
        guard case .jobEnded(_, let state, _, _) = ended else {
            Issue.record("the held job was not cancelled: \(String(describing: ended))")
            return
        }
        #expect(state == .canceled)
    }
}

/// Records what `follow` reports and lets a test wait for a condition: no sleeps, a generous limit.
final class ProgressLog: Sendable {
    let log = EventLog<CUPSJobProgress>()
    private let continuation: AsyncStream<CUPSJobProgress>.Continuation

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: CUPSJobProgress.self)
        self.continuation = continuation
        let log = self.log
        Task { await log.record(stream) }
    }

    var record: @Sendable (CUPSJobProgress) -> Void {
        { [continuation] in continuation.yield($0) }
    }

    func waitFor(_ wanted: @escaping @Sendable (CUPSJobProgress) -> Bool) async -> CUPSJobProgress? {
        await log.waitFor(limit: .seconds(60), wanted)
    }

    var all: [CUPSJobProgress] { get async { await log.events } }
    var states: [CUPSJobState] { get async { await log.events.map(\.state) } }

    deinit { continuation.finish() }
}

/// One private cupsd with the queue `kiosk-letters` to one ippeveprinter, in a temporary folder, through
/// `scripts/test-printer`. Everything is killed with SIGKILL when the rig goes (processes started from a concurrency
/// thread inherit its blocked SIGTERM).
final class PrintRig {
    static let queue = "kiosk-letters"

    /// What the printer's print command does with each document.
    enum Command: Sendable, CustomTestStringConvertible {
        /// Prints at once.
        case accept
        /// Reports `media-jam-error`, then holds the job until `release()`.
        case jam
        /// Reports `media-empty-error`, then holds the job until `release()`.
        case paperOut
        /// Holds the job until `release()`, reporting nothing.
        case hold

        var testDescription: String { "\(self)" }

        var state: String? {
            switch self {
            case .jam: "+media-jam-error"
            case .paperOut: "+media-empty-error"
            case .accept, .hold: nil
            }
        }
    }

    let folder: String
    let cupsPort: Int
    let printerPort: Int
    var server: String { "localhost:\(cupsPort)" }
    var printer: CUPSPrinter { CUPSPrinter(queue: Self.queue, server: server) }

    init(command: Command) async throws {
        try Self.requireTools()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cups-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        cupsPort = try Services.freePort()
        printerPort = try Services.freePort()
        let script = folder + "/print-command"
        var lines = ["#!/bin/sh", "printf '%s\\n' \"$IPP_JOB_NAME\" >> '\(folder)/job-names'"]
        if let state = command.state { lines.append("echo 'STATE: \(state)' >&2") }
        if command != .accept {
            lines.append("n=0; while [ ! -e '\(folder)/release' ] && [ $n -lt 1200 ]; do sleep 0.1; n=$((n+1)); done")
        }
        lines.append("exit 0")
        try (lines.joined(separator: "\n") + "\n").write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let started = try Self.script(
            ["start", folder],
            environment: [
                "CUPS_PORT": "\(cupsPort)", "PRINTER_PORT": "\(printerPort)", "QUEUE": Self.queue,
                "PRINTER_COMMAND": script,
            ], log: folder + "/test-printer.log")
        guard started.status == 0 else {
            Issue.record("scripts/test-printer start failed: \(started.output)")
            throw Services.Missing()
        }
    }

    /// The pid of one of the rig's daemons (`cupsd`, `ippeveprinter`, `dbus`).
    func pid(of daemon: String) throws -> pid_t {
        let text = try String(contentsOfFile: "\(folder)/\(daemon).pid", encoding: .utf8)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Lets a held job finish.
    func release() throws {
        try Data().write(to: URL(fileURLWithPath: folder + "/release"))
    }

    /// The documents ippeveprinter kept (`-k`).
    func keptDocuments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder + "/printer").filter { $0.hasSuffix(".pdf") }
            .map { folder + "/printer/" + $0 }
    }

    /// The `job-name` of every job the printer's command saw.
    func jobNames() throws -> [String] {
        try String(contentsOfFile: folder + "/job-names", encoding: .utf8).split(separator: "\n").map(String.init)
    }

    deinit {
        for name in ["ippeveprinter", "dbus", "cupsd"] {
            guard let text = try? String(contentsOfFile: "\(folder)/\(name).pid", encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            // The script started each daemon with `setsid`, so its session holds everything it started: cupsd's
            // backends and filters (user lp) would otherwise outlive it, holding the held job's printer open.
            for member in Self.session(pid) { kill(member, SIGKILL) }
            var status: Int32 = 0
            // Reaped when it was our child; otherwise the script's `setsid` made it an orphan of init.
            _ = waitpid(pid, &status, WNOHANG)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The live processes of the session `leader` leads (the fields after the command name in /proc/PID/stat are
    /// state, ppid, pgrp, session; a killed process lingers as a zombie until init reaps it).
    static func session(_ leader: pid_t) -> [pid_t] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { pid_t($0) } ?? []
        return pids.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 3 && fields[0] != "Z" && pid_t(fields[3]) == leader
        }
    }

    /// Runs `scripts/test-printer` to its end; its output goes to a log in the rig's folder. posix_spawn and a
    /// blocking waitpid rather than Foundation's Process: its waitUntilExit never returned here although the script
    /// had exited and been reaped, while the daemons it started with setsid lived on (seen once with Swift 6.3.1 on
    /// Debian 12; the cause was not found). The script gets only stdin, stdout and stderr: the daemons it starts
    /// live longer than the test, and any other descriptor they inherited (a pipe another test reads to its end)
    /// would stay open as long as they do. That hung a CI run for minutes.
    static func script(_ arguments: [String], environment: [String: String], log: String) throws
        -> (status: Int32, output: String)
    {
        let command = ([Services.repository + "/scripts/test-printer"] + arguments).map { "'\($0)'" }
            .joined(separator: " ")
        let words: [String] = ["/bin/sh", "-c", "exec \(command) </dev/null >'\(log)' 2>&1"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard kiosk_spawn_close_from(&actions, 3) == 0 else { throw POSIXError(.EINVAL) }
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // WIFEXITED and WEXITSTATUS are macros Swift cannot import.
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        return (exitStatus, output)
    }

    /// The tools the rig needs, each with the Debian package that has it.
    static func requireTools(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tools = [
            ("/usr/sbin/cupsd", "cups"), ("/usr/sbin/lpadmin", "cups"), ("/usr/bin/lpstat", "cups-client"),
            ("/usr/sbin/ippeveprinter", "cups-ipp-utils"), ("/usr/bin/dbus-daemon", "dbus-daemon"),
            ("/usr/bin/pdftotext", "poppler-utils"),
        ]
        for (path, package) in tools where !FileManager.default.isExecutableFile(atPath: path) {
            Issue.record("\(path) is missing: apt-get install \(package)", sourceLocation: sourceLocation)
            throw Services.Missing()
        }
    }

    /// Asks `condition` every 100 ms until it holds or 60 s passed.
    static func eventually(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<600 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
