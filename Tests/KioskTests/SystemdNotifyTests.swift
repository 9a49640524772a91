import Core
import Drivers
import Foundation
import Glibc
import Logging
import NIOConcurrencyHelpers
import TestSupport
import Testing

@testable import KioskKit

/// systemd's side of NOTIFY_SOCKET, for tests: a bound `AF_UNIX` datagram socket (a path in a temporary folder, or an
/// abstract `@name`) and a thread that collects every datagram it receives.
final class NotifyListener: Sendable {
    /// What goes into NOTIFY_SOCKET.
    let address: String
    private let fd: Int32
    /// Shared with the reading thread, which must not keep the listener itself alive.
    private final class Inbox: Sendable {
        let datagrams = NIOLockedValueBox<[String]>([])
    }
    private let received = Inbox()
    private let done = DispatchSemaphore(value: 0)

    init(address: String) throws {
        self.address = address
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
        var bytes = Array(address.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno)!) }
        // The reading thread wakes every 100 ms to see whether the listener was closed.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [fd, received, done] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count > 0 {
                    received.datagrams.withLockedValue { $0.append(String(decoding: buffer[..<count], as: UTF8.self)) }
                } else if count < 0, errno == EAGAIN || errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            done.signal()
        }
        thread.start()
    }

    /// Every datagram so far, in order.
    var datagrams: [String] { received.datagrams.withLockedValue { $0 } }
    /// Every line of every datagram so far.
    var lines: [String] { datagrams.flatMap { $0.split(separator: "\n").map(String.init) } }

    /// Waits until `condition` holds for the lines received; false if it does not within `deadline` (generous: a
    /// deadline is a failure bound, never a measurement).
    func wait(upTo deadline: Duration = .seconds(60), until condition: ([String]) -> Bool) async -> Bool {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if condition(lines) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(lines)
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        done.wait()
        close(fd)
        if address.hasPrefix("/") { unlink(address) }
    }
}

@Suite("systemd notifications: the protocol")
struct SystemdNotifierTests {
    @Test func linesFollowTheProtocol() {
        #expect(SystemdNotification.ready.line == "READY=1")
        #expect(SystemdNotification.watchdog.line == "WATCHDOG=1")
        #expect(SystemdNotification.stopping.line == "STOPPING=1")
        #expect(SystemdNotification.mainPID(4242).line == "MAINPID=4242")
        #expect(SystemdNotification.status("serving residents").line == "STATUS=serving residents")
        #expect(
            SystemdNotification.payload([.ready, .status("printer out of paper\nrefusing")])
                == "READY=1\nSTATUS=printer out of paper refusing", "a status stays one line")
    }

    @Test func theEnvironmentSaysWhetherAndHowOftenToPing() {
        let pid: Int32 = 321
        let none = SystemdNotifier(environment: [:], processID: pid)
        #expect(!none.isEnabled && none.watchdogTimeout == nil && none.watchdogInterval == nil)
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": ""], processID: pid).isEnabled)

        let watched = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000"], processID: pid)
        #expect(watched.isEnabled)
        #expect(watched.watchdogTimeout == .seconds(30))
        #expect(watched.watchdogInterval == .seconds(15), "pings at half the timeout")

        let ours = ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "321"]
        #expect(SystemdNotifier(environment: ours, processID: pid).watchdogTimeout == .seconds(1))
        var another = ours
        another["WATCHDOG_PID"] = "322"
        #expect(
            SystemdNotifier(environment: another, processID: pid).watchdogTimeout == nil,
            "a watchdog meant for another process (a parent) is not ours to feed")
        for bad in ["0", "-5", "30s", ""] {
            #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": bad], processID: pid).watchdogTimeout == nil)
        }
    }

    @Test func withoutNotifySocketNothingIsSent() throws {
        try SystemdNotifier(environment: [:]).notify(.ready, .status("serving residents"))
    }

    @Test func sendsOneDatagramToAPathSocket() async throws {
        let directory = try TemporaryDirectory()
        let listener = try NotifyListener(address: directory.path + "/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        try notifier.notify(.ready, .status("serving residents"))
        #expect(await listener.wait { $0.count == 2 })
        #expect(listener.datagrams == ["READY=1\nSTATUS=serving residents"])
    }

    @Test func sendsToAnAbstractSocket() async throws {
        let listener = try NotifyListener(address: "@kiosk-test-\(UUID().uuidString)")
        try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address]).notify(.watchdog)
        #expect(await listener.wait { $0 == ["WATCHDOG=1"] })
    }

    @Test func aFailedSendIsATypedError() throws {
        let relative = SystemdNotifier(environment: ["NOTIFY_SOCKET": "run/notify"])
        #expect(throws: SystemdNotifyError(code: EAFNOSUPPORT, call: "NOTIFY_SOCKET", socket: "run/notify")) {
            try relative.notify(.ready)
        }
        let directory = try TemporaryDirectory()
        let nobody = SystemdNotifier(environment: ["NOTIFY_SOCKET": directory.path + "/gone"])
        do {
            try nobody.notify(.ready)
            Issue.record("a send to a socket nobody listens on succeeded")
        } catch {
            #expect(error.code == ENOENT && error.call == "sendto")
            #expect("\(error)".contains("has no listener"))
        }
    }
}

@Suite("systemd status lines")
struct KioskStatusLineTests {
    @Test func statesAndCountsATechnicianCanRead() {
        #expect(
            KioskStatusLine.text(health: Health(), pendingRecords: 0)
                == "serving residents; no records waiting for upload")
        #expect(
            KioskStatusLine.text(health: Health(), pendingRecords: 1)
                == "serving residents; 1 record waiting for upload")
        #expect(
            KioskStatusLine.text(health: Health(printerProblem: .paperOut), pendingRecords: 3)
                == "printer out of paper: refusing services; 3 records waiting for upload")
        #expect(
            KioskStatusLine.text(health: Health(printerProblem: .paperOut, diskFull: true), pendingRecords: nil)
                == "disk full: refusing services", "the most important problem first; no count when it is unknown")
        #expect(
            KioskStatusLine.text(health: Health(outOfService: true), pendingRecords: 0)
                == "out of service (operator): refusing services; no records waiting for upload")
    }
}

@Suite("The watchdog pings only for a live main loop")
struct WatchdogGateTests {
    /// A main loop the test answers for: `hung` loops do not answer their probes.
    final class FakeLoop: LivenessSource {
        let state = NIOLockedValueBox((sent: UInt64(0), answered: UInt64(0), hung: false))
        func probe() -> UInt64 {
            state.withLockedValue { state in
                state.sent += 1
                // A live loop gets to the probe (here: at once); a hung one never does.
                if !state.hung { state.answered = state.sent }
                return state.sent
            }
        }
        func hasAnswered(_ number: UInt64) -> Bool { state.withLockedValue { $0.answered >= number } }
        /// The loop comes back and works through its inbox.
        func recover() {
            state.withLockedValue {
                $0.hung = false; $0.answered = $0.sent
            }
        }
        func hang() { state.withLockedValue { $0.hung = true } }
        var probesSent: UInt64 { state.withLockedValue { $0.sent } }
    }

    final class Log: Sendable {
        let lines = NIOLockedValueBox<[String]>([])
        var logger: Logger {
            Logger(label: "kiosk.watchdog") { label in
                JournalLogHandler(label: label, underJournald: false) { line in
                    self.lines.withLockedValue { $0.append(line) }
                }
            }
        }
    }

    @Test func pingsStopWhileTheLoopHangsAndResumeWhenItRecovers() {
        let loop = FakeLoop()
        let pings = NIOLockedValueBox(0)
        let log = Log()
        let gate = WatchdogGate(liveness: loop, logger: log.logger) { pings.withLockedValue { $0 += 1 } }
        gate.start()
        #expect(gate.turn() == .pinged)
        #expect(gate.turn() == .pinged)
        #expect(pings.withLockedValue { $0 } == 2)

        loop.hang()
        // The probe sent at the last ping was answered before the hang; the one sent now is not.
        #expect(gate.turn() == .pinged)
        let probesWhenHung = loop.probesSent
        #expect(gate.turn() == .withheld)
        #expect(gate.turn() == .withheld)
        #expect(gate.turn() == .withheld)
        #expect(pings.withLockedValue { $0 } == 3, "no ping while the loop does not answer")
        #expect(loop.probesSent == probesWhenHung, "no probes pile up behind a hung loop")

        loop.recover()
        #expect(gate.turn() == .pinged)
        #expect(gate.turn() == .pinged)
        #expect(pings.withLockedValue { $0 } == 5)
        let lines = log.lines.withLockedValue { $0 }
        #expect(lines.count { $0.contains("withholding the ping") } == 1, "said once per hang: \(lines)")
        #expect(lines.contains { $0.contains("watchdog pings resume") })
    }

    @Test func aFailedPingIsReportedAndLoggedOnce() {
        let loop = FakeLoop()
        let log = Log()
        let failure = SystemdNotifyError(code: ECONNREFUSED, call: "sendto", socket: "/run/systemd/notify")
        let failing = NIOLockedValueBox(true)
        let gate = WatchdogGate(liveness: loop, logger: log.logger) { () throws(SystemdNotifyError) in
            if failing.withLockedValue({ $0 }) { throw failure }
        }
        gate.start()
        #expect(gate.turn() == .failed(failure))
        #expect(gate.turn() == .failed(failure))
        failing.withLockedValue { $0 = false }
        #expect(gate.turn() == .pinged)
        let lines = log.lines.withLockedValue { $0 }
        #expect(lines.count { $0.contains("watchdog ping not sent") } == 1, "\(lines)")
        #expect(lines.contains { $0.contains("gets the watchdog pings again") })
    }

    @Test func theRuntimeInboxAnswersProbesInOrderWithEvents() async {
        let events = KioskEvents()
        events.send(.tick)
        let probe = events.probe()
        #expect(!events.hasAnswered(probe), "not before the loop got to it")
        var iterator = events.stream.makeAsyncIterator()
        guard case .event(.tick) = await iterator.next() else {
            Issue.record("the event sent first comes first")
            return
        }
        guard case .probe(let number) = await iterator.next() else {
            Issue.record("the probe follows the event")
            return
        }
        events.answer(number)
        #expect(events.hasAnswered(probe))
    }
}

/// The real runtime loop as the watchdog's liveness source: a loop stuck in an effect stops the pings.
@Suite("The watchdog and the real main loop")
struct WatchdogRuntimeTests {
    /// A display whose `show` hangs while `block` is set, as a wedged framebuffer or a stuck port would.
    final class HangingDisplay: Display {
        private struct State {
            var block = false
            var waiting: CheckedContinuation<Void, Never>?
        }
        private let state = NIOLockedValueBox(State())

        func show(_ screen: Screen) async {
            await withCheckedContinuation { continuation in
                let hang = state.withLockedValue { state in
                    if state.block { state.waiting = continuation }
                    return state.block
                }
                if !hang { continuation.resume() }
            }
        }

        func hang() { state.withLockedValue { $0.block = true } }
        var isHanging: Bool { state.withLockedValue { $0.waiting != nil } }
        func release() {
            let waiting = state.withLockedValue { state in
                state.block = false
                defer { state.waiting = nil }
                return state.waiting
            }
            waiting?.resume()
        }
    }

    /// Waits for `condition`; a generous deadline bounds a failure, nothing is measured.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        // Generous: it ends only a wait that will never succeed (KioskRuntimeTests.play says why).
        let end = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    @Test func aLoopStuckInAnEffectWithholdsThePingAndPingsResumeAfterIt() async throws {
        let state = try TemporaryDirectory()
        let settings = try SampleConfig.parse(SampleConfig.withState(in: state.path + "/state"))
        let display = HangingDisplay()
        var options = KioskApp.Options()
        options.display = display
        options.printer = try TestLetters.printer(settings: settings, directory: state.path)
        options.environment = [:]
        let kiosk = try await KioskApp.services(settings, options)
        let events = kiosk.events
        // The main loop alone: the gate below stands in for the watchdog service.
        let loop = Task { try await kiosk.runtime.run() }
        let pings = NIOLockedValueBox(0)
        let gate = WatchdogGate(liveness: events, logger: Logger(label: "test")) { pings.withLockedValue { $0 += 1 } }

        gate.start()
        // Probes are answered in order: once a later one is, the gate's is too. One probe is sent and waited for
        // (a fresh probe on every check could only be answered in the instant between sending and checking).
        let first = events.probe()
        #expect(await Self.eventually { events.hasAnswered(first) })
        #expect(gate.turn() == .pinged)
        let second = events.probe()
        #expect(await Self.eventually { events.hasAnswered(second) })

        display.hang()
        // Idle with a full disk: the loop shows the idle screen again, and hangs in it.
        events.send(.diskChecked(hasRoom: false))
        #expect(await Self.eventually { display.isHanging })
        #expect(gate.turn() == .pinged, "the probe of the last ping was answered before the hang")
        #expect(gate.turn() == .withheld)
        #expect(gate.turn() == .withheld)
        #expect(pings.withLockedValue { $0 } == 2)

        display.release()
        let afterRelease = events.probe()
        #expect(await Self.eventually { events.hasAnswered(afterRelease) })
        #expect(gate.turn() == .pinged)
        #expect(pings.withLockedValue { $0 } == 3)

        events.finish()
        try await loop.value
    }
}

/// The built `kiosk run` under a stand-in for systemd: the notifications a real unit would get.
@Suite("kiosk run under systemd", .serialized)
struct KioskRunNotifyTests {
    struct Run {
        let process: Process
        let listener: NotifyListener
        let stderr: String
    }

    /// Starts `kiosk run` with NOTIFY_SOCKET (and WATCHDOG_USEC when given) pointing at a fresh listener.
    static func start(
        config: String, script: String?, watchdogUSec: Int?, in directory: borrowing TemporaryDirectory
    ) throws -> (Process, NotifyListener, String) {
        let listener = try NotifyListener(address: "@kiosk-test-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.binaries + "/kiosk")
        process.arguments =
            ["run", "--config", config] + (script.map { ["--script", $0, "--await-seconds", "60"] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = listener.address
        environment["WATCHDOG_USEC"] = watchdogUSec.map(String.init)
        environment["WATCHDOG_PID"] = nil
        process.environment = environment
        let errorLog = directory.path + "/stderr.log"
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errorLog)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, listener, errorLog)
    }

    /// What the kiosk logged, for a failing expectation's message.
    static func log(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    static func waitForExit(_ process: Process) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func readyAfterStartUpWatchdogPingsAndStoppingOnSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("kiosk.toml", SampleConfig.withState(in: directory.path + "/state"))
        // 200 ms: pings every 100 ms, so a few arrive quickly; no --script: the kiosk serves until stopped.
        let (process, listener, errorLog) = try Self.start(
            config: config, script: nil, watchdogUSec: 200_000, in: directory)
        defer { if process.isRunning { process.interrupt() } }

        #expect(
            await listener.wait { $0.contains("READY=1") }, "\(Self.log(errorLog))")
        #expect(await listener.wait { $0.count { $0 == "WATCHDOG=1" } >= 3 }, "the live loop's pings arrive")
        #expect(listener.lines.first == "READY=1", "nothing before start-up finished")
        #expect(listener.lines.contains("STATUS=serving residents; no records waiting for upload"))

        process.terminate()  // SIGTERM, as systemctl stop sends
        await Self.waitForExit(process)
        #expect(process.terminationStatus == 0)
        let lines = listener.lines
        let stopping = try #require(lines.firstIndex(of: "STOPPING=1"), "\(lines)")
        #expect(lines[stopping...].allSatisfy { $0 != "WATCHDOG=1" && $0 != "READY=1" })
    }

    @Test func theRunningKioskCanNeverDumpCore() async throws {
        // Started with a hard core limit of unlimited (this test's own, inherited): the kiosk must lower both.
        let directory = try TemporaryDirectory()
        let config = try directory.write("kiosk.toml", SampleConfig.withState(in: directory.path + "/state"))
        let (process, listener, errorLog) = try Self.start(
            config: config, script: nil, watchdogUSec: nil, in: directory)
        defer { if process.isRunning { process.interrupt() } }
        #expect(await listener.wait { $0.contains("READY=1") }, "\(Self.log(errorLog))")
        let limits = try String(contentsOfFile: "/proc/\(process.processIdentifier)/limits", encoding: .utf8)
        let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"],
            "\(core)")
        process.terminate()
        await Self.waitForExit(process)
    }

    @Test func aBrokenConfigurationSendsNoReadyAndExits78() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "kiosk.toml",
            SampleConfig.withState(in: directory.path + "/state") {
                $0.replacingOccurrences(of: "pin_length = 6", with: "pin_length = \"six\"")
            })
        let (process, listener, errorLog) = try Self.start(
            config: config, script: nil, watchdogUSec: 200_000, in: directory)
        await Self.waitForExit(process)
        #expect(process.terminationStatus == 78, "\(Self.log(errorLog))")
        #expect(listener.datagrams.isEmpty, "no READY, no STATUS, no pings: \(listener.datagrams)")
    }

    @Test func statusFollowsTheOutboxAndNeverShowsPersonalData() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("kiosk.toml", SampleConfig.withState(in: directory.path + "/state"))
        let script = try directory.write("session.txt", KioskRuntimeTests.domicileSession)
        let (process, listener, errorLog) = try Self.start(
            config: config, script: script, watchdogUSec: nil, in: directory)
        await Self.waitForExit(process)
        let log = try String(contentsOfFile: errorLog, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(log)")
        let lines = listener.lines
        #expect(
            lines == [
                "READY=1", "STATUS=serving residents; no records waiting for upload",
                "STATUS=serving residents; 1 record waiting for upload", "STOPPING=1", "STATUS=stopping",
            ], "no WATCHDOG=1 without WATCHDOG_USEC")
        let personal = try RegistryFixture.personalData()
        let all = listener.datagrams.joined(separator: "\n")
        #expect(all.firstMatch(of: try Regex("[0-9]{16}")) == nil)
        for name in personal.names { #expect(!all.contains(name)) }
    }
}
