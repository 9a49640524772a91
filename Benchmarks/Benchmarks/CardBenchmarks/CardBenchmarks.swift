import Benchmark
import Core
import Drivers
import Foundation
import Synchronization

/// Taps of a virtual e-KTP through the real pcscd and its vpcd reader: `kiosk-sim card` is started for each tap
/// and stopped after it. Measured per tap:
/// - "inserted -> identity": our part, from the monitor's "card inserted" to the identity resolved (UID read with
///   `FF CA 00 00 00` + lookup among 2,000 registered cards in both byte orders): the budget is 100 ms median;
/// - "detect ours": from starting the virtual card to our monitor's event;
/// - "detect pcsc_scan": from starting the same virtual card to pcsc_scan printing "Card inserted", pcsc_scan
///   watching the same reader at the same time (the peer for detection).
let benchmarks: @Sendable () -> Void = {
    let simulator = ProcessInfo.processInfo.environment["KIOSK_SIM"] ?? "../.build/debug/kiosk-sim"
    // The vpcd port of the reader to tap on (35963 for the shared pcscd's first reader).
    let port = ProcessInfo.processInfo.environment["KIOSK_VPCD_PORT"] ?? "35963"
    let uid = try! CardUID(hex: "04A21B6C9E4F80")
    // 2,000 registered cards: 4-byte tags typed by wedge readers, and ours, near the end.
    var tags = (0..<1999).map { CardTag(String(3_000_000_000 + $0 * 7919))! }
    tags.append(CardTag(uid.openSIDTag!)!)
    let registered = tags

    // Made once in `setup`: package-benchmark calls the closure once per iteration, and a monitor and a pcsc_scan
    // per call would pile up pcscd client threads (pcscd refuses new clients at 200).
    let rig = Mutex<TapRig?>(nil)

    Benchmark(
        "Card tap: inserted -> identity (UID read + lookup), through pcscd/vpcd",
        configuration: .init(
            metrics: [
                .custom("inserted -> identity (us)"), .custom("detect ours (us)"), .custom("detect pcsc_scan (us)"),
            ],
            timeUnits: .milliseconds, warmupIterations: 2, maxDuration: .seconds(300), maxIterations: 200),
        closure: { benchmark in
            guard let rig = rig.withLock({ $0 }) else { fatalError("setup made no rig") }
            for _ in benchmark.scaledIterations {
                let tapped = ContinuousClock.now
                let scanBefore = rig.scan.insertions
                let card = Process()
                card.executableURL = URL(fileURLWithPath: simulator)
                card.arguments = ["card", "--uid", uid.hex, "--port", port]
                card.standardOutput = FileHandle.nullDevice
                card.standardError = FileHandle.nullDevice
                try card.run()
                guard
                    case .cardInserted(let name, _) = await rig.events.next(where: {
                        if case .cardInserted = $0 { true } else { false }
                    })
                else {
                    fatalError("no card inserted: is pcscd running with vsmartcard-vpcd?")
                }
                let detected = ContinuousClock.now

                let read = try await rig.reader.readUID(on: name)
                let known = registered.contains { $0.matches(read) || $0.matches(read.reversed) }
                let identified = ContinuousClock.now
                precondition(known, "the tapped card is registered")
                // Our part as its own metric: the framework's wall clock counts every call of the closure, taps'
                // set-up included, and would mix them in.
                benchmark.measurement(
                    .custom("inserted -> identity (us)"), Int((identified - detected) / .microseconds(1)))

                let scanned = rig.scan.waitForInsertion(after: scanBefore)
                benchmark.measurement(.custom("detect ours (us)"), Int((detected - tapped) / .microseconds(1)))
                if let scanned {
                    benchmark.measurement(.custom("detect pcsc_scan (us)"), Int((scanned - tapped) / .microseconds(1)))
                }
                card.terminate()
                card.waitUntilExit()
                _ = await rig.events.next(where: { if case .cardRemoved = $0 { true } else { false } })
            }
        },
        setup: {
            let made = TapRig()
            await made.events.drain()  // readers present at start
            rig.withLock { $0 = made }
        },
        teardown: {
            rig.withLock { $0 }?.stop()
            rig.withLock { $0 = nil }
        })
}

/// What every tap shares: our monitor, its events, pcsc_scan beside it, the reader.
final class TapRig: Sendable {
    let monitor = CardMonitor()
    let events: EventQueue
    let scan = PcscScan()
    let reader = PCSCCardReader()

    init() {
        events = EventQueue(monitor.events)
        monitor.start()
    }

    func stop() {
        monitor.stop()
        scan.stop()
    }
}

/// The monitor's events, one at a time.
final class EventQueue: @unchecked Sendable {
    private var iterator: AsyncStream<CardMonitorEvent>.Iterator

    init(_ stream: AsyncStream<CardMonitorEvent>) { iterator = stream.makeAsyncIterator() }

    func next(where wanted: (CardMonitorEvent) -> Bool) async -> CardMonitorEvent? {
        while let event = await iterator.next() {
            if wanted(event) { return event }
        }
        return nil
    }

    /// Takes the reader-added events of the start.
    func drain() async { _ = await next { if case .readerAdded = $0 { true } else { false } } }
}

/// `pcsc_scan` watching the readers; remembers when it reported each card insertion.
final class PcscScan: Sendable {
    private let process = Process()
    private let seen = Mutex<[ContinuousClock.Instant]>([])
    private let signal = DispatchSemaphore(value: 0)

    init() {
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        process.arguments = ["-oL", "pcsc_scan", "-n"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try? process.run()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in read(handle) }
    }

    private func read(_ handle: FileHandle) {
        var pending = ""
        while case let data = handle.availableData, !data.isEmpty {
            pending += String(decoding: data, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                if pending[..<newline].contains("Card inserted") {
                    seen.withLock { $0.append(.now) }
                    signal.signal()
                }
                pending = String(pending[pending.index(after: newline)...])
            }
        }
    }

    var insertions: Int { seen.withLock { $0.count } }

    /// The time pcsc_scan reported the next insertion after `count` earlier ones (waits up to 2 s).
    func waitForInsertion(after count: Int) -> ContinuousClock.Instant? {
        let deadline = DispatchTime.now() + 2
        while insertions <= count {
            if signal.wait(timeout: deadline) == .timedOut { return nil }
        }
        return seen.withLock { $0[count] }
    }

    /// SIGKILL: started from a concurrency thread, pcsc_scan inherits its blocked signals and ignores SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
