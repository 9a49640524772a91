import Testing

@testable import Core

// MARK: - Card and look-up

@Suite("KioskStateMachine: card and look-up")
struct KioskCardTests {
    @Test("a new machine is idle, with the idle screen and no timer")
    func initialState() {
        let h = Harness()
        #expect(h.state == .idle)
        #expect(h.machine.session == nil)
        #expect(h.screen == KioskScreens.idle(health: Health()))
        #expect(h.screen.id == .idle)
        #expect(h.machine.nextWakeUp == nil)
        #expect(h.machine.currentScreenEffects == [.show(KioskScreens.idle(health: Health()))])
        #expect(h.machine.health == Health())
    }

    @Test("a card presented starts a session: the reading screen while the registry is asked who it is")
    func cardPresented() {
        var h = Harness()
        let effects = h.send(.cardPresented(Fixtures.cardUID, chip: nil))
        #expect(effects == [.show(KioskScreens.readingCard()), .lookUp(Fixtures.cardUID)])
        #expect(h.state == .readingCard)
        #expect(h.machine.session != nil)
        #expect(h.machine.session?.card == Fixtures.cardUID)
        #expect(h.machine.nextWakeUp == h.at(30), "the registry's limit, not the card read's")
    }

    @Test("the card presented is looked up, once")
    func cardPresentedLooksUpOnce() {
        var h = Harness()
        #expect(h.send(.cardPresented(Fixtures.cardUID, chip: nil)).last == .lookUp(Fixtures.cardUID))
        #expect(h.machine.session?.card == Fixtures.cardUID)
        #expect(h.state == .readingCard)
        // A second card (or a bouncing one) changes nothing.
        #expect(h.send(.cardPresented(Fixtures.otherCardUID, chip: nil)).isEmpty)
        #expect(h.machine.session?.card == Fixtures.cardUID)
    }

    @Test("a card that answers nothing usable is unreadable")
    func cardUnreadable() {
        var h = Harness()
        let effects = h.send(.cardUnreadable)
        #expect(effects == [.show(KioskScreens.error(.cardUnreadable))])
        #expect(h.state == .error(.cardUnreadable))
        #expect(h.machine.session == nil)
    }

    @Test("a resident in card-and-PIN mode is asked for the PIN")
    func residentCardAndPIN() throws {
        var h = Harness()
        h.insert()
        let effects = h.send(.lookedUp(.resident(Fixtures.woman)))
        #expect(h.state == .pinEntry)
        let screen = try #require(effects.lastScreen)
        #expect(screen == KioskScreens.pinEntry(entered: 0, length: 6))
        #expect(screen.pinPad == PINPad(entered: 0, length: 6))
        #expect(screen.lines == ["Ketik 6 angka PIN Anda."])
        #expect(h.machine.session?.resident == Fixtures.woman)
        #expect(!effects.clearsSession)
    }

    @Test(
        "a resident in card-only or chip mode on a supervised kiosk goes straight to the menu",
        arguments: [IdentityMode.cardOnly, .chip])
    func residentWithoutPIN(mode: IdentityMode) throws {
        var h = Harness(policy: Fixtures.policy(mode, supervised: true))
        h.insert(chip: mode == .chip ? .resident(Fixtures.man) : nil)
        let effects = h.send(.lookedUp(.resident(Fixtures.man)))
        #expect(h.state == .menu)
        let screen = try #require(effects.lastScreen)
        #expect(screen.id == .menu)
        #expect(screen.lines.first == "Halo, BUDI SANTOSO.")
        #expect(screen.pinPad == nil)
    }

    @Test("in chip mode the chip must name the card's registered holder; an unregistered card serves nobody")
    func chipMustMatchTheRegisteredHolder() throws {
        // A programmable card answering READ BINARY with someone else's biodata, or an unregistered card with any:
        // the chip alone once named the resident (issue 18, item 1).
        for lookup in [KioskEvent.Lookup.resident(Fixtures.woman), .unknownCard] {
            var h = Harness(policy: Fixtures.policy(.chip, supervised: true))
            h.insert(chip: .resident(Fixtures.man))
            let effects = h.send(.lookedUp(lookup))
            #expect(effects == [.clearSession, .show(KioskScreens.error(.unknownCard))], "\(lookup)")
            #expect(h.machine.session == nil)
        }
        var h = Harness(policy: Fixtures.policy(.chip, supervised: true))
        var fromChip = Fixtures.man
        fromChip.address = "JL. DARI CHIP 1"
        h.insert(chip: .resident(fromChip))
        let effects = h.send(.lookedUp(.resident(Fixtures.man)))
        #expect(h.state == .menu)
        #expect(h.machine.session?.resident?.address == "JL. DARI CHIP 1", "the chip's biodata, once it matches")
        #expect(effects.lastScreen?.lines.first == "Halo, BUDI SANTOSO.")
    }

    @Test("in chip mode an unattended kiosk asks for the PIN after the chip matched")
    func chipModeKeepsThePIN() throws {
        var h = Harness(policy: Fixtures.policy(.chip))
        h.insert(chip: .resident(Fixtures.man))
        let effects = h.send(.lookedUp(.resident(Fixtures.man)))
        #expect(h.state == .pinEntry)
        #expect(effects.lastScreen == KioskScreens.pinEntry(entered: 0, length: 6))
        h.typePIN()
        #expect(h.log.last == .verifyPIN(Fixtures.cardUID, PIN(digits: [1, 2, 3, 4, 5, 6])))
        h.send(.pinChecked(.accepted))
        #expect(h.state == .menu)
        // Only a supervised kiosk serves on the card (and chip) alone.
        #expect(Fixtures.policy(.cardOnly, supervised: false).asksPIN)
        #expect(Fixtures.policy(.cardOnly, supervised: true).asksPIN == false)
    }

    @Test("a registry that cannot answer serves nobody, in any mode, whatever the chip says")
    func failedLookup() {
        for mode in IdentityMode.allCases {
            var h = Harness(policy: Fixtures.policy(mode, supervised: true))
            h.insert(chip: mode == .chip ? .resident(Fixtures.man) : nil)
            #expect(
                h.send(.lookedUp(.failed)) == [.clearSession, .show(KioskScreens.error(.storageFailed))], "\(mode)")
        }
    }

    @Test("in chip mode an unreadable chip is an unreadable card, and a card without one is unknown")
    func chipUnreadableOrMissing() {
        for lookup in [KioskEvent.Lookup.resident(Fixtures.woman)] {
            var h = Harness(policy: Fixtures.policy(.chip))
            h.insert(chip: .unreadable)
            #expect(h.send(.lookedUp(lookup)) == [.clearSession, .show(KioskScreens.error(.cardUnreadable))])
            // A wedge reader types the UID only: there is no chip to say who the card belongs to.
            h = Harness(policy: Fixtures.policy(.chip))
            h.insert(chip: nil)
            #expect(h.send(.lookedUp(lookup)) == [.clearSession, .show(KioskScreens.error(.unknownCard))])
        }
    }

    @Test("in chip mode operator and locked cards are the registry's, whatever the chip says")
    func chipModeOperatorAndLocked() {
        var h = Harness(policy: Fixtures.policy(.chip))
        h.insert(Fixtures.operatorUID, chip: .unreadable)
        #expect(h.send(.lookedUp(.operatorCard)) == [.show(KioskScreens.pinEntry(entered: 0, length: 6))])
        #expect(h.state == .operatorPIN)
        h = Harness(policy: Fixtures.policy(.chip))
        h.insert(chip: .resident(Fixtures.man))
        #expect(h.send(.lookedUp(.locked)) == [.clearSession, .show(KioskScreens.error(.locked))])
    }

    @Test(
        "unknown and locked cards end in their error screens, with the session cleared",
        arguments: [(KioskEvent.Lookup.unknownCard, KioskError.unknownCard), (.locked, .locked)])
    func lookupErrors(lookup: KioskEvent.Lookup, error: KioskError) {
        var h = Harness()
        h.insert()
        let effects = h.send(.lookedUp(lookup))
        #expect(effects == [.clearSession, .show(KioskScreens.error(error))])
        #expect(h.state == .error(error))
        #expect(h.machine.session == nil)
        #expect(h.machine.nextWakeUp == h.at(15))
    }

    @Test("an operator card asks for the operator's PIN, in every mode, and only the right one opens maintenance")
    func operatorCard() {
        for mode in IdentityMode.allCases {
            var h = Harness(policy: Fixtures.policy(mode, supervised: true))
            h.insert(Fixtures.operatorUID)
            // A cloned UID once opened maintenance on its own (issue 18, item 3).
            #expect(h.send(.lookedUp(.operatorCard)) == [.show(KioskScreens.pinEntry(entered: 0, length: 6))])
            #expect(h.state == .operatorPIN)
            #expect(h.typePIN().last == .verifyPIN(Fixtures.operatorUID, PIN(digits: [1, 2, 3, 4, 5, 6])))
            #expect(h.state == .operatorPIN)
            let effects = h.send(.pinChecked(.accepted))
            #expect(effects == [.show(KioskScreens.maintenance(health: Health()))], "\(mode)")
            #expect(h.state == .maintenance)
            #expect(h.machine.nextWakeUp == h.at(285))
        }
    }

    @Test("wrong operator PINs lock the operator card as wrong resident PINs lock a resident's")
    func operatorPINLockout() {
        var h = Harness()
        h.insert(Fixtures.operatorUID)
        h.send(.lookedUp(.operatorCard))
        for wrong in 1...2 {
            h.typePIN()
            let effects = h.send(.pinChecked(.rejected))
            #expect(h.state == .operatorPIN)
            #expect(effects.lastScreen?.lines.contains { $0.contains("\(3 - wrong)") } == true)
        }
        h.typePIN()
        #expect(h.send(.pinChecked(.rejected)) == [.clearSession, .show(KioskScreens.error(.locked))])
        h.advanceAndTick(.seconds(15))
        // Tapped again within the lockout: locked without a look-up.
        #expect(h.insert(Fixtures.operatorUID) == [.show(KioskScreens.error(.locked))])
        // The registry's own verdict counts too.
        h = Harness()
        h.insert(Fixtures.operatorUID)
        h.send(.lookedUp(.operatorCard))
        h.typePIN()
        #expect(h.send(.pinChecked(.locked)) == [.clearSession, .show(KioskScreens.error(.locked))])
        // Cancel leaves without maintenance.
        h = Harness()
        h.insert(Fixtures.operatorUID)
        h.send(.lookedUp(.operatorCard))
        #expect(h.press(.cancel).lastScreen?.id == .idle)
    }

    @Test("a look-up answer before a card, or a second one, is ignored")
    func lookupOutOfOrder() {
        var h = Harness()
        #expect(h.send(.lookedUp(.resident(Fixtures.woman))).isEmpty)
        #expect(h.state == .idle)
        h.send(.cardPresented(Fixtures.cardUID, chip: nil))
        h.send(.lookedUp(.resident(Fixtures.woman)))
        #expect(h.send(.lookedUp(.operatorCard)).isEmpty)
        #expect(h.state == .pinEntry)
    }

    @Test("with no self-service letters a resident meets 'out of service'")
    func noLetters() throws {
        var h = Harness(catalogue: try LetterCatalogue([Fixtures.operatorOnly]))
        h.insert()
        let effects = h.send(.lookedUp(.resident(Fixtures.woman)))
        #expect(effects == [.clearSession, .show(KioskScreens.error(.outOfService))])
    }

    @Test("a second card while a session runs changes nothing")
    func secondCardIgnored() {
        var h = Harness()
        h.toMenu()
        let before = h.screen
        #expect(h.send(.cardPresented(Fixtures.otherCardUID, chip: nil)).isEmpty)
        #expect(h.send(.cardUnreadable).isEmpty)
        #expect(h.state == .menu)
        #expect(h.screen == before)
        #expect(h.machine.session?.resident == Fixtures.woman)
    }

    @Test("a card on the done or error screen starts a new session")
    func newCardAfterDoneOrError() {
        var h = Harness()
        h.toDone()
        #expect(h.send(.cardUnreadable) == [.show(KioskScreens.error(.cardUnreadable))])
        #expect(h.state == .error(.cardUnreadable))
        #expect(
            h.send(.cardPresented(Fixtures.cardUID, chip: nil)) == [
                .show(KioskScreens.readingCard()), .lookUp(Fixtures.cardUID),
            ])
        #expect(h.state == .readingCard)
    }
}

// MARK: - PIN

@Suite("KioskStateMachine: PIN")
struct KioskPINTests {
    @Test("digits fill the pad, delete empties it, delete on an empty pad does nothing")
    func digitsAndDelete() throws {
        var h = Harness()
        h.toIdentifying()
        #expect(h.press(.pinDelete).isEmpty)
        #expect(h.press(.pinDigit(4)) == [.show(KioskScreens.pinEntry(entered: 1, length: 6))])
        #expect(h.press(.pinDigit(2)).lastScreen?.pinPad?.entered == 2)
        #expect(h.key(.digit(7)).lastScreen?.pinPad?.entered == 3)
        #expect(h.press(.pinDelete).lastScreen?.pinPad?.entered == 2)
        #expect(h.key(.backspace).lastScreen?.pinPad?.entered == 1)
        #expect(h.press(.pinDelete).lastScreen?.pinPad?.entered == 0)
        #expect(h.press(.pinDelete).isEmpty)
        #expect(h.key(.enter).isEmpty)  // nothing to submit
    }

    @Test("the last digit submits: checking message and .verifyPIN with the digits typed")
    func autoSubmit() throws {
        var h = Harness()
        h.toIdentifying()
        h.typePIN([9, 8, 7, 6, 5])
        let effects = h.press(.pinDigit(0))
        #expect(
            effects == [
                .show(KioskScreens.pinEntry(entered: 6, length: 6, message: Teks.pinChecking)),
                .verifyPIN(Fixtures.cardUID, PIN(digits: [9, 8, 7, 6, 5, 0])),
            ])
        #expect(h.state == .pinEntry)
    }

    @Test("a shorter PIN policy submits earlier")
    func pinLengthFromPolicy() {
        var policy = Fixtures.policy()
        policy.pinLength = 4
        var h = Harness(policy: policy)
        h.toIdentifying()
        #expect(h.screen.pinPad?.length == 4)
        let effects = h.typePIN([1, 2, 3, 4])
        #expect(effects.contains(.verifyPIN(Fixtures.cardUID, PIN(digits: [1, 2, 3, 4]))))
    }

    @Test("input is ignored while the PIN is being checked")
    func ignoredWhileChecking() {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        let screen = h.screen
        #expect(h.press(.pinDigit(1)).isEmpty)
        #expect(h.press(.pinDelete).isEmpty)
        #expect(h.press(.pinSubmit).isEmpty)
        #expect(h.key(.digit(3)).isEmpty)
        #expect(h.key(.enter).isEmpty)
        #expect(h.screen == screen)
        #expect(h.machine.session?.awaitingPINCheck == true)
    }

    @Test("a PIN verdict nobody asked for is ignored")
    func unexpectedVerdict() {
        var h = Harness()
        h.toIdentifying()
        #expect(h.send(.pinChecked(.accepted)).isEmpty)
        #expect(h.state == .pinEntry)
    }

    @Test("an accepted PIN opens the menu")
    func accepted() throws {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        let effects = h.send(.pinChecked(.accepted))
        #expect(h.state == .menu)
        #expect(effects.lastScreen?.id == .menu)
        #expect(h.machine.session?.pin.isEmpty == true)
    }

    @Test("a rejected PIN says how many attempts remain and clears the pad")
    func rejected() throws {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        let first = try #require(h.send(.pinChecked(.rejected)).lastScreen)
        #expect(first.lines == ["PIN salah. Sisa 2 kali lagi."])
        #expect(first.pinPad?.entered == 0)
        #expect(h.state == .pinEntry)
        h.typePIN()
        let second = try #require(h.send(.pinChecked(.rejected)).lastScreen)
        #expect(second.prompt == Teks.pinWrong(remaining: 1))
        // The pad works again.
        #expect(h.press(.pinDigit(5)).lastScreen?.pinPad?.entered == 1)
    }

    @Test("the third wrong PIN locks the card and clears the session")
    func thirdRejectionLocks() {
        var h = Harness()
        h.toIdentifying()
        var last: [KioskEffect] = []
        for _ in 0..<3 {
            h.typePIN()
            last = h.send(.pinChecked(.rejected))
        }
        #expect(last == [.clearSession, .show(KioskScreens.error(.locked))])
        #expect(h.state == .error(.locked))
        #expect(h.machine.session == nil)
        #expect(h.screen.icon == .lock)
    }

    @Test("the registry's own lock ends the session")
    func registryLocked() {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        #expect(h.send(.pinChecked(.locked)) == [.clearSession, .show(KioskScreens.error(.locked))])
    }

    @Test("a locked card tapped again within the lockout meets the lock without a look-up; afterwards it is looked up")
    func lockoutSurvivesRetap() {
        var h = Harness()
        h.toIdentifying()
        for _ in 0..<3 {
            h.typePIN()
            h.send(.pinChecked(.rejected))
        }
        h.advanceAndTick(.seconds(15))
        #expect(h.state == .idle)

        h.advance(.seconds(100))
        let retap = h.send(.cardPresented(Fixtures.cardUID, chip: nil))
        #expect(retap == [.show(KioskScreens.error(.locked))])
        #expect(!retap.contains(.lookUp(Fixtures.cardUID)))

        // Another card is not affected.
        #expect(h.send(.cardPresented(Fixtures.otherCardUID, chip: nil)).last == .lookUp(Fixtures.otherCardUID))
        h.send(.cardRemoved)

        // 300 s after the third wrong PIN the lock is over.
        h.advance(.seconds(185))
        #expect(h.send(.cardPresented(Fixtures.cardUID, chip: nil)).last == .lookUp(Fixtures.cardUID))
        h.send(.lookedUp(.resident(Fixtures.woman)))
        h.typePIN()
        // Three fresh attempts.
        #expect(h.send(.pinChecked(.rejected)).lastScreen?.prompt == Teks.pinWrong(remaining: 2))
    }

    @Test("wrong PINs count per card across sessions: re-tapping buys no fresh attempts")
    func wrongPINsSurviveReTap() {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        #expect(h.send(.pinChecked(.rejected)).lastScreen?.prompt == Teks.pinWrong(remaining: 2))
        h.send(.cardRemoved)
        h.toIdentifying()
        h.typePIN()
        #expect(h.send(.pinChecked(.rejected)).lastScreen?.prompt == Teks.pinWrong(remaining: 1))
        h.send(.cardRemoved)
        h.toIdentifying()
        h.typePIN()
        let effects = h.send(.pinChecked(.rejected))
        #expect(effects.lastScreen?.id == .error(.locked))
        #expect(effects.contains(.clearSession))
    }

    @Test("a right PIN forgets earlier wrong ones; old failures expire after the lockout period")
    func wrongPINsReset() {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        h.send(.pinChecked(.rejected))
        h.typePIN()
        h.send(.pinChecked(.accepted))
        h.send(.cardRemoved)
        h.toIdentifying()
        h.typePIN()
        #expect(h.send(.pinChecked(.rejected)).lastScreen?.prompt == Teks.pinWrong(remaining: 2))
        h.send(.cardRemoved)
        h.advance(.seconds(301))
        h.toIdentifying()
        h.typePIN()
        #expect(h.send(.pinChecked(.rejected)).lastScreen?.prompt == Teks.pinWrong(remaining: 2))
    }

    @Test("the registry's own count can lock the card")
    func registryLock() {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        #expect(h.send(.pinChecked(.locked)).lastScreen?.id == .error(.locked))
    }

    @Test("keypad digits outside 0-9 are ignored on the PIN pad", arguments: [-1, 10, 255, 256, Int.max, Int.min])
    func outOfRangeDigits(digit: Int) {
        var h = Harness()
        h.toIdentifying()
        #expect(h.key(.digit(digit)).isEmpty)
        #expect(h.press(.pinDigit(digit)).isEmpty)
        #expect(h.machine.session?.pin.isEmpty == true)
    }

    @Test("a PIN prints as stars")
    func pinDescription() {
        let pin = PIN(digits: [1, 2, 3, 4, 5, 6])
        #expect(pin.description == "******")
        #expect("\(pin)" == "******")
        #expect(!String(describing: KioskEffect.verifyPIN(Fixtures.cardUID, pin)).contains("123456"))
    }
}

// MARK: - Menu, details, confirm

@Suite("KioskStateMachine: menu, purposes and confirm")
struct KioskMenuTests {
    @Test("the menu lists self-service letters, numbered from 1 on every page, in pages of menuPageSize")
    func menuPages() throws {
        var h = Harness()
        h.toMenu()
        let first = h.screen
        #expect(first.choices.map(\.id) == [.letter("S-41"), .letter("S-30"), .letter("500")])
        #expect(
            first.choices.map(\.label) == [
                "1. Surat Keterangan Domisili", "2. Surat Keterangan Pergi Kawin", "3. Surat Keterangan Usaha",
            ])
        #expect(first.lines == ["Halo, SITI AMINAH.", "Sentuh surat yang Anda perlukan.", "Halaman 1 dari 3"])
        #expect(first.has(.nextPage) && !first.has(.previousPage) && first.has(.cancel))

        let second = try #require(h.press(.nextPage).lastScreen)
        #expect(second.choices.map(\.id) == [.letter("S-01"), .letter("S-02"), .letter("S-03")])
        #expect(second.choices.first?.label.hasPrefix("1. ") == true)
        #expect(second.has(.nextPage) && second.has(.previousPage))

        let third = try #require(h.press(.nextPage).lastScreen)
        #expect(third.choices.map(\.id) == [.letter("S-10")])
        #expect(third.lines.last == "Halaman 3 dari 3")
        #expect(!third.has(.nextPage))
        // Beyond the last page: ignored.
        #expect(h.press(.nextPage).isEmpty)
        #expect(h.key(.right).isEmpty)
        #expect(h.screen == third)

        #expect(h.press(.previousPage).lastScreen == second)
        #expect(h.key(.left).lastScreen == first)
        #expect(h.press(.previousPage).isEmpty)
        #expect(h.key(.up).isEmpty)
        #expect(h.key(.down).lastScreen == second)
        // Every self-service letter and nothing else, in catalogue order.
        let all = [first, second, third].flatMap(\.choices).map(\.id)
        #expect(all == Fixtures.menuCodes.map { .letter($0) })
    }

    @Test("a menu that fits one page has no page line and no page buttons")
    func singlePage() {
        var h = Harness(policy: Fixtures.policy(pageSize: 10))
        h.toMenu()
        #expect(h.screen.choices.count == 7)
        #expect(h.screen.lines.count == 2)
        #expect(!h.screen.has(.nextPage) && !h.screen.has(.previousPage))
        #expect(h.press(.nextPage).isEmpty)
    }

    @Test("a keypad digit picks the choice with that number on the current page")
    func keypadSelects() {
        var h = Harness()
        h.toMenu()
        h.press(.nextPage)
        h.key(.digit(1))  // S-01, two purposes
        #expect(h.state == .purpose)
        #expect(h.machine.session?.letter?.code == "S-01")
    }

    @Test("digits without a choice, and 0, do nothing in the menu", arguments: [0, 4, 9, -3])
    func keypadOutOfRange(digit: Int) {
        var h = Harness()
        h.toMenu()
        #expect(h.key(.digit(digit)).isEmpty)
        #expect(h.state == .menu)
    }

    @Test("Enter does nothing where there is no primary action; Escape cancels the menu")
    func enterAndEscapeInMenu() {
        var h = Harness()
        h.toMenu()
        #expect(h.screen.primaryAction == nil)
        #expect(h.key(.enter).isEmpty)
        #expect(h.key(.backspace).isEmpty)
        let effects = h.key(.escape)
        #expect(effects == [.clearSession, .show(KioskScreens.idle(health: Health()))])
        #expect(h.state == .idle)
    }

    @Test("a letter with one purpose skips the purpose screen; Back returns to the menu")
    func singlePurposeSkipsDetails() throws {
        var h = Harness()
        h.toMenu()
        let confirm = try #require(h.press(.letter("S-30")).lastScreen)
        #expect(h.state == .confirm)
        #expect(confirm.lines.last == "Keperluan: Pernikahan")
        #expect(h.machine.session?.purpose == "Pernikahan")
        #expect(h.press(.back).lastScreen?.id == .menu)
        #expect(h.state == .menu)
        #expect(h.machine.session?.letter == nil)
    }

    @Test("purposes are paged and numbered; a purpose leads to confirm; Back goes one step")
    func details() throws {
        var h = Harness()
        h.toMenu()
        let first = try #require(h.press(.letter("S-41")).lastScreen)
        #expect(h.state == .purpose)
        #expect(first.id == .purpose)
        #expect(first.lines == ["Surat Keterangan Domisili", "Halaman 1 dari 2"])
        #expect(first.choices.map(\.id) == [.purpose(0), .purpose(1), .purpose(2)])
        #expect(first.has(.back) && first.has(.cancel) && first.has(.nextPage))

        let second = try #require(h.press(.nextPage).lastScreen)
        #expect(second.choices.map(\.id) == [.purpose(3), .purpose(4)])
        #expect(second.choices.map(\.label) == ["1. Pendaftaran sekolah", "2. Lainnya"])
        #expect(h.press(.purpose(0)).isEmpty)  // not on this page
        #expect(h.press(.nextPage).isEmpty)

        h.key(.digit(2))
        #expect(h.state == .confirm)
        #expect(h.machine.session?.purpose == "Lainnya")

        // Back from confirm: the purposes again, from the first page.
        #expect(h.key(.backspace).lastScreen?.choices.map(\.id) == [.purpose(0), .purpose(1), .purpose(2)])
        #expect(h.state == .purpose)
        #expect(h.machine.session?.purpose == nil)
        // Back from details: the menu.
        #expect(h.key(.escape).lastScreen?.id == .menu)
        #expect(h.machine.session?.letter == nil)
    }

    @Test("the confirm screen shows the letter, the name, the masked NIK and the purpose")
    func confirmScreen() throws {
        var h = Harness()
        h.toConfirm(purpose: 2)
        let screen = h.screen
        #expect(screen.id == .confirm)
        #expect(
            screen.lines == [
                "Surat Keterangan Domisili", "Nama: SITI AMINAH", "NIK: 180907******0011", "Keperluan: Urusan bank",
            ])
        #expect(screen.primaryAction?.id == .confirm)
        #expect(!screen.allText.joined().contains(NIKFixtures.woman))
    }

    @Test("confirming fixes the request and issues it, on the printing screen")
    func confirmIssues() {
        var h = Harness()
        h.toConfirm(purpose: 2)
        let effects = h.press(.confirm)
        let request = LetterRequest(
            kind: Fixtures.domicile, purpose: "Urusan bank", resident: Fixtures.woman, card: Fixtures.cardUID)
        #expect(effects == [.show(KioskScreens.printing(progress: 0, number: nil)), .issue(request)])
        #expect(h.state == .printing)
        #expect(request.description == "LetterRequest(S-41)")
    }

    @Test("Enter on the confirm screen is the same as touching Cetak")
    func enterConfirms() {
        var h = Harness()
        h.toConfirm()
        let effects = h.key(.enter)
        #expect(h.state == .printing)
        #expect(effects.contains { if case .issue = $0 { true } else { false } })
    }

    @Test("cancel on any step of the flow returns to idle and forgets the resident")
    func cancelEverywhere() {
        for setup in [
            { (h: inout Harness) in h.toIdentifying() }, { $0.toMenu() }, { $0.toDetails() }, { $0.toConfirm() },
        ] {
            var h = Harness()
            setup(&h)
            let effects = h.press(.cancel)
            #expect(effects == [.clearSession, .show(KioskScreens.idle(health: Health()))])
            #expect(h.machine.session == nil)
        }
    }

    @Test("a press for a button that is not on the screen is ignored")
    func pressNotOnScreen() {
        var h = Harness()
        h.toMenu()
        let before = h.screen
        for button in [
            ButtonID.confirm, .letter("X-99"), .letter("NOPE"), .pinDigit(1), .back, .finish, .extendTime,
            .toggleService,
        ] {
            #expect(h.press(button).isEmpty, "\(button)")
        }
        #expect(h.state == .menu)
        #expect(h.screen == before)
    }
}

// MARK: - Printing

@Suite("KioskStateMachine: issuing and printing")
struct KioskPrintingTests {
    @Test("the issued letter is printed, its number on the screen")
    func letterIssued() {
        var h = Harness()
        h.toPrinting(issued: false)
        let effects = h.send(.letterIssued(Fixtures.issued))
        let request = LetterRequest(
            kind: Fixtures.domicile, purpose: "Melamar pekerjaan", resident: Fixtures.woman, card: Fixtures.cardUID)
        #expect(
            effects == [
                .show(KioskScreens.printing(progress: 5, number: Fixtures.number)), .print(request, Fixtures.issued),
            ])
        #expect(h.screen.lines.contains("Nomor: S-41/007/1809072001/XI/2026"))
        #expect(h.machine.session?.issued == Fixtures.issued)
        // Only once.
        #expect(h.send(.letterIssued(Fixtures.issued)).isEmpty)
        #expect(h.send(.issueFailed(.diskFull)).isEmpty)
    }

    @Test("progress only grows and stays within 0-100")
    func progress() {
        var h = Harness()
        h.toPrinting(issued: false)
        #expect(h.send(.printProgress(50)).isEmpty)  // nothing is printing yet
        h.send(.letterIssued(Fixtures.issued))
        #expect(h.send(.printProgress(40)).lastScreen?.progress == 40)
        #expect(h.send(.printProgress(20)).lastScreen?.progress == 40)
        #expect(h.send(.printProgress(-7)).lastScreen?.progress == 40)
        #expect(h.send(.printProgress(90)).lastScreen?.progress == 90)
        #expect(h.send(.printProgress(150)).lastScreen?.progress == 100)
        #expect(h.screen.progress == 100)
    }

    @Test("a printed draft ends on the done screen with the draft note, the session cleared")
    func printedDraft() {
        var h = Harness()
        h.toPrinting(issued: true)
        let effects = h.send(.printFinished(.printed))
        #expect(effects == [.clearSession, .show(KioskScreens.done(draft: true))])
        #expect(h.state == .done)
        #expect(h.machine.session == nil)
        #expect(h.screen.lines.contains(Teks.draftNote))
        #expect(h.machine.nextWakeUp == h.at(10))
    }

    /// Letters kept as files (no printer set up yet): the resident is not sent to a printer that printed nothing
    /// (the system test's guest, with letters to a folder, said "Ambil surat Anda di printer").
    @Test("a letter kept as a file ends on a done screen that sends nobody to a printer")
    func keptAsFile() {
        var policy = Fixtures.policy()
        policy.lettersOnPaper = false
        var h = Harness(policy: policy)
        h.toPrinting(issued: true)
        #expect(
            h.send(.printFinished(.printed)) == [.clearSession, .show(KioskScreens.done(draft: true, onPaper: false))])
        #expect(h.screen.lines == Teks.doneSavedLines)
        #expect(!h.screen.lines.contains { $0.contains("printer") })
        #expect(h.screen.prompt == Teks.doneSavedPrompt)
    }

    @Test("a letter issued final has no draft note")
    func printedFinal() {
        var h = Harness()
        h.toMenu()
        h.press(.letter("500"))
        h.press(.purpose(0))
        h.press(.confirm)
        h.send(.letterIssued(Fixtures.issued))
        #expect(h.send(.printFinished(.pending)) == [.clearSession, .show(KioskScreens.done(draft: false))])
        #expect(!h.screen.lines.contains(Teks.draftNote))
    }

    @Test("a print finish before the letter is issued is ignored")
    func finishBeforeIssue() {
        var h = Harness()
        h.toPrinting(issued: false)
        #expect(h.send(.printFinished(.printed)).isEmpty)
        #expect(h.state == .printing)
    }

    @Test("paper out: the printer error, the health remembers it, and the next resident meets it")
    func paperOut() {
        var h = Harness()
        h.toPrinting(issued: true)
        let effects = h.send(.printFinished(.failed(.paperOut)))
        #expect(effects == [.clearSession, .show(KioskScreens.error(.printer(.paperOut)))])
        #expect(h.state == .error(.printer(.paperOut)))
        #expect(h.machine.health.printerProblem == .paperOut)
        #expect(h.screen.title == "Kertas Habis")

        // Back to idle: the idle screen says so too.
        #expect(h.advanceAndTick(.seconds(15)).lastScreen?.id == .error(.printer(.paperOut)))
        #expect(h.state == .idle)

        h.insert(Fixtures.otherCardUID)
        let next = h.send(.lookedUp(.resident(Fixtures.man)))
        #expect(next == [.clearSession, .show(KioskScreens.error(.printer(.paperOut)))])
        #expect(h.state != .pinEntry && h.state != .menu)
    }

    @Test(
        "a full disk or a failed store ends in its own error",
        arguments: [(IssueProblem.diskFull, KioskError.diskFull), (.storageFailed, .storageFailed)])
    func issueFailed(problem: IssueProblem, error: KioskError) {
        var h = Harness()
        h.toPrinting(issued: false)
        #expect(h.send(.issueFailed(problem)) == [.clearSession, .show(KioskScreens.error(error))])
        #expect(h.state == .error(error))
        #expect(h.machine.health.diskFull == (problem == .diskFull))
    }

    @Test("the card taken away while printing: printing goes on and still ends on done")
    func removalWhilePrinting() {
        var h = Harness()
        h.toPrinting(issued: false)
        #expect(h.send(.cardRemoved).isEmpty)
        #expect(h.state == .printing)
        h.send(.letterIssued(Fixtures.issued))
        #expect(h.send(.cardRemoved).isEmpty)
        #expect(h.send(.cardPresented(Fixtures.cardUID, chip: nil)).isEmpty)
        #expect(h.send(.printProgress(60)).lastScreen?.progress == 60)
        #expect(h.send(.printFinished(.printed)) == [.clearSession, .show(KioskScreens.done(draft: true))])
        #expect(h.state == .done)
    }

    @Test("Enter or Escape on the done screen, or the card leaving, returns to idle")
    func leaveDone() {
        for event in [KioskEvent.key(.enter), .key(.escape), .press(.finish), .cardRemoved] {
            var h = Harness()
            h.toDone()
            let effects = h.send(event)
            #expect(effects.last == .show(KioskScreens.idle(health: Health())), "\(event)")
            #expect(effects.allSatisfy { $0 == .clearSession || $0 == .show(KioskScreens.idle(health: Health())) })
            #expect(h.state == .idle)
            #expect(h.machine.session == nil)
        }
    }
}

// MARK: - Card removal

@Suite("KioskStateMachine: card removal")
struct KioskRemovalTests {
    enum Step: String, CaseIterable, Sendable {
        case lookingUp, identifying, awaitingPINCheck, menu, details, confirm, maintenance, timeoutWarning
    }

    static func harness(at step: Step) -> Harness {
        var h = Harness()
        switch step {
        case .lookingUp: h.insert()
        case .identifying: h.toIdentifying(); h.typePIN([1, 2])
        case .awaitingPINCheck: h.toIdentifying(); h.typePIN()
        case .menu: h.toMenu(); h.press(.nextPage)
        case .details: h.toDetails()
        case .confirm: h.toConfirm()
        case .maintenance: h.toMaintenance()
        case .timeoutWarning: h.toDetails(); h.advanceAndTick(.seconds(45))
        }
        return h
    }

    @Test("taking the card away mid-flow clears the session and shows idle", arguments: Step.allCases)
    func removal(step: Step) {
        var h = Self.harness(at: step)
        #expect(h.machine.session != nil)
        let effects = h.send(.cardRemoved)
        #expect(effects == [.clearSession, .show(KioskScreens.idle(health: Health()))])
        #expect(h.state == .idle)
        #expect(h.machine.session == nil)
        #expect(h.machine.nextWakeUp == nil)
        // A late registry answer for the old card changes nothing.
        #expect(h.send(.lookedUp(.resident(Fixtures.woman))).isEmpty)
        #expect(h.send(.pinChecked(.accepted)).isEmpty)
        #expect(h.state == .idle)
    }

    @Test("card removal in idle does nothing; on an error screen (session already cleared) it shows idle")
    func removalWithoutSession() {
        var h = Harness()
        #expect(h.send(.cardRemoved).isEmpty)
        h.insert()
        #expect(h.send(.lookedUp(.unknownCard)).first == .clearSession)
        #expect(h.machine.session == nil)
        let effects = h.send(.cardRemoved)
        #expect(effects.last == .show(KioskScreens.idle(health: Health())))
        #expect(effects.allSatisfy { $0 == .clearSession || $0 == .show(KioskScreens.idle(health: Health())) })
        #expect(h.state == .idle)
    }
}

// MARK: - Timeouts

@Suite("KioskStateMachine: timeouts")
struct KioskTimeoutTests {
    @Test("idle waits for nothing")
    func idleHasNoWakeUp() {
        var h = Harness()
        #expect(h.machine.nextWakeUp == nil)
        #expect(h.advanceAndTick(.seconds(10_000)).isEmpty)
        h.toDone()
        h.press(.finish)
        #expect(h.machine.nextWakeUp == nil)
    }

    @Test("the wake-up is the warning, then the deadline; ticks before them do nothing")
    func warningThenDeadline() throws {
        var h = Harness()
        h.toMenu()
        let entered = h.now
        #expect(h.machine.nextWakeUp == entered.advanced(by: .seconds(45)))
        #expect(h.advanceAndTick(.seconds(44)).isEmpty)
        #expect(h.state == .menu)
        #expect(h.screen.id == .menu)

        let warning = h.advanceAndTick(.seconds(1))
        #expect(warning == [.show(KioskScreens.timeoutWarning(secondsLeft: 15))])
        #expect(h.state == .menu)
        // The countdown steps once a second, shown but not spoken again; a tick between steps does nothing.
        #expect(h.machine.nextWakeUp == entered.advanced(by: .seconds(46)))
        #expect(h.advanceAndTick(.milliseconds(500)).isEmpty)
        #expect(h.advanceAndTick(.milliseconds(500)) == [.show(KioskScreens.timeoutWarning(secondsLeft: 14))])
        #expect(h.screen.lines.last == "Sisa waktu: 14 detik")
        #expect(h.advanceAndTick(.seconds(13)) == [.show(KioskScreens.timeoutWarning(secondsLeft: 1))])
        #expect(h.machine.nextWakeUp == entered.advanced(by: .seconds(60)))

        let end = h.advanceAndTick(.seconds(1))
        #expect(end == [.clearSession, .show(KioskScreens.idle(health: Health()))])
        #expect(h.state == .idle)
        #expect(h.machine.session == nil)
    }

    @Test(
        "Lanjutkan restores the screen and re-arms the timer", arguments: [KioskEvent.press(.extendTime), .key(.enter)])
    func extend(event: KioskEvent) {
        var h = Harness()
        h.toMenu()
        h.press(.nextPage)
        let menu = h.screen
        h.advanceAndTick(.seconds(50))
        #expect(h.screen.id == .timeoutWarning)
        #expect(h.send(event) == [.show(menu)])
        #expect(h.screen == menu)
        #expect(h.machine.nextWakeUp == h.at(45))
        #expect(h.advanceAndTick(.seconds(44)).isEmpty)
    }

    @Test(
        "Selesai or Escape on the warning ends the session", arguments: [KioskEvent.press(.endSession), .key(.escape)])
    func endFromWarning(event: KioskEvent) {
        var h = Harness()
        h.toConfirm()
        h.advanceAndTick(.seconds(45))
        #expect(h.send(event) == [.clearSession, .show(KioskScreens.idle(health: Health()))])
    }

    @Test("the screen under the warning takes no input")
    func warningBlocksInput() {
        var h = Harness()
        h.toConfirm()
        h.advanceAndTick(.seconds(45))
        #expect(h.press(.confirm).isEmpty)
        #expect(h.press(.back).isEmpty)
        #expect(h.key(.digit(1)).isEmpty)
        #expect(h.key(.backspace).isEmpty)
        #expect(h.state == .confirm)
    }

    @Test("typing keeps the PIN screen alive; the warning keeps the digits typed")
    func activityRearms() {
        var h = Harness()
        h.toIdentifying()
        h.advance(.seconds(40))
        h.typePIN([1, 2, 3])
        #expect(h.machine.nextWakeUp == h.at(45))
        h.advanceAndTick(.seconds(45))
        #expect(h.screen.id == .timeoutWarning)
        #expect(h.key(.enter).lastScreen == KioskScreens.pinEntry(entered: 3, length: 6))
        #expect(h.typePIN([4, 5, 6]).contains(.verifyPIN(Fixtures.cardUID, PIN(digits: [1, 2, 3, 4, 5, 6]))))
    }

    @Test("a wrong PIN answered after the warning appeared gives a working PIN pad")
    func rejectedAfterWarning() {
        var h = Harness()
        h.toIdentifying()
        h.typePIN()
        h.advanceAndTick(.seconds(45))
        #expect(h.screen.id == .timeoutWarning)
        let effects = h.send(.pinChecked(.rejected))
        #expect(effects.lastScreen?.prompt == Teks.pinWrong(remaining: 2))
        #expect(h.press(.pinDigit(1)).lastScreen?.pinPad?.entered == 1)
        #expect(h.machine.nextWakeUp == h.at(45))
    }

    @Test("page turns count as activity")
    func pagingRearms() {
        var h = Harness()
        h.toMenu()
        h.advance(.seconds(40))
        h.press(.nextPage)
        #expect(h.machine.nextWakeUp == h.at(45))
    }

    @Test("a card the registry never answers for ends as a system problem, not an unreadable card")
    func readingTimeout() {
        var h = Harness()
        h.insert()
        #expect(h.machine.nextWakeUp == h.at(30))
        #expect(h.advanceAndTick(.milliseconds(29_999)).isEmpty)
        #expect(h.advanceAndTick(.milliseconds(1)) == [.clearSession, .show(KioskScreens.error(.storageFailed))])
    }

    @Test("a printer that never reports back is an unknown printer problem")
    func printingTimeout() {
        var h = Harness()
        h.toPrinting(issued: true)
        #expect(h.machine.nextWakeUp == h.at(120))
        #expect(h.advanceAndTick(.seconds(119)).isEmpty)
        #expect(h.advanceAndTick(.seconds(1)) == [.clearSession, .show(KioskScreens.error(.printer(.unknown)))])
        #expect(h.machine.health.printerProblem == .unknown)
    }

    @Test("print progress is a sign of life: the print limit counts from the last one")
    func printProgressExtendsTheLimit() {
        var h = Harness()
        h.toPrinting(issued: true)
        h.advance(.seconds(100))
        h.send(.printProgress(40))
        #expect(h.machine.nextWakeUp == h.at(120))
        #expect(h.advanceAndTick(.seconds(119)).isEmpty)
        #expect(h.state == .printing)
        #expect(h.advanceAndTick(.seconds(1)).lastScreen?.id == .error(.printer(.unknown)))
    }

    @Test("done and error screens return to idle after their display time")
    func doneAndErrorDisplay() {
        var h = Harness()
        h.toDone()
        #expect(h.advanceAndTick(.seconds(9)).isEmpty)
        #expect(h.advanceAndTick(.seconds(1)).last == .show(KioskScreens.idle(health: Health())))
        #expect(h.state == .idle)

        h.insert()
        h.send(.lookedUp(.unknownCard))
        #expect(h.machine.nextWakeUp == h.at(15))
        #expect(h.advanceAndTick(.seconds(14)).isEmpty)
        #expect(h.advanceAndTick(.seconds(1)).last == .show(KioskScreens.idle(health: Health())))
        #expect(h.state == .idle)
        #expect(h.machine.nextWakeUp == nil)
    }

    @Test("a late tick long after the deadline still ends the session once")
    func lateTick() {
        var h = Harness()
        h.toDetails()
        #expect(h.advanceAndTick(.seconds(3_600)) == [.clearSession, .show(KioskScreens.idle(health: Health()))])
        #expect(h.send(.tick).isEmpty)
    }
}

// MARK: - Maintenance and health

@Suite("KioskStateMachine: maintenance and health")
struct KioskMaintenanceTests {
    @Test("stopping service: .setOutOfService(true), and idle then shows out of service")
    func toggleService() throws {
        var h = Harness()
        h.toMaintenance()
        #expect(h.screen.choices.map(\.label).contains(Teks.stopService))
        let effects = h.press(.toggleService)
        #expect(effects.last == .setOutOfService(true, by: Fixtures.operatorUID))
        #expect(h.machine.health.outOfService)
        #expect(effects.lastScreen?.choices.map(\.label).contains(Teks.resumeService) == true)
        #expect(effects.lastScreen?.lines.contains("Layanan: dihentikan") == true)

        let exit = h.press(.exitMaintenance)
        let idle = try #require(exit.lastScreen)
        #expect(exit.clearsSession)
        #expect(idle.id == .error(.outOfService))
        #expect(idle.title == "Layanan Sedang Tutup")
        #expect(h.state == .idle)

        // A resident now meets the closed service.
        h.insert()
        #expect(h.send(.lookedUp(.resident(Fixtures.woman))).lastScreen?.id == .error(.outOfService))

        // And an operator can open it again.
        h.toMaintenance()
        #expect(h.key(.digit(3)).last == .setOutOfService(false, by: Fixtures.operatorUID))
        #expect(h.key(.enter).lastScreen == KioskScreens.idle(health: Health()))
    }

    @Test("paper refilled: the problem stays until the printer itself says it is ready")
    func paperRefilled() {
        var h = Harness()
        h.toPrinting(issued: true)
        h.send(.printFinished(.failed(.paperOut)))
        h.toMaintenance()
        let paperOut = Health(printerProblem: .paperOut)
        #expect(h.screen.lines.first == "Printer: kertas habis")
        #expect(
            h.press(.paperRefilled) == [
                .show(KioskScreens.maintenance(health: paperOut, note: Teks.printerChecking)), .checkPrinter,
            ])
        #expect(h.machine.health.printerProblem == .paperOut)
        // A second press while the printer is asked changes nothing.
        #expect(h.press(.paperRefilled).isEmpty)

        // The printer still reports no paper: the problem stays, and the screen says what the printer reports.
        let still = h.send(.printerChecked(.problem(.paperOut)))
        #expect(
            still == [
                .show(KioskScreens.maintenance(health: paperOut, note: "Printer masih melaporkan: kertas habis."))
            ])
        #expect(h.machine.health.printerProblem == .paperOut)

        // Asked again, it is ready: cleared.
        h.press(.paperRefilled)
        #expect(
            h.send(.printerChecked(.ready)) == [
                .show(KioskScreens.maintenance(health: Health(), note: Teks.printerReady))
            ]
        )
        #expect(h.machine.health.printerProblem == nil)
        #expect(h.press(.exitMaintenance).lastScreen == KioskScreens.idle(health: Health()))

        // A printer that reports a new problem when asked sets it, even with none known before.
        h.toMaintenance()
        #expect(h.screen.lines.count == 3, "the note is forgotten when maintenance is left")
        h.press(.paperRefilled)
        h.send(.printerChecked(.problem(.coverOpen)))
        #expect(h.machine.health.printerProblem == .coverOpen)
    }

    @Test("paper refilled on a printer that cannot report its status: a test print that printed clears the problem")
    func paperRefilledUnreported() {
        var h = Harness()
        h.toPrinting(issued: true)
        h.send(.printFinished(.failed(.paperOut)))
        h.toMaintenance()
        // The test print did not come out: the problem it met is kept, and said.
        h.press(.paperRefilled)
        h.send(.printerChecked(.unreported(testPrint: .failed(.paperOut))))
        #expect(h.machine.health.printerProblem == .paperOut)
        #expect(h.screen.lines.last == "Status printer tidak terbaca; uji cetak gagal (kertas habis).")
        // Sent, but nothing says it reached paper: not cleared on a guess.
        h.press(.paperRefilled)
        h.send(.printerChecked(.unreported(testPrint: .pending)))
        #expect(h.machine.health.printerProblem == .unknown)
        // It printed: cleared, and the screen says why the kiosk believes it.
        h.press(.paperRefilled)
        #expect(
            h.send(.printerChecked(.unreported(testPrint: .printed))) == [
                .show(
                    KioskScreens.maintenance(
                        health: Health(),
                        note: "Status printer tidak terbaca; uji cetak terkirim, layanan dilanjutkan."))
            ])
        #expect(h.machine.health.printerProblem == nil)
    }

    @Test("test print: the outcome per printer on screen, one print at a time")
    func testPrintAndExit() {
        var h = Harness()
        h.toMaintenance()
        #expect(
            h.press(.testPrint) == [
                .show(KioskScreens.maintenance(health: Health(), note: Teks.testPrinting)), .testPrint,
            ])
        #expect(h.key(.digit(1)).isEmpty, "a second press waits for the first print")
        let done = h.send(.testPrinted(TestPrintResult(letter: .printed, slip: .failed(.paperOut))))
        #expect(done.lastScreen?.lines.last == "Uji cetak: surat tercetak, struk gagal (kertas habis)")
        #expect(h.key(.digit(1)).last == .testPrint)
        h.send(.testPrinted(TestPrintResult(letter: nil, slip: nil)))
        #expect(h.screen.lines.last == "Uji cetak: tidak ada printer terpasang.")
        #expect(h.key(.escape) == [.clearSession, .show(KioskScreens.idle(health: Health()))])
        #expect(h.state == .idle)
        // A test print that ends after the operator left changes no screen.
        #expect(h.send(.testPrinted(TestPrintResult(letter: .printed, slip: nil))).isEmpty)
    }

    @Test("a kiosk that restarts stopped shows residents the closed service, and an operator opens it")
    func startsAsLeft() throws {
        var h = Harness(health: Health(printerProblem: .paperOut, outOfService: true))
        #expect(h.screen.id == .error(.outOfService))
        h.insert()
        #expect(h.send(.lookedUp(.resident(Fixtures.woman))).lastScreen?.id == .error(.outOfService))
        h.toMaintenance()
        #expect(h.screen.lines.prefix(2) == ["Printer: kertas habis", "Layanan: dihentikan"])
        #expect(h.press(.toggleService).last == .setOutOfService(false, by: Fixtures.operatorUID))
        // Open again, and the printer's last problem still keeps residents from a print that would fail.
        #expect(h.press(.exitMaintenance).lastScreen?.id == .error(.printer(.paperOut)))
    }

    @Test("the diagnostics screen opens from maintenance and goes back to it, by touch or Enter")
    func diagnostics() {
        var h = Harness()
        h.toMaintenance()
        #expect(h.press(.diagnostics) == [.show(KioskScreens.diagnostics())])
        #expect(h.state == .maintenance)
        // A health change does not pull the technician off the panel check.
        #expect(h.send(.healthChanged(Health(printerProblem: .paperOut))).isEmpty)
        #expect(h.press(.back) == [.show(KioskScreens.maintenance(health: Health(printerProblem: .paperOut)))])
        h.press(.diagnostics)
        #expect(h.key(.enter) == [.show(KioskScreens.maintenance(health: Health(printerProblem: .paperOut)))])
    }

    @Test("maintenance warns and then times out")
    func maintenanceTimeout() {
        var h = Harness()
        h.toMaintenance()
        h.advance(.seconds(100))
        h.press(.testPrint)  // activity
        #expect(h.machine.nextWakeUp == h.at(285))
        #expect(h.advanceAndTick(.seconds(285)) == [.show(KioskScreens.timeoutWarning(secondsLeft: 15))])
        #expect(h.advanceAndTick(.seconds(15)) == [.clearSession, .show(KioskScreens.idle(health: Health()))])
    }

    @Test("a health change under the maintenance timeout warning keeps the warning")
    func healthUnderWarning() {
        var h = Harness()
        h.toMaintenance()
        h.advanceAndTick(.seconds(285))
        let problem = Health(printerProblem: .coverOpen)
        #expect(h.send(.healthChanged(problem)).isEmpty)
        #expect(h.screen.id == .timeoutWarning)
        #expect(h.press(.extendTime) == [.show(KioskScreens.maintenance(health: problem))])
        #expect(h.press(.testPrint).last == .testPrint)
    }

    @Test("health changes: idle and maintenance redraw, other states just remember")
    func healthChanged() {
        var h = Harness()
        let offline = Health(printerProblem: .offline)
        #expect(h.send(.healthChanged(offline)) == [.show(KioskScreens.idle(health: offline))])
        #expect(h.screen.id == .error(.printer(.offline)))
        #expect(h.send(.healthChanged(Health())) == [.show(KioskScreens.idle(health: Health()))])
        #expect(h.screen.id == .idle)

        h.toMenu()
        #expect(h.send(.healthChanged(offline)).isEmpty)
        #expect(h.machine.health == offline)
        #expect(h.state == .menu)

        var m = Harness()
        m.toMaintenance()
        #expect(m.send(.healthChanged(offline)) == [.show(KioskScreens.maintenance(health: offline))])
    }

    @Test("blocking errors rank: out of service, then disk, then printer")
    func blockingOrder() {
        #expect(Health().blockingError == nil)
        #expect(Health(printerProblem: .paperJam).blockingError == .printer(.paperJam))
        #expect(Health(printerProblem: .paperJam, diskFull: true).blockingError == .diskFull)
        #expect(Health(printerProblem: .paperJam, diskFull: true, outOfService: true).blockingError == .outOfService)
    }
}

// MARK: - Speech and privacy

@Suite("KioskStateMachine: speech and privacy")
struct KioskPrivacyTests {
    @Test("spoken prompts follow every new screen or new prompt when enabled, once, and never otherwise")
    func spokenPrompts() {
        let spoken = Fixtures.fullSessionScreens(spoken: true).effects
        var previous: Screen?
        var repeats = 0
        for (index, effect) in spoken.enumerated() {
            guard case .show(let screen) = effect else { continue }
            defer { previous = screen }
            guard let previous else { continue }  // the start-up screen has no effect to speak
            let next = spoken.dropFirst(index + 1).first
            if screen.id != previous.id || screen.prompt != previous.prompt {
                #expect(next == .speak(screen.prompt), "\(screen.id)")
            } else {
                repeats += 1
                if case .speak = next { Issue.record("\(screen.id) changed in place and was spoken again") }
            }
        }
        #expect(repeats > 0)  // PIN digits and printing progress change screens in place
        #expect(Fixtures.fullSessionScreens(spoken: false).effects.spoken.isEmpty)

        var h = Harness(policy: Fixtures.policy(spoken: true))
        #expect(
            h.send(.cardPresented(Fixtures.cardUID, chip: nil)) == [
                .show(KioskScreens.readingCard()), .speak(Teks.readingPrompt), .lookUp(Fixtures.cardUID),
            ])
    }

    @Test("no screen or spoken prompt of a whole session shows a NIK or its birth date")
    func noNIKOnScreens() {
        let session = Fixtures.fullSessionScreens(spoken: true)
        let ids = Set(session.screens.map(\.id))
        // The session did visit every kind of screen.
        for id in [
            ScreenID.idle, .readingCard, .pinEntry, .menu, .purpose, .confirm, .printing, .done, .timeoutWarning,
            .maintenance, .error(.locked), .error(.printer(.paperOut)),
        ] {
            #expect(ids.contains(id), "\(id)")
        }
        let texts = session.screens.flatMap(\.allText) + session.effects.spoken
        for secret in Fixtures.secrets {
            #expect(!texts.contains { $0.contains(secret) }, "\(secret) is on a screen")
        }
        #expect(texts.contains("NIK: 180907******0011"))
    }

    @Test("a state holding a session prints without personal data")
    func sessionDescription() {
        var h = Harness()
        h.toConfirm()
        let state = h.machine.state
        #expect(state.description == "confirm")
        #expect(h.machine.session?.resident == Fixtures.woman, "the state does hold the resident")
        #expect(!String(describing: state).contains("SITI"))
        #expect(!String(describing: state).contains(NIKFixtures.woman))
        h = Harness()
        h.toIdentifying()
        h.typePIN([1, 2, 3])
        #expect("\(h.machine.state)" == "pinEntry", "no PIN digit either")
    }
}

// MARK: - Every event in every state

/// Serialized: its 1,500-odd cases, run in parallel, held both threads of the concurrency pool for a minute on a
/// 2-core machine, and the in-process scripted sessions of other suites (20 s per step) ran out of time.
@Suite("KioskStateMachine: every event in every state", .serialized)
struct KioskExhaustiveTests {
    enum Stage: String, CaseIterable, Sendable {
        case idle, idleBlocked, lookingUp, identifying, awaitingPINCheck, menu, details, confirm, printing,
            printingIssued, done, error, operatorPIN, awaitingOperatorPINCheck, maintenance, timeoutWarning, board,
            letterCheck, letterChecking, letterChecked, survey, queueWithoutCard, queueWithCard, queueTaking,
            queueTakingWithCard, queueTicket, queueNotPrinted
    }

    static func harness(at stage: Stage) -> Harness {
        var h =
            stage == .survey
            ? Harness(policy: KioskSurveyTests.surveyPolicy())
            : stage.rawValue.hasPrefix("queue") ? Harness(policy: Fixtures.queuePolicy()) : Harness()
        switch stage {
        case .idle: break
        case .idleBlocked: h.send(.healthChanged(Health(diskFull: true)))
        case .lookingUp: h.insert()
        case .identifying: h.toIdentifying(); h.typePIN([1])
        case .awaitingPINCheck: h.toIdentifying(); h.typePIN()
        case .menu: h.toMenu()
        case .details: h.toDetails()
        case .confirm: h.toConfirm()
        case .printing: h.toPrinting(issued: false)
        case .printingIssued: h.toPrinting(issued: true)
        case .done: h.toDone()
        case .error: h.insert(); h.send(.lookedUp(.unknownCard))
        case .operatorPIN: h.insert(Fixtures.operatorUID); h.send(.lookedUp(.operatorCard)); h.typePIN([1])
        case .awaitingOperatorPINCheck: h.insert(Fixtures.operatorUID); h.send(.lookedUp(.operatorCard)); h.typePIN()
        case .maintenance: h.toMaintenance()
        case .timeoutWarning: h.toMenu(); h.advanceAndTick(.seconds(45))
        case .board: h.press(.boardPage(.activities))
        case .letterCheck: h.toMaintenance(); h.press(.checkLetter); h.press(.character("S"))
        case .letterChecking:
            h.toMaintenance()
            h.press(.checkLetter)
            for key in "S-41/007/1809072001/XI/2026" {
                if key.isLetter != (h.screen.characterKeys.first?.label.first?.isLetter == true) {
                    h.press(.otherKeys)
                }
                h.press(.character(key))
            }
            h.press(.submitLetterNumber)
        case .letterChecked:
            h.toMaintenance()
            h.press(.checkLetter)
            h.press(.character("7"))
            h.press(.submitLetterNumber)
        case .survey: h.toDone(); h.press(.finish)
        case .queueWithoutCard: h.press(.openQueue)
        case .queueWithCard: h.toMenu(); h.press(.openQueue)
        case .queueTaking: h.press(.openQueue); h.press(.queueService("KK"))
        case .queueTakingWithCard: h.toMenu(); h.press(.openQueue); h.press(.queueService("KK"))
        case .queueTicket:
            h.press(.openQueue)
            h.press(.queueService("KK"))
            h.send(.ticketTaken(.printed(Fixtures.queueTicket)))
        case .queueNotPrinted:
            h.press(.openQueue)
            h.press(.queueService("KK"))
            h.send(.ticketTaken(.notPrinted(Fixtures.queueTicket, .paperOut)))
        }
        return h
    }

    static func screenIDs(for state: StateName, health: Health) -> [ScreenID] {
        switch state {
        case .idle: [health.blockingError.map { .error($0) } ?? .idle]
        case .readingCard: [.readingCard]
        case .pinEntry, .operatorPIN: [.pinEntry, .timeoutWarning]
        case .menu: [.menu, .timeoutWarning]
        case .purpose: [.purpose, .timeoutWarning]
        case .confirm: [.confirm, .timeoutWarning]
        case .printing: [.printing]
        case .done: [.done]
        case .error(let error): [.error(error)]
        case .maintenance: [.maintenance, .diagnostics, .timeoutWarning]
        case .findingPickups: [.pinEntry]
        case .pickups: [.pickups, .timeoutWarning]
        case .collecting: [.printing]
        case .board(let page): [.board(page)]
        case .letterCheck: [.letterCheck, .letterCheckResult, .timeoutWarning]
        case .survey: [.survey]
        case .queueServices: [.queueServices, .timeoutWarning]
        case .queueTaking: [.queueTaking]
        case .queueTicket: [.queueTicket]
        }
    }

    @Test("every stage is reached as intended")
    func stagesReached() {
        let expected: [Stage: StateName] = [
            .idle: .idle, .idleBlocked: .idle, .lookingUp: .readingCard,
            .identifying: .pinEntry, .awaitingPINCheck: .pinEntry, .menu: .menu, .details: .purpose,
            .confirm: .confirm, .printing: .printing, .printingIssued: .printing, .done: .done,
            .error: .error(.unknownCard), .operatorPIN: .operatorPIN, .awaitingOperatorPINCheck: .operatorPIN,
            .maintenance: .maintenance, .timeoutWarning: .menu, .board: .board(.activities), .letterCheck: .letterCheck,
            .letterChecking: .letterCheck, .letterChecked: .letterCheck,
            .survey: .survey, .queueWithoutCard: .queueServices, .queueWithCard: .queueServices,
            .queueTaking: .queueTaking, .queueTakingWithCard: .queueTaking, .queueTicket: .queueTicket,
            .queueNotPrinted: .queueTicket,
        ]
        for stage in Stage.allCases {
            #expect(Self.harness(at: stage).state == expected[stage], "\(stage)")
        }
        #expect(Self.harness(at: .timeoutWarning).screen.id == .timeoutWarning)
    }

    @Test("every event in every stage keeps the machine consistent", arguments: Stage.allCases, Fixtures.allEvents)
    func consistent(stage: Stage, event: KioskEvent) {
        var h = Self.harness(at: stage)
        let before = h.state
        let effects = h.send(event)
        let state = h.state

        // What is shown is what the machine remembers, and it matches the state.
        if let shown = effects.lastScreen { #expect(h.screen == shown) }
        #expect(
            Self.screenIDs(for: state, health: h.machine.health).contains(h.screen.id), "\(state) shows \(h.screen.id)")
        #expect(Set(h.screen.buttons.map(\.id)).count == h.screen.buttons.count)

        // Personal data lives only in a running session.
        switch state {
        case .idle, .done, .error, .board, .survey, .queueTicket: #expect(h.machine.session == nil)
        // With a card they hold it, without one nothing (KioskQueueTests).
        case .queueServices, .queueTaking: break
        default: #expect(h.machine.session != nil)
        }
        if effects.clearsSession { #expect(h.machine.session == nil || state == .readingCard) }
        for text in effects.screens.flatMap(\.allText) {
            #expect(!Fixtures.secrets.contains { text.contains($0) })
        }

        // Only idle waits for nothing.
        #expect((h.machine.nextWakeUp == nil) == (state == .idle))

        // Requests to the runtime only where they belong.
        for effect in effects {
            switch effect {
            case .lookUp(let uid):
                // Only a card that starts a session is looked up.
                switch before {
                case .idle, .done, .error, .board, .survey, .queueTicket: #expect(state == .readingCard)
                default: Issue.record("a look-up in \(before)")
                }
                #expect(h.machine.session?.card == uid)
            case .verifyPIN:
                #expect((state == .pinEntry || state == .operatorPIN) && h.machine.session?.awaitingPINCheck == true)
            case .issue, .print: #expect(state == .printing)
            case .testPrint, .checkPrinter, .setOutOfService: #expect(state == .maintenance)
            case .findPickups: #expect(state == .findingPickups)
            case .collect: #expect(state == .collecting)
            case .checkLetter: #expect(state == .letterCheck)
            case .recordSurvey: #expect(before == .survey && state == .idle)
            case .takeTicket: #expect(before == .queueServices && state == .queueTaking)
            case .speak: Issue.record("speech is off")
            case .show, .clearSession: break
            }
        }
    }

    @Test(
        "after any event in any stage, following the wake-ups leads back to idle", arguments: Stage.allCases,
        Fixtures.allEvents)
    func live(stage: Stage, event: KioskEvent) {
        var h = Self.harness(at: stage)
        h.send(event)
        var steps = 0
        while let wake = h.machine.nextWakeUp, steps < 40 {  // a warning counts down in 1 s steps
            h.advance(h.now.duration(to: wake))
            h.send(.tick)
            steps += 1
        }
        #expect(h.state == .idle)
        #expect(h.machine.session == nil)
        // Idle takes the next card.
        #expect(h.send(.cardPresented(Fixtures.cardUID, chip: nil)).last == .lookUp(Fixtures.cardUID))
    }
}

@Suite("KioskStateMachine: the disk guard")
struct KioskDiskTests {
    @Test("a full disk at capture stops new services until the disk guard finds room again")
    func diskFullAndBack() {
        var h = Harness()
        h.toPrinting(issued: false)
        h.send(.issueFailed(.diskFull))
        #expect(h.machine.health.diskFull)
        #expect(h.send(.diskChecked(hasRoom: false)).isEmpty)  // nothing new to say
        h.send(.cardRemoved)
        let idle = h.screen
        #expect(idle == KioskScreens.idle(health: Health(diskFull: true)))
        let effects = h.send(.diskChecked(hasRoom: true))
        #expect(!h.machine.health.diskFull)
        #expect(effects == [.show(KioskScreens.idle(health: Health()))])
        #expect(h.send(.diskChecked(hasRoom: true)).isEmpty)
    }

    @Test("the disk check keeps the printer's problem")
    func diskCheckKeepsOtherHealth() {
        var h = Harness()
        h.send(.healthChanged(Health(printerProblem: .paperOut)))
        h.send(.diskChecked(hasRoom: false))
        #expect(h.machine.health == Health(printerProblem: .paperOut, diskFull: true))
    }
}

// MARK: - The village board in detail

@Suite("KioskStateMachine: the village board opened in detail")
struct KioskBoardDetailTests {
    @Test("touching the board on idle opens the page it showed, with Kembali; Kembali, Escape and Enter go back")
    func touchOpensThePageAndKembaliGoesBack() throws {
        for back in [KioskEvent.press(.back), .key(.escape), .key(.enter)] {
            var h = Harness()
            let opened = h.press(.boardPage(.activities))
            #expect(opened == [.show(KioskScreens.boardDetail(.activities))])
            #expect(h.state == .board(.activities))
            #expect(h.screen.id == .board(.activities) && "\(h.screen.id)" == "board-activities")
            #expect(h.screen.actions.map(\.label) == [Teks.back])
            #expect(h.machine.session == nil, "the board holds no session")
            #expect(h.send(back) == [.show(KioskScreens.idle(health: Health()))], "\(back)")
            #expect(h.state == .idle)
        }
    }

    @Test("a card tapped on the board's page is read at once, exactly as on idle")
    func aCardInterruptsTheBoard() {
        var onIdle = Harness()
        let fromIdle = onIdle.insert()
        var h = Harness()
        h.press(.boardPage(.realisation))
        #expect(h.insert() == fromIdle)
        #expect(h.state == .readingCard)
        #expect(h.machine.session?.card == Fixtures.cardUID)
        // And the rest of the session goes on as from idle.
        #expect(h.send(.lookedUp(.resident(Fixtures.woman))).lastScreen?.id == .pinEntry)
    }

    @Test("the page goes back to idle by itself after the inactivity time, without a warning")
    func theBoardTimesOutToIdle() {
        var h = Harness()
        h.press(.boardPage(.announcements))
        #expect(h.machine.nextWakeUp == h.at(60))
        #expect(h.advanceAndTick(.seconds(59)).isEmpty)
        #expect(h.state == .board(.announcements))
        #expect(h.advanceAndTick(.seconds(1)) == [.show(KioskScreens.idle(health: Health()))])
        #expect(h.state == .idle && h.machine.nextWakeUp == nil)
    }

    @Test("the board opens only from the idle screen: not over an error screen, a session or maintenance")
    func theBoardOpensOnlyFromIdle() {
        var h = Harness()
        #expect(h.send(.healthChanged(Health(printerProblem: .paperOut))).lastScreen?.id == .error(.printer(.paperOut)))
        #expect(h.press(.boardPage(.realisation)).isEmpty)
        #expect(h.state == .idle)
        var menu = Harness()
        menu.toMenu()
        #expect(menu.press(.boardPage(.realisation)).isEmpty)
        #expect(menu.state == .menu)
        var maintenance = Harness()
        maintenance.toMaintenance()
        #expect(maintenance.press(.boardPage(.realisation)).isEmpty)
        #expect(maintenance.state == .maintenance)
    }

    @Test("a kiosk that stops serving while a page is open shows its error screen at once")
    func healthBlockingLeavesTheBoard() throws {
        var h = Harness()
        h.press(.boardPage(.bidang))
        #expect(h.send(.healthChanged(Health())).isEmpty)
        #expect(h.state == .board(.bidang))
        let effects = h.send(.healthChanged(Health(outOfService: true)))
        #expect(effects.lastScreen?.id == .error(.outOfService))
        #expect(h.state == .idle)
        #expect(!effects.clearsSession)
    }

    @Test("a card taken away while a page is open changes nothing")
    func removalOnTheBoard() {
        var h = Harness()
        h.press(.boardPage(.bidang))
        #expect(h.send(.cardRemoved).isEmpty)
        #expect(h.state == .board(.bidang))
    }
}

// MARK: - Periksa Surat

@Suite("KioskStateMachine: Periksa Surat in maintenance")
struct KioskLetterCheckTests {
    /// Types `text` on the letter-number keypad, turning its page whenever the next key is on the other one.
    static func type(_ text: String, into h: inout Harness) {
        for key in text {
            if !h.screen.characterKeys.contains(where: { $0.id == .character(key) }) { h.press(.otherKeys) }
            #expect(h.screen.characterKeys.contains { $0.id == .character(key) }, "no key \(key)")
            h.press(.character(key))
        }
    }

    static let number = "S-41/007-K2/1809072001/XI/2026"

    @Test("maintenance has Periksa Surat beside the other entries, which stay as they were")
    func theEntry() {
        var h = Harness()
        h.toMaintenance()
        #expect(h.screen.actions.map(\.id) == [.diagnostics, .checkLetter, .exitMaintenance])
        #expect(h.screen.choices.map(\.id) == [.testPrint, .paperRefilled, .toggleService])
        #expect(h.screen.actions[1].label == "Periksa Surat")
    }

    @Test("a number typed on the keypad is looked up, and the answer shows its number, kind and date")
    func typedAndFound() throws {
        var h = Harness()
        h.toMaintenance()
        h.press(.checkLetter)
        #expect(h.state == .letterCheck && h.screen.id == .letterCheck)
        #expect(h.screen.characterKeys.count == 15, "digits, / and -, the page key, Hapus and Periksa")
        Self.type(Self.number, into: &h)
        // Broken after each slash, so it reads beside the keypad of a 7-inch panel.
        #expect(h.screen.lines == ["Ketik nomor surat:", "S-41/", "007-K2/", "1809072001/", "XI/", "2026"])
        let submitted = h.press(.submitLetterNumber)
        let number = try #require(LetterNumber(Self.number))
        #expect(submitted.last == .checkLetter(number))
        #expect(h.screen.lines.first == Teks.CheckLetter.checking)
        #expect(h.press(.character("1")).isEmpty, "no typing while the kiosk looks")
        let answered = h.send(
            .letterChecked(.issued(kindCode: "S-41", on: CalendarDate(year: 2026, month: 11, day: 30)!)))
        let result = try #require(answered.lastScreen)
        #expect(result.id == .letterCheckResult)
        #expect(result.title == "Diterbitkan Kios Ini")
        #expect(
            result.lines == [
                "Nomor: S-41/007-K2/1809072001/XI/2026", "Jenis: Surat Keterangan Domisili",
                "Tanggal: 30 November 2026", "Surat ini diterbitkan oleh kios ini.",
            ])
        // Periksa Lagi: a fresh number; Kembali: maintenance.
        #expect(h.press(.checkLetter).lastScreen?.lines == ["Ketik nomor surat:", "_"])
        #expect(h.press(.back).lastScreen?.id == .maintenance)
        #expect(h.state == .maintenance)
    }

    @Test("an unknown number: not issued by this kiosk; a malformed one: what a number looks like, kept to correct")
    func unknownAndMalformed() throws {
        var h = Harness()
        h.toMaintenance()
        h.press(.checkLetter)
        Self.type("S-41/999/1809072001/XI/2026", into: &h)
        h.press(.submitLetterNumber)
        let unknown = try #require(h.send(.letterChecked(.notIssued)).lastScreen)
        #expect(unknown.title == "Tidak Diterbitkan Kios Ini")
        #expect(unknown.lines.contains("Nomor ini tidak diterbitkan oleh kios ini."))

        h.press(.checkLetter)
        Self.type("S-41/7/XI", into: &h)
        let malformed = h.press(.submitLetterNumber)
        #expect(!malformed.contains { if case .checkLetter = $0 { true } else { false } }, "nothing to look up")
        #expect(malformed.lastScreen?.title == "Nomor Tidak Sah")
        #expect(malformed.lastScreen?.lines.first == "Diketik: S-41/7/XI")
        #expect(malformed.lastScreen?.lines.contains("Contoh: S-41/007/1809072001/XI/2026") == true)
        // Periksa Lagi keeps what was typed, to correct it.
        #expect(h.press(.checkLetter).lastScreen?.lines == ["Ketik nomor surat:", "S-41/", "7/", "XI"])
        h.press(.deleteCharacter)
        #expect(h.screen.lines.last == "X")
    }

    @Test("a keypad alone does it: digits type, Backspace deletes, Enter checks, Escape goes back")
    func keypad() {
        var h = Harness()
        h.toMaintenance()
        h.press(.checkLetter)
        h.key(.digit(4))
        h.key(.digit(2))
        h.key(.backspace)
        #expect(h.screen.lines.last == "4")
        #expect(h.key(.enter).lastScreen?.title == "Nomor Tidak Sah")
        h.key(.escape)
        #expect(h.state == .maintenance)
    }

    @Test("the operator's card taken away, or the time running out, ends maintenance as anywhere in it")
    func removalAndTimeout() {
        var h = Harness()
        h.toMaintenance()
        h.press(.checkLetter)
        let removed = h.send(.cardRemoved)
        #expect(removed.clearsSession && h.state == .idle)
        h.toMaintenance()
        h.press(.checkLetter)
        #expect(h.advanceAndTick(.seconds(285)).lastScreen?.id == .timeoutWarning)
        h.advanceAndTick(.seconds(15))
        #expect(h.state == .idle)
    }

    @Test("the keypad's letters are those a number of this kiosk can hold")
    func letterKeys() {
        #expect(KioskScreens.letterKeys(kindCodes: ["S-41", "500", "SKTM"]) == ["I", "K", "M", "S", "T", "V", "X"])
    }
}

// MARK: - Satisfaction survey

@Suite("KioskStateMachine: the satisfaction survey")
struct KioskSurveyTests {
    static func surveyPolicy(spoken: Bool = false) -> KioskPolicy {
        var policy = Fixtures.policy(spoken: spoken)
        policy.survey = true
        return policy
    }

    @Test("after Selesai, one face counts the service kind and nothing else, and the kiosk is idle again")
    func answer() throws {
        var h = Harness(policy: Self.surveyPolicy(spoken: true))
        h.toDone()
        let asked = h.press(.finish)
        let survey = try #require(asked.lastScreen)
        #expect(survey == KioskScreens.survey())
        #expect(asked.spoken == [Teks.surveyPrompt])
        #expect(h.state == .survey)
        #expect(h.machine.session == nil, "the survey holds nothing of the resident")
        #expect(survey.choices.map(\.label) == ["Sangat Puas", "Puas", "Kurang Puas", "Tidak Puas"])
        #expect(survey.choices.allSatisfy { $0.icon != nil })
        let effects = h.press(.rating(.satisfied))
        #expect(
            effects.first == .recordSurvey(SurveyAnswer(service: Fixtures.issued.number.kindCode, rating: .satisfied)))
        #expect(effects.lastScreen == KioskScreens.idle(health: Health()))
        #expect(h.state == .idle)
        // The answer carries no card, NIK or record: only these two fields exist.
        #expect(
            Mirror(reflecting: SurveyAnswer(service: "S-41", rating: .satisfied)).children.map(\.label) == [
                "service", "rating",
            ])
    }

    @Test("a keypad answers with its digits, best face first")
    func keypad() {
        var h = Harness(policy: Self.surveyPolicy())
        h.toDone()
        h.key(.enter)
        #expect(h.state == .survey)
        #expect(h.key(.digit(4)).first == .recordSurvey(SurveyAnswer(service: "S-41", rating: .veryDissatisfied)))
    }

    @Test("Lewati, a timeout, or the next card record nothing")
    func skipped() {
        var h = Harness(policy: Self.surveyPolicy())
        h.toDone()
        h.press(.finish)
        #expect(h.press(.cancel) == [.show(KioskScreens.idle(health: Health()))])

        h.toDone()
        h.press(.finish)
        #expect(h.machine.nextWakeUp == h.at(20))
        #expect(h.advanceAndTick(.seconds(19)).isEmpty)
        #expect(h.advanceAndTick(.seconds(1)) == [.show(KioskScreens.idle(health: Health()))])
        #expect(h.state == .idle)

        h.toDone()
        h.press(.finish)
        let next = h.insert()
        #expect(h.state == .readingCard && !next.contains { if case .recordSurvey = $0 { true } else { false } })
        #expect(!h.log.contains { if case .recordSurvey = $0 { true } else { false } })
    }

    @Test("taking the card on the done screen leads to the survey, which stays when the card is gone")
    func cardTaken() {
        var h = Harness(policy: Self.surveyPolicy())
        h.toDone()
        #expect(h.send(.cardRemoved).lastScreen?.id == .survey)
        #expect(h.send(.cardRemoved).isEmpty)
        #expect(h.state == .survey)
    }

    @Test("off by default; a done screen that times out and a failed print never ask")
    func notAsked() {
        var off = Harness()
        off.toDone()
        #expect(off.press(.finish).lastScreen == KioskScreens.idle(health: Health()))

        var h = Harness(policy: Self.surveyPolicy())
        h.toDone()
        h.advanceAndTick(.seconds(10))
        #expect(h.state == .idle)
        h.toPrinting(issued: true)
        h.send(.printFinished(.failed(.paperOut)))
        #expect(h.press(.finish).lastScreen?.id != .survey)
    }
}
