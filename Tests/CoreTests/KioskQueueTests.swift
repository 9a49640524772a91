import Testing

@testable import Core

/// Queue tickets (antrean) in the state machine: from the menu after a PIN, from idle without a card, the number
/// printed or shown when the slip fails, and nothing of the resident kept once the ticket is taken.
@Suite("KioskStateMachine: queue tickets")
struct KioskQueueTests {
    static let kk = QueueService.defaults[0]
    static let ticket = Fixtures.queueTicket

    @Test("without a card: idle offers the queue, a service takes a ticket with no resident, the number shows")
    func withoutCard() throws {
        var h = Harness(policy: Fixtures.queuePolicy(spoken: true))
        #expect(h.screen == KioskScreens.idle(health: Health(), queue: true))
        #expect(h.screen.choices.map(\.label) == [Teks.queueWithoutCardButton])
        let services = h.key(.digit(1))  // a keypad's 1 is the idle screen's only choice
        #expect(h.state == .queueServices)
        #expect(services.lastScreen == KioskScreens.queueServices(QueueService.defaults, withCard: false))
        #expect(services.spoken == [Teks.queuePrompt])
        #expect(h.machine.session == nil, "a visitor without a card has no session")
        let taking = h.press(.queueService("KK"))
        #expect(taking.last == .takeTicket(QueueRequest(service: Self.kk, resident: nil)))
        #expect(h.state == .queueTaking && h.machine.session == nil)
        let shown = h.send(.ticketTaken(.printed(Self.ticket)))
        #expect(!shown.clearsSession, "nothing to clear")
        let screen = try #require(shown.lastScreen)
        #expect(screen.title == "Nomor Antrean: 061226-007-K2")
        #expect(screen.lines.first == "Perubahan Kartu Keluarga")
        #expect(shown.spoken == [Teks.queueTicketPrompt("061226-007-K2")])
        #expect(shown.spoken.first?.contains("Nomor antrean Anda 7, kios 2") == true)
        // Shown for the done screen's time, then idle.
        #expect(h.machine.nextWakeUp == h.at(10))
        h.advanceAndTick(.seconds(10))
        #expect(h.state == .idle)
    }

    @Test("with a card: the menu offers the queue, the ticket carries the resident, the session ends when it is taken")
    func withCard() throws {
        var h = Harness(policy: Fixtures.queuePolicy(withoutCard: false))
        #expect(h.screen.choices.isEmpty, "idle offers no ticket without a card unless configured")
        #expect(h.press(.openQueue).isEmpty)
        h.toMenu()
        #expect(h.screen.actions.map(\.id).contains(.openQueue))
        h.press(.openQueue)
        #expect(h.screen == KioskScreens.queueServices(QueueService.defaults, withCard: true))
        #expect(h.machine.session?.resident == Fixtures.woman)
        // Kembali goes back to the letters.
        h.press(.back)
        #expect(h.state == .menu)
        h.press(.openQueue)
        let taking = h.press(.queueService("BERKAS"))
        #expect(taking.last == .takeTicket(QueueRequest(service: QueueService.defaults[1], resident: Fixtures.woman)))
        // The card leaves while the slip prints: the ticket finishes.
        #expect(h.send(.cardRemoved).isEmpty)
        #expect(h.state == .queueTaking)
        let shown = h.send(.ticketTaken(.printed(Self.ticket)))
        #expect(shown.first == .clearSession)
        #expect(h.state == .queueTicket && h.machine.session == nil)
        #expect(h.press(.finish).lastScreen == KioskScreens.idle(health: Health()))
    }

    @Test("a slip that does not print: the number stays on screen, longer, with what went wrong")
    func notPrinted() throws {
        var h = Harness(policy: Fixtures.queuePolicy(spoken: true))
        h.press(.openQueue)
        h.press(.queueService("KK"))
        let shown = h.send(.ticketTaken(.notPrinted(Self.ticket, .paperOut)))
        let screen = try #require(shown.lastScreen)
        #expect(screen == KioskScreens.queueTicket(Self.ticket, notPrinted: .paperOut))
        #expect(screen.title.contains("061226-007-K2"))
        #expect(screen.lines.contains("Struk tidak tercetak (kertas habis)."))
        #expect(shown.spoken.first?.hasPrefix("Struk tidak tercetak.") == true)
        #expect(h.machine.nextWakeUp == h.at(60), "long enough to write the number down")
        #expect(h.machine.health.printerProblem == nil, "the letter printer is not the thermal printer")
    }

    @Test("a ticket that could not be recorded gives no number: the storage error, or disk full")
    func notTaken() {
        var h = Harness(policy: Fixtures.queuePolicy())
        h.press(.openQueue)
        h.press(.queueService("KK"))
        h.send(.ticketTaken(.notTaken(.storageFailed)))
        #expect(h.state == .error(.storageFailed))
        h.advanceAndTick(.seconds(15))
        h.press(.openQueue)
        h.press(.queueService("KK"))
        h.send(.ticketTaken(.notTaken(.diskFull)))
        #expect(h.state == .error(.diskFull) && h.machine.health.diskFull)
    }

    @Test("a slip that never answers is the printer error after the print limit; an unknown service does nothing")
    func stuck() {
        var h = Harness(policy: Fixtures.queuePolicy())
        h.press(.openQueue)
        #expect(h.press(.queueService("NOPE")).isEmpty)
        h.press(.queueService("KK"))
        h.advanceAndTick(.seconds(120))
        #expect(h.state == .error(.printer(.unknown)))
        // A late answer changes nothing.
        #expect(h.send(.ticketTaken(.printed(Self.ticket))).isEmpty)
    }

    @Test("a kiosk without [queue] offers no ticket anywhere")
    func off() {
        var h = Harness()
        #expect(h.press(.openQueue).isEmpty)
        h.toMenu()
        #expect(!h.screen.buttons.map(\.id).contains(.openQueue))
        #expect(h.press(.openQueue).isEmpty)
    }
}
