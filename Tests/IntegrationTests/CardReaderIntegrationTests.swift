import Core
import Drivers
import Foundation
import Testing

/// The PC/SC driver against the real pcscd, its vpcd virtual reader, and `kiosk-sim card` as the card. Each test
/// has a pcscd of its own (`PrivatePCSCD`) with two vpcd readers on ports chosen at run time, so another test run or
/// another program on vpcd's usual ports (35963, 35964) cannot disturb it. The client library takes the socket's
/// path from `PCSCLITE_CSOCK_NAME` once per process, so every test's pcscd uses the same folder.
@Suite("e-KTP through pcscd and vpcd", .serialized)
struct CardReaderIntegrationTests {
    static let vpcdReader = "Virtual PCD"
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "kiosk-card-tests-\(getpid())"
    ).path

    /// A pcscd of the test's own, a monitor with its events recorded, and the vpcd ports of its two readers.
    static func monitor() async throws -> (CardMonitor, EventLog<CardMonitorEvent>, PrivatePCSCD) {
        let pcscd = try PrivatePCSCD(reader: vpcdReader, folder: folder)
        setenv("PCSCLITE_CSOCK_NAME", pcscd.socket, 1)
        try await pcscd.start()
        let monitor = CardMonitor()
        let log = EventLog<CardMonitorEvent>()
        await log.record(monitor.events)
        monitor.start()
        return (monitor, log, pcscd)
    }

    static func isInsert(_ event: CardMonitorEvent) -> Bool {
        if case .cardInserted = event { return true }
        return false
    }

    static func isRemove(_ event: CardMonitorEvent) -> Bool {
        if case .cardRemoved = event { return true }
        return false
    }

    @Test func aTypeAEKTPIsSeenReadAndSeenLeaving() async throws {
        let (monitor, log, pcscd) = try await Self.monitor()
        defer {
            monitor.stop()
            pcscd.kill()
        }
        let added = await log.waitFor {
            if case .readerAdded(let name) = $0 { name.hasPrefix(Self.vpcdReader) } else { false }
        }
        #expect(added != nil, "pcscd lists the vpcd reader")

        let card = try SimulatedCard(["--kind", "type-a", "--uid", "04A21B6C9E4F80", "--port", "\(pcscd.ports[0])"])
        let inserted = try #require(await log.waitFor(Self.isInsert))
        guard case .cardInserted(let reader, let atr) = inserted else { return }
        #expect(atr.kind == .ektpTypeA)
        #expect(atr.checksumValid)

        let pcsc = PCSCCardReader()
        #expect(try await pcsc.readUID(on: reader) == CardUID(hex: "04A21B6C9E4F80"))

        let before = await log.count
        card.remove()
        #expect(await log.waitFor(from: before, Self.isRemove) == .cardRemoved(reader: reader))
    }

    @Test func aTypeBEKTPIsRecognisedWhateverItsPUPI() async throws {
        let (monitor, log, pcscd) = try await Self.monitor()
        defer {
            monitor.stop()
            pcscd.kill()
        }
        for pupi in ["1A2B3C4D", "99887766"] {
            let before = await log.count
            let card = try SimulatedCard(["--kind", "type-b", "--uid", pupi, "--port", "\(pcscd.ports[0])"])
            let inserted = try #require(await log.waitFor(from: before, Self.isInsert))
            guard case .cardInserted(let reader, let atr) = inserted else { return }
            #expect(atr.kind == .ektpTypeB)
            let pcsc = PCSCCardReader()
            #expect(try await pcsc.readUID(on: reader) == CardUID(hex: pupi))
            let removing = await log.count
            card.remove()
            #expect(await log.waitFor(from: removing, Self.isRemove) != nil)
        }
    }

    @Test func fastBouncesEndWithTheCardGone() async throws {
        let (monitor, log, pcscd) = try await Self.monitor()
        defer {
            monitor.stop()
            pcscd.kill()
        }
        for _ in 0..<10 {
            let card = try SimulatedCard(["--uid", "520A8BB9", "--port", "\(pcscd.ports[0])"])
            card.remove()
        }
        // A last tap proves the monitor still follows the reader after the bounces.
        let before = await log.count
        let card = try SimulatedCard(["--uid", "520A8BB9", "--port", "\(pcscd.ports[0])"])
        #expect(await log.waitFor(from: before, Self.isInsert) != nil)
        card.remove()
        #expect(await log.waitFor(from: before, Self.isRemove) != nil)
        // Inserts and removals alternate, whatever pcscd saw of the bounces.
        let cardEvents = await log.events.filter { Self.isInsert($0) || Self.isRemove($0) }
        for (a, b) in zip(cardEvents, cardEvents.dropFirst()) {
            #expect(Self.isInsert(a) != Self.isInsert(b), "\(cardEvents)")
        }
    }

    /// Each fault in turn on one monitor, each card gone before the next arrives. The words checked are the
    /// technician's (the resident sees "Kartu Tidak Terbaca").
    @Test func misbehavingCardsAreClearErrorsNotCrashes() async throws {
        let (monitor, log, pcscd) = try await Self.monitor()
        defer {
            monitor.stop()
            pcscd.kill()
        }
        // A mute card first: it holds SCardTransmit until it leaves (pcsc-lite has no timeout there), and the reads
        // after it on the same reader show the stuck call did not take the reader down with it.
        let faults = [
            ("mute", "the card did not answer within 1.0 seconds"),
            ("wrong-length", "e-KTPs have 4, 7 or 10"),
            ("6f00", "refused GET UID with status 6F00"),
            ("garbage", "the card"),
            ("remove-mid-apdu", "the card"),
        ]
        for (fault, message) in faults {
            let before = await log.count
            let card = try SimulatedCard(["--fault", fault, "--port", "\(pcscd.ports[0])"])
            let inserted = try #require(await log.waitFor(from: before, Self.isInsert), "\(fault)")
            guard case .cardInserted(let reader, _) = inserted else { return }
            let pcsc = PCSCCardReader(answerLimit: .seconds(fault == "mute" ? 1 : 30))
            do {
                let uid = try await pcsc.readUID(on: reader)
                Issue.record("a \(fault) card gave a UID: \(uid)")
            } catch {
                #expect("\(error)".contains(message), "\(fault): \(error)")
            }
            card.remove()
            #expect(await log.waitFor(from: before, Self.isRemove) != nil, "\(fault) card removed")
        }
        // The reader still works for a good card afterwards.
        let before = await log.count
        let good = try SimulatedCard(["--uid", "520A8BB9", "--port", "\(pcscd.ports[0])"])
        let inserted = try #require(await log.waitFor(from: before, Self.isInsert))
        guard case .cardInserted(let reader, _) = inserted else { return }
        let pcsc = PCSCCardReader()
        #expect(try await pcsc.readUID(on: reader) == CardUID(hex: "520A8BB9"))
        good.remove()
    }

    /// vpcd's two slots as two readers: a card on each, each read from its own reader, and taking one away leaves
    /// the other where it is.
    @Test func twoReadersEachFollowTheirOwnCard() async throws {
        let (monitor, log, pcscd) = try await Self.monitor()
        defer {
            monitor.stop()
            pcscd.kill()
        }
        let pcsc = PCSCCardReader()
        /// The reader `uid` arrived on: the first inserted card that reads as `uid`. A card of the previous test may
        /// still be leaving the first reader when the monitor starts; when the new card takes its place before pcscd
        /// looked, pcscd sees no removal and no new insertion, so a reader is read again until it answers (up to 2 s).
        func reader(of uid: String) async throws -> String? {
            var from = 0
            for _ in 0..<5 {
                guard let inserted = await log.waitFor(from: from, Self.isInsert),
                    case .cardInserted(let name, _) = inserted
                else { return nil }
                let events = await log.events
                from = (events[from...].firstIndex(of: inserted) ?? events.count - 1) + 1
                for _ in 0..<20 {
                    if (try? await pcsc.readUID(on: name)) == (try CardUID(hex: uid)) { return name }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            return nil
        }
        let first = try SimulatedCard(["--uid", "04A21B6C9E4F80", "--port", "\(pcscd.ports[0])"])
        let firstReader = try #require(try await reader(of: "04A21B6C9E4F80"))
        let second = try SimulatedCard(["--uid", "520A8BB9", "--port", "\(pcscd.ports[1])"])
        let secondReader = try #require(try await reader(of: "520A8BB9"))
        #expect(firstReader != secondReader)
        #expect(firstReader.hasPrefix(Self.vpcdReader) && secondReader.hasPrefix(Self.vpcdReader))

        #expect(try await pcsc.readUID(on: firstReader) == CardUID(hex: "04A21B6C9E4F80"))
        #expect(try await pcsc.readUID(on: secondReader) == CardUID(hex: "520A8BB9"))

        let removing = await log.count
        second.remove()
        #expect(await log.waitFor(from: removing, Self.isRemove) == .cardRemoved(reader: secondReader))
        #expect(
            try await pcsc.readUID(on: firstReader) == CardUID(hex: "04A21B6C9E4F80"), "the first card is still there")
        let stillThere = await log.events.dropFirst(removing).contains(.cardRemoved(reader: firstReader))
        #expect(!stillThere)
        first.remove()
    }
}
