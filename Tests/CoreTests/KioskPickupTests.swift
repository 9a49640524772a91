import Testing

@testable import Core

/// Letters prepared elsewhere ("Surat Siap Diambil"): after the PIN, before the menu.
@Suite("KioskStateMachine: letters prepared elsewhere")
struct KioskPickupTests {
    static let day = CalendarDate(year: 2026, month: 12, day: 6)!
    static let waiting = PickupLetter(
        id: "PM-1", kindCode: "S-41", title: "Surat Keterangan Domisili", number: "S-41/042/1809072001/XII/2026")
    static let collected = PickupLetter(
        id: "PM-0", kindCode: "S-30", title: "Surat Keterangan Pergi Kawin", number: "S-30/007/1809072001/XI/2026",
        collectedOn: CalendarDate(year: 2026, month: 11, day: 30)!)

    static func harness(mode: IdentityMode = .cardAndPIN) -> Harness {
        var policy = Fixtures.policy(mode)
        policy.collectsLetters = true
        return Harness(policy: policy)
    }

    /// Tap, PIN accepted: the machine asks for the resident's prepared letters.
    static func afterPIN() -> Harness {
        var h = harness()
        h.toIdentifying()
        h.typePIN()
        let effects = h.send(.pinChecked(.accepted))
        #expect(effects == [.findPickups(Fixtures.woman, Fixtures.cardUID)])
        #expect(h.state == .findingPickups)
        return h
    }

    @Test("after the PIN a resident with letters waiting sees them first; Layanan Lain leads to the menu")
    func lettersFirstThenMenu() throws {
        var h = Self.afterPIN()
        let effects = h.send(.pickupsFound([Self.collected, Self.waiting]))
        #expect(h.state == .pickups)
        let screen = try #require(effects.lastScreen)
        #expect(screen.id == .pickups)
        #expect(screen.title == "Surat Siap Diambil")
        #expect(screen.lines.first == "Halo, SITI AMINAH.")
        #expect(
            screen.choices.map(\.label) == [
                "1. Surat Keterangan Pergi Kawin (sudah diambil)",
                "2. Surat Keterangan Domisili",
            ])
        #expect(screen.primaryAction?.id == .continueToMenu)
        h.key(.enter)
        #expect(h.state == .menu)
    }

    @Test("without letters waiting (none, or only collected ones) the menu comes at once")
    func noLettersMenu() {
        for found in [[], [Self.collected]] {
            var h = Self.afterPIN()
            h.send(.pickupsFound(found))
            #expect(h.state == .menu)
        }
    }

    @Test("a store that never answers does not hold the menu back")
    func storeSilentMenu() {
        var h = Self.afterPIN()
        h.advanceAndTick(.seconds(29))
        #expect(h.state == .findingPickups)
        h.advanceAndTick(.seconds(1))
        #expect(h.state == .menu)
        #expect(h.send(.pickupsFound([Self.waiting])).isEmpty)
    }

    @Test("without a PIN (a supervised card-only kiosk) prepared letters are not offered")
    func noPINNoLetters() {
        var h = Self.harness(mode: .cardOnly)
        h.toIdentifying()
        #expect(h.state == .menu)
        #expect(!h.log.contains(.findPickups(Fixtures.woman, Fixtures.cardUID)))
    }

    @Test("one touch collects a letter: printing screen with its number, then back to the list, marked collected")
    func collectPrintsOnce() throws {
        var h = Self.afterPIN()
        h.send(.pickupsFound([Self.waiting]))
        let effects = h.key(.digit(1))
        #expect(effects.last == .collect(Self.waiting, Fixtures.woman, Fixtures.cardUID))
        #expect(h.state == .collecting)
        #expect(effects.lastScreen?.id == .printing)
        #expect(effects.lastScreen?.lines.contains("Nomor: S-41/042/1809072001/XII/2026") == true)
        h.send(.printProgress(60))
        #expect(h.screen.progress == 60)
        let back = h.send(.pickupFinished(.printed(on: Self.day)))
        #expect(h.state == .pickups)
        let screen = try #require(back.lastScreen)
        #expect(screen.lines == ["Surat sudah dicetak.", "Ambil di printer."])
        #expect(screen.choices.map(\.label) == ["1. Surat Keterangan Domisili (sudah diambil)"])
        // A second touch says so and prints nothing.
        let again = h.press(.pickup(0))
        #expect(!again.contains { if case .collect = $0 { true } else { false } })
        #expect(h.screen.lines == ["Surat ini sudah diambil pada 6 Desember 2026.", "Tidak dicetak lagi."])
        h.press(.continueToMenu)
        #expect(h.state == .menu)
    }

    @Test("a letter collected at another kiosk meanwhile is not printed and the list says so")
    func collectedElsewhere() {
        var h = Self.afterPIN()
        h.send(.pickupsFound([Self.waiting]))
        h.press(.pickup(0))
        h.send(.pickupFinished(.alreadyCollected(on: CalendarDate(year: 2026, month: 12, day: 5)!)))
        #expect(h.state == .pickups)
        #expect(h.screen.lines == ["Surat ini sudah diambil pada 5 Desember 2026.", "Tidak dicetak lagi."])
        #expect(h.screen.choices.first?.label == "1. Surat Keterangan Domisili (sudah diambil)")
    }

    @Test("a printer that fails shows its error screen and clears the session")
    func printerFails() {
        var h = Self.afterPIN()
        h.send(.pickupsFound([Self.waiting]))
        h.press(.pickup(0))
        let effects = h.send(.pickupFinished(.failed(.paperOut)))
        #expect(h.state == .error(.printer(.paperOut)))
        #expect(effects.clearsSession)
        #expect(h.machine.health.printerProblem == .paperOut)
    }

    @Test("a collection that could not be recorded prints nothing and says the storage failed")
    func notRecorded() {
        var h = Self.afterPIN()
        h.send(.pickupsFound([Self.waiting]))
        h.press(.pickup(0))
        h.send(.pickupFinished(.notRecorded(.diskFull)))
        #expect(h.state == .error(.diskFull))
        #expect(h.machine.health.diskFull)
    }

    @Test("the card leaving while a letter prints: it finishes, then the session is cleared")
    func cardLeavesWhilePrinting() {
        var h = Self.afterPIN()
        h.send(.pickupsFound([Self.waiting]))
        h.press(.pickup(0))
        #expect(h.send(.cardRemoved).isEmpty)
        #expect(h.state == .collecting)
        let effects = h.send(.pickupFinished(.printed(on: Self.day)))
        #expect(effects.clearsSession)
        #expect(h.state == .done)
        #expect(h.machine.session == nil)
    }

    @Test("card removal, cancel and timeout on the list clear the session")
    func listLeaves() {
        for leave in 0..<3 {
            var h = Self.afterPIN()
            h.send(.pickupsFound([Self.waiting]))
            let effects: [KioskEffect] =
                switch leave {
                case 0: h.send(.cardRemoved)
                case 1: h.press(.cancel)
                default: h.advanceAndTick(.seconds(45)) + h.advanceAndTick(.seconds(15))
                }
            #expect(effects.clearsSession)
            #expect(h.state == .idle)
        }
    }

    @Test("a printer that never answers while collecting ends in the printer error")
    func collectTimeout() {
        var h = Self.afterPIN()
        h.send(.pickupsFound([Self.waiting]))
        h.press(.pickup(0))
        h.advanceAndTick(.seconds(121))
        #expect(h.state == .error(.printer(.unknown)))
    }
}
