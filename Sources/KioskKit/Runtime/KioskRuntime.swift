import Core
import Drivers
import Logging
import ServiceLifecycle
import Synchronization

/// The kiosk's main loop: feeds events to Core's state machine and performs the effects it returns through the
/// ports. One loop, one state machine; slow work (printing) runs beside it and answers with events.
package struct KioskRuntime: Service {
    package struct Ports: Sendable {
        var display: any Display
        var registry: any ResidentRegistry
        var issuer: any LetterIssuer
        var printer: any LetterPrinter
        /// Reads each screen's prompt aloud; `nil` without `[speech] enabled`.
        var speaker: (any PromptSpeaker)? = nil
        /// Letters prepared elsewhere, waiting for their holders; `nil` where the kiosk has none to offer.
        var pickups: (any LetterPickups)? = nil
        /// Says whether this kiosk issued a letter number (maintenance's "Periksa Surat"); `nil`: it cannot say.
        var issuedLetters: (any IssuedLetters)? = nil
        /// The maintenance screen's test print and printer check; `nil` where the kiosk has no printers to ask.
        var maintenance: (any PrinterMaintenance)? = nil
        /// Where the operator's stop and the printer's state are kept across restarts; `nil` keeps them in memory.
        var serviceSwitch: ServiceSwitch? = nil
        /// Where survey answers are counted; `nil` drops them.
        var survey: SurveyStore? = nil
        /// Records and prints queue tickets; `nil` where the kiosk hands none (`[queue]` off).
        var queue: QueueDesk? = nil
    }

    let policy: KioskPolicy
    let catalogue: LetterCatalogue
    let ports: Ports
    let events: KioskEvents
    let logger: Logger
    /// Told when the kiosk starts serving, when its health or its outbox changes, and when it stops; `nil` outside
    /// systemd.
    var systemd: SystemdReporter? = nil
    /// Present while a resident is served, for updaters (`/run/kiosk/busy`); `nil` outside systemd.
    var busy: BusyMarker? = nil
    /// Opened with READY=1: the services that wait for it (the API's, the speech check) start then.
    var ready: ReadyGate? = nil

    package func run() async throws {
        var machine = KioskStateMachine(
            policy: policy, catalogue: catalogue, clock: ContinuousClock(),
            health: ports.serviceSwitch?.startHealth() ?? Health())
        var timer: (wake: ContinuousClock.Instant, task: Task<Void, Never>)?
        var shown = ShownScreens()
        var asked = Questions()
        defer {
            timer?.task.cancel()
            ports.speaker?.silence()
        }
        // Every effect that waits on a device, the database or the printer runs as a child task of this group and
        // answers with an event: the loop never waits on I/O, so its timers fire and the watchdog hears it even while
        // a card is mute, the database busy or CUPS slow. A finished child is gone at once; the group waits, as the
        // kiosk stops, for what still runs, so a letter already numbered is printed and its outcome recorded.
        await withDiscardingTaskGroup { children in
            await perform(machine.currentScreenEffects, in: &children, asked: &asked, shown: &shown)
            logger.info(
                "kiosk ready",
                metadata: ["letters": "\(catalogue.selfService.count)", "identity": "\(policy.identityMode.rawValue)"])
            // The configuration, the database, the registry and the printer were set up before this runtime was made,
            // and the first screen is up: from here the kiosk serves, so this is where systemd hears READY=1.
            await systemd?.ready(health: machine.health)
            ready?.open()
            if systemd != nil { children.addTask { await releaseUnusedPages() } }
            for await input in events.stream.cancelOnGracefulShutdown() {
                let event: KioskEvent
                switch input {
                case .probe(let number):
                    // The watchdog asks whether this loop still turns: getting here is the answer.
                    events.answer(number)
                    continue
                case .event(let next):
                    events.taken(next)
                    event = next
                case .answer(let next, let question):
                    // Only the answer to the question last asked of its kind is the one the machine waits for: a
                    // lookup that outlived its session (a timeout came first) must not meet the next resident's card.
                    guard asked.isCurrent(question) else {
                        logger.notice("stale answer dropped", metadata: ["to": "\(question.kind)"])
                        continue
                    }
                    event = next
                }
                let before = machine.state
                let health = machine.health
                let effects = machine.handle(event)
                busy?.update(serving: machine.isServingResident)
                if machine.state.description != before.description {
                    logger.debug("state changed", metadata: ["from": "\(before)", "to": "\(machine.state)"])
                }
                await perform(effects, after: event, in: &children, asked: &asked, shown: &shown)
                if machine.health != health { await systemd?.healthChanged(machine.health) }
                // No periodic timer: sleep exactly until the machine next needs time, if it does.
                let wake = machine.nextWakeUp
                if let current = timer, !Self.keepsTimer(firingAt: current.wake, for: wake, now: .now) {
                    current.task.cancel()
                    timer = nil
                }
                if timer == nil, let wake {
                    let task = Task { [events] in
                        try? await Task.sleep(until: wake, clock: .continuous)
                        if !Task.isCancelled { events.send(.tick) }
                    }
                    timer = (wake, task)
                }
            }
            await systemd?.stopping()
        }
        busy?.update(serving: false)
        logger.info("kiosk stopped")
    }

    /// The screens shown so far, counted as the virtual display numbers its snapshots, so a spoken prompt's file
    /// (`NNN-<screen>.wav`) has the number of the snapshot it was spoken with.
    package struct ShownScreens {
        var count = 0
        var last: ScreenID = .idle
    }

    /// Whether a timer set to fire at `firing` still serves when the machine next needs time at `wake`: when it has
    /// yet to fire, and fires no later. The machine takes an early tick for nothing, and the loop sets the timer for
    /// `wake` then. Most events (a touch, a PIN digit) move the deadline later, and a timer cancelled at each of them
    /// would leave its sleep behind: a cancelled `Task.sleep` holds its task and its dispatch timer until its deadline
    /// (swiftlang/swift#60441), up to the longest timeout, for every touch until then.
    static func keepsTimer(
        firingAt firing: ContinuousClock.Instant, for wake: ContinuousClock.Instant?, now: ContinuousClock.Instant
    ) -> Bool {
        guard let wake else { return false }
        return firing > now && firing <= wake
    }

    /// A shown screen's journal line is info, but for the timer's repaints of the screen already up (the countdown,
    /// every second): debug.
    static func screenLogLevel(_ screen: ScreenID, after event: KioskEvent?, last: ScreenID) -> Logger.Level {
        event == .tick && screen == last ? .debug : .info
    }

    /// The kiosk serves: the pages of its binary that start-up read once (argument parsing, configuration, database
    /// setup, the Swift runtime's type lookups) are unmapped now, and every `pageReleaseInterval` from then on what a
    /// session, a sync or a heartbeat read since, instead of staying in the kiosk's memory for as long as it runs
    /// (measured on the demo configuration: idle PSS 40.8 -> 21 MB, README "Size and speed"). The page cache keeps
    /// them, so what is touched again costs a minor fault, not a disk read. The free memory malloc's arenas keep goes
    /// back at each round too (`MallocArenas.releaseFreeMemory`). Only under systemd, the kiosk's service:
    /// tests and a developer's `kiosk run` keep theirs. Stops at graceful shutdown.
    private func releaseUnusedPages() async {
        let pages: ExecutablePages
        do { pages = try ExecutablePages() } catch {
            logger.notice("binary pages kept", metadata: ["error": "\(error)"])
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // The free memory malloc's arenas keep goes back with the pages: an idle kiosk holds what it uses.
                MallocArenas.releaseFreeMemory()
                do {
                    let bytes = try pages.release()
                    logger.debug("binary pages unmapped", metadata: ["advised_kb": "\(bytes / 1024)"])
                } catch {
                    logger.notice("binary pages kept", metadata: ["error": "\(error)"])
                    return
                }
                try? await Task.sleep(for: Self.pageReleaseInterval)
            }
        }
    }

    /// How long what a periodic task touched stays mapped at most. Not a minute: the uploader's idle round and the
    /// disk watch come once a minute too (1.5 to 4 MB of the binary's code, with the kernel mapping 64 kB around
    /// each page faulted in), and loops of one period keep the order they started in, often for many minutes: whether
    /// one of them ran just after the unmapping decided the idle PSS of a run (21 or 24-25 MB, sampled every half
    /// second). Each unmapping costs the advice and the minor faults that map the idle animation's code again.
    static let pageReleaseInterval = Duration.seconds(10)

    /// `event` is what the effects answer; the timer's ticks repaint the countdown in place every second, and
    /// those repaints are not worth a journal line each (they were 15 a minute on the timeout screen).
    private func perform(
        _ effects: [KioskEffect], after event: KioskEvent? = nil, in children: inout DiscardingTaskGroup,
        asked: inout Questions, shown: inout ShownScreens
    ) async {
        let (ports, events, logger, systemd) = (ports, events, logger, systemd)
        for effect in effects {
            switch effect {
            case .show(let screen):
                let level = Self.screenLogLevel(screen.id, after: event, last: shown.last)
                shown.count += 1
                shown.last = screen.id
                await ports.display.show(screen)
                logger.log(level: level, "screen", metadata: ["screen": "\(screen.id)"])
            case .lookUp(let card):
                let question = asked.next(.lookUp)
                children.addTask {
                    do {
                        events.send(.lookedUp(try await ports.registry.lookUp(card)), answering: question)
                    } catch {
                        // Never "unknown": in chip mode that once let the chip's own biodata through.
                        logger.error("registry lookup failed", metadata: ["error": "\(error)"])
                        events.send(.lookedUp(.failed), answering: question)
                    }
                }
            case .verifyPIN(let card, let pin):
                let question = asked.next(.verifyPIN)
                children.addTask {
                    do {
                        events.send(
                            .pinChecked(try await ports.registry.verifyPIN(pin, for: card)), answering: question)
                    } catch {
                        logger.error("PIN check failed", metadata: ["error": "\(error)"])
                        events.send(.pinChecked(.rejected), answering: question)
                    }
                }
            case .issue(let request):
                let question = asked.next(.issue)
                children.addTask {
                    do throws(IssueProblem) {
                        let issued = try await ports.issuer.issue(request)
                        logger.notice(
                            "service recorded",
                            metadata: [
                                "record": "\(issued.recordID)", "letter": "\(request.kind.code)",
                                "number": "\(issued.number)",
                            ])
                        await systemd?.outboxChanged()
                        events.send(.letterIssued(issued), answering: question)
                    } catch {
                        logger.error("letter not issued", metadata: ["problem": "\(error.rawValue)"])
                        events.send(.issueFailed(error), answering: question)
                    }
                }
            case .print(let request, let issued):
                let question = asked.next(.print)
                children.addTask {
                    let outcome = await ports.printer.print(request, issued) {
                        events.send(.printProgress($0), answering: question)
                    }
                    await ports.issuer.recordPrintOutcome(outcome, for: issued.recordID)
                    logger.notice(
                        "print finished", metadata: ["record": "\(issued.recordID)", "outcome": "\(outcome)"])
                    events.send(.printFinished(outcome), answering: question)
                }
            case .findPickups(let resident, let card):
                let question = asked.next(.findPickups)
                children.addTask {
                    do {
                        let letters = try await ports.pickups?.letters(for: resident, card: card) ?? []
                        events.send(.pickupsFound(letters), answering: question)
                    } catch {
                        // The menu still comes: prepared letters never stop a resident from being served.
                        logger.error("prepared letters not read", metadata: ["error": "\(error)"])
                        events.send(.pickupsFound([]), answering: question)
                    }
                }
            case .collect(let letter, let resident, let card):
                let question = asked.next(.collect)
                children.addTask {
                    let outcome =
                        await ports.pickups?.collect(letter, by: resident, card: card) {
                            events.send(.printProgress($0), answering: question)
                        } ?? .failed(.offline)
                    logger.notice(
                        "prepared letter collected", metadata: ["pickup": "\(letter.id)", "outcome": "\(outcome)"])
                    await systemd?.outboxChanged()
                    events.send(.pickupFinished(outcome), answering: question)
                }
            case .speak(let prompt):
                // After the screen is drawn (its `.show` came first), and without waiting for the voice.
                ports.speaker?.speak(prompt, screen: shown.last, sequence: shown.count)
            case .clearSession:
                ports.speaker?.silence()
                await ports.display.sessionCleared()
                logger.debug("session cleared")
            case .testPrint:
                logger.notice("operator asked for a test print")
                let question = asked.next(.testPrint)
                children.addTask {
                    let result = await ports.maintenance?.testPrint() ?? TestPrintResult(letter: nil, slip: nil)
                    logger.notice(
                        "test print finished",
                        metadata: [
                            "letter": "\(result.letter.map(\.rawValue) ?? "none")",
                            "slip": "\(result.slip.map(\.rawValue) ?? "none")",
                        ])
                    events.send(.testPrinted(result), answering: question)
                }
            case .checkPrinter:
                logger.notice("operator reports paper refilled")
                let question = asked.next(.checkPrinter)
                children.addTask {
                    // Without printers to ask (a kiosk keeping letters as files) there is nothing to wait for.
                    let check = await ports.maintenance?.check() ?? .ready
                    var metadata: Logger.Metadata = ["printer": "\(check.problem?.rawValue ?? "ready")"]
                    if case .unreported(let outcome) = check { metadata["test print"] = "\(outcome.rawValue)" }
                    logger.notice("printer checked", metadata: metadata)
                    events.send(.printerChecked(check), answering: question)
                }
            case .setOutOfService(let off, let card):
                logger.notice(
                    off ? "operator stopped the service" : "operator resumed the service",
                    metadata: ["operator": "\(card.masked)"])
                // Numbered, so that of two quick presses the later one is what stays written, whichever child
                // finishes first.
                let order = asked.next(.serviceSwitch).number
                children.addTask {
                    do {
                        try ports.serviceSwitch?.record(outOfService: off, by: card, order: order)
                    } catch {
                        logger.error("service switch not kept across a restart", metadata: ["error": "\(error)"])
                    }
                }
            case .recordSurvey(let answer):
                // Counted under the kiosk's date only; the log line says that an answer came, not which.
                children.addTask {
                    do {
                        try ports.survey?.record(answer, on: Timestamp.now().date())
                        logger.info("survey answer counted")
                    } catch {
                        logger.error("survey answer not counted", metadata: ["error": "\(error)"])
                    }
                }
            case .takeTicket(let request):
                let question = asked.next(.takeTicket)
                children.addTask {
                    let outcome = await ports.queue?.take(request) ?? .notTaken(.storageFailed)
                    await systemd?.outboxChanged()
                    events.send(.ticketTaken(outcome), answering: question)
                }
            case .checkLetter(let number):
                // A read of the record store: a child task, like every effect that waits on the database.
                let question = asked.next(.checkLetter)
                children.addTask {
                    let check = await ports.issuedLetters?.check(number) ?? .failed
                    logger.notice("operator checked a letter number", metadata: ["found": "\(check.name)"])
                    events.send(.letterChecked(check), answering: question)
                }
            }
        }
    }

    /// The questions the loop has put to its child tasks, numbered per kind: the state machine waits for at most one
    /// answer of each kind, the one to the question asked last.
    struct Questions {
        enum Kind: Sendable {
            case lookUp, verifyPIN, issue, print, findPickups, collect, checkLetter, testPrint, checkPrinter
            case serviceSwitch, takeTicket
        }

        struct Question: Sendable {
            let kind: Kind
            let number: UInt64
        }

        private var last: [Kind: UInt64] = [:]

        mutating func next(_ kind: Kind) -> Question {
            let number = last[kind, default: 0] + 1
            last[kind] = number
            return Question(kind: kind, number: number)
        }

        func isCurrent(_ question: Question) -> Bool { last[question.kind] == question.number }
    }
}

/// The runtime's inbox: devices, effects and timers all send events here, and the watchdog its probes.
///
/// Bounded where a person or a broken device can flood it: keys and touches beyond `inputLimit` waiting are dropped
/// (a stuck key, a chattering panel), so memory stays bounded and the loop catches up. Everything else is at most one
/// event per card, per effect, per timer, and is never dropped.
package struct KioskEvents: Sendable, LivenessSource {
    enum Input: Sendable {
        case event(KioskEvent)
        /// A child task's answer to the runtime's `question`.
        case answer(KioskEvent, KioskRuntime.Questions.Question)
        /// The watchdog's question "does the loop still turn?", answered by the loop with `answer`.
        case probe(UInt64)
    }

    /// How many keys and touches may wait for the loop: far more than a resident types ahead.
    package static let inputLimit = 64

    /// Probes sent and answered, counted; keys and touches waiting, and dropped.
    private final class Counters: Sendable {
        let sent = Atomic<UInt64>(0)
        let answered = Atomic<UInt64>(0)
        let inputsWaiting = Atomic<Int>(0)
        let inputsDropped = Atomic<Int>(0)
    }

    let stream: AsyncStream<Input>
    private let continuation: AsyncStream<Input>.Continuation
    private let counters = Counters()

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Input.self)
    }

    func send(_ event: KioskEvent) {
        if event.isInput {
            guard counters.inputsWaiting.add(1, ordering: .relaxed).newValue <= Self.inputLimit else {
                counters.inputsWaiting.subtract(1, ordering: .relaxed)
                counters.inputsDropped.add(1, ordering: .relaxed)
                return
            }
        }
        continuation.yield(.event(event))
    }

    func send(_ event: KioskEvent, answering question: KioskRuntime.Questions.Question) {
        continuation.yield(.answer(event, question))
    }

    /// The loop took `event` from the inbox.
    func taken(_ event: KioskEvent) {
        if event.isInput { counters.inputsWaiting.subtract(1, ordering: .relaxed) }
    }

    /// Keys and touches dropped because the loop was that far behind.
    package var inputsDropped: Int { counters.inputsDropped.load(ordering: .relaxed) }

    func finish() { continuation.finish() }

    package func probe() -> UInt64 {
        let number = counters.sent.add(1, ordering: .relaxed).newValue
        continuation.yield(.probe(number))
        return number
    }

    package func hasAnswered(_ number: UInt64) -> Bool {
        counters.answered.load(ordering: .acquiring) >= number
    }

    /// The loop reached probe `number`.
    func answer(_ number: UInt64) {
        counters.answered.max(number, ordering: .releasing)
    }
}

extension KioskEvent {
    /// A key or a touch: what a person (or a stuck key) can send without limit.
    fileprivate var isInput: Bool {
        switch self {
        case .key, .press: true
        default: false
        }
    }
}
