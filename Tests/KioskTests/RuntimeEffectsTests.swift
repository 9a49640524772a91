import Core
import Drivers
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import KioskKit

/// The main loop runs its effects as child tasks: it keeps turning while one waits, an answer that outlived its
/// session never reaches the next one, and a flood of keys cannot grow its inbox without bound. In-process ports:
/// these are the loop's own rules, the devices behind the ports are tested with the real services elsewhere.
@Suite("The runtime's effects and inbox")
struct RuntimeEffectsTests {
    /// A registry that answers each card's lookup only when the test releases it.
    final class GatedRegistry: ResidentRegistry {
        private struct State {
            var waiting: [CardUID: CheckedContinuation<KioskEvent.Lookup, Never>] = [:]
        }
        private let state = NIOLockedValueBox(State())

        func lookUp(_ card: CardUID) async throws -> KioskEvent.Lookup {
            await withCheckedContinuation { continuation in state.withLockedValue { $0.waiting[card] = continuation } }
        }

        func verifyPIN(_ pin: PIN, for card: CardUID) async throws -> KioskEvent.PINCheck { .rejected }

        func isWaiting(for card: CardUID) -> Bool { state.withLockedValue { $0.waiting[card] != nil } }

        func answer(_ card: CardUID, with lookup: KioskEvent.Lookup) {
            state.withLockedValue { $0.waiting.removeValue(forKey: card) }?.resume(returning: lookup)
        }
    }

    /// Never asked: no session in these tests reaches a letter.
    struct NoIssuer: LetterIssuer {
        func issue(_ request: LetterRequest) async throws(IssueProblem) -> IssuedLetter { throw .storageFailed }
        func recordPrintOutcome(_ outcome: PrintOutcome, for id: RecordID) async {}
    }

    struct NoPrinter: LetterPrinter {
        func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void) async
            -> PrintOutcome
        { .failed(.offline) }
    }

    static let first = try! CardUID(bytes: [0x52, 0x0A, 0x8B, 0xB9])
    static let second = try! CardUID(bytes: [0xB3, 0x95, 0x03, 0xA9])

    /// Waits for `condition`; a generous deadline bounds a failure, nothing is measured.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        await WatchdogRuntimeTests.eventually(condition)
    }

    @Test func aLookupThatOutlivedItsSessionNeverAnswersForTheNextCard() async throws {
        let settings = try SampleConfig.parse(SampleConfig.valid)
        var policy = settings.policy
        // Both lookups hang for as long as the test needs: no limit may end the second session meanwhile.
        policy.lookupTimeout = .seconds(3600)
        let capture = KioskRuntimeTests.Capture()
        let registry = GatedRegistry()
        let events = KioskEvents()
        let logger = Logger(label: "kiosk") { label in
            JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                capture.logs.withLockedValue { $0.append(line) }
            }
        }
        let runtime = KioskRuntime(
            policy: policy, catalogue: settings.catalogue,
            ports: .init(
                display: KioskRuntimeTests.CapturingDisplay(capture: capture), registry: registry, issuer: NoIssuer(),
                printer: NoPrinter()),
            events: events, logger: logger)
        let loop = Task { try await runtime.run() }
        var lastScreen: ScreenID? { capture.screens.withLockedValue { $0.last?.id } }

        // The first card's lookup hangs (a busy database); the resident gives up and takes the card away.
        events.send(.cardPresented(Self.first, chip: nil))
        #expect(await Self.eventually { registry.isWaiting(for: Self.first) })
        events.send(.cardRemoved)
        #expect(await Self.eventually { lastScreen == .idle })
        // The loop kept turning while the lookup hung: the next resident's card is read at once.
        events.send(.cardPresented(Self.second, chip: nil))
        #expect(await Self.eventually { registry.isWaiting(for: Self.second) })
        #expect(lastScreen == .readingCard)

        // The first lookup answers now: an operator's card. It must not open the operator PIN for the second card.
        registry.answer(Self.first, with: .operatorCard)
        #expect(await Self.eventually { capture.logs.withLockedValue { $0.contains { $0.contains("stale answer dropped") } } })
        #expect(lastScreen == .readingCard)

        registry.answer(Self.second, with: .unknownCard)
        #expect(await Self.eventually { lastScreen == .error(.unknownCard) })
        #expect(!capture.screens.withLockedValue { $0.contains { $0.id == .pinEntry } })

        events.finish()
        try await loop.value
    }

    @Test func keysBeyondTheInboxLimitAreDroppedAndCounted() async {
        let events = KioskEvents()
        for _ in 0..<10_000 { events.send(.key(.digit(1))) }
        events.send(.cardRemoved)
        events.finish()
        var keys = 0
        var sawCardRemoved = false
        for await input in events.stream {
            guard case .event(let event) = input else { continue }
            events.taken(event)
            if case .key = event { keys += 1 }
            if event == .cardRemoved { sawCardRemoved = true }
        }
        #expect(keys == KioskEvents.inputLimit)
        #expect(events.inputsDropped == 10_000 - KioskEvents.inputLimit)
        #expect(sawCardRemoved, "a card event is never dropped")
    }

    @Test func keysTakenByTheLoopMakeRoomAgain() {
        let events = KioskEvents()
        for _ in 0..<KioskEvents.inputLimit { events.send(.key(.enter)) }
        events.send(.key(.enter))
        #expect(events.inputsDropped == 1)
        events.taken(.key(.enter))
        events.send(.key(.enter))
        #expect(events.inputsDropped == 1, "one taken, one more fits")
    }
}
