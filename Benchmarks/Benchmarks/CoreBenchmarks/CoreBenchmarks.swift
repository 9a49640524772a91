import Benchmark
import Core

/// A clock that never moves: the state machine's own cost, without timers.
struct FrozenClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }
    var now: Instant { Instant(offset: .zero) }
    var minimumResolution: Duration { .nanoseconds(1) }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}

let niks = [
    "1809075403680011", "1809070211650012", "1809072107790013", "1809074901820014",
    "1809071504900015", "1809075708950016", "1809076112010017", "1809070303700018",
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(2),
        maxIterations: 100_000)

    // One NIK: length, digits, province table, regency/district, birth date with +40 and the calendar.
    Benchmark("NIK parse and validate", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(try? NIK(niks[i % niks.count]))
        }
    }

    // The same, rejecting: an impossible date is found after every other rule passed.
    Benchmark("NIK reject (31 April)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? NIK("1809073104900015"))
        }
    }

    // A wedge reader's decimal tag against a 7-byte UID, both byte orders.
    let uid = try! CardUID(hex: "04A21B6C9E4F80")
    Benchmark("Card tag match (7-byte UID, reversed allowed)", configuration: .init(scalingFactor: .kilo)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(uid.matches(tag: "1304138576973696", allowReversed: true))
        }
    }

    // A whole resident session through the state machine: tap, read, lookup, PIN, menu, purpose, confirm,
    // issue, print progress, done, card removed. 16 events, each producing its screen.
    let resident = Resident(
        nik: try! NIK("1809072107790013"), name: "I KETUT WIRAWAN", birthPlace: "BANDAR LAMPUNG",
        birthDate: CalendarDate(year: 1979, month: 7, day: 21)!, sex: .male, address: "JL. RAYA HANURA NO. 13",
        rt: "001", rw: "002", religion: "HINDU", maritalStatus: "KAWIN", occupation: "PERDAGANGAN")
    let village = try! VillageCode("1809072001")
    let issued = IssuedLetter(
        recordID: RecordID("01M89QNTNGS53FZ6SB5S7R357H")!,
        number: LetterNumber(kindCode: "S-41", serial: 7, village: village, month: 11, year: 2026))
    let session: [KioskEvent] = [
        .cardPresented(uid, chip: nil), .lookedUp(.resident(resident)),
        .key(.digit(1)), .key(.digit(2)), .key(.digit(3)), .key(.digit(4)), .key(.digit(5)), .key(.digit(6)),
        .pinChecked(.accepted), .key(.right), .key(.digit(6)), .key(.digit(1)), .press(.confirm),
        .letterIssued(issued), .printProgress(50), .printFinished(.printed), .cardRemoved,
    ]
    Benchmark("State machine: one whole resident session (18 events)") { benchmark in
        for _ in benchmark.scaledIterations {
            var machine = KioskStateMachine(policy: KioskPolicy(), catalogue: .openSIDSelfService, clock: FrozenClock())
            for event in session { blackHole(machine.handle(event)) }
            switch machine.state {
            case .idle, .done: break
            default: preconditionFailure("the session did not complete: \(machine.state)")
            }
        }
    }

    // Layout and hit-test of the heaviest screen (the PIN pad) on a 10.1-inch panel.
    let layout = try! ScreenLayout(size: SizeMM(width: 222, height: 125))
    let pin = KioskScreens.pinEntry(entered: 3, length: 6)
    Benchmark("Screen layout + hit-test (PIN pad, 222x125 mm)", configuration: .init(scalingFactor: .kilo)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(layout.layout(pin).hitTest(PointMM(x: 200, y: 60)))
        }
    }
}
