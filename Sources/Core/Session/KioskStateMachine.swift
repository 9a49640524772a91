/// The kiosk's behaviour, pure: feed it events, perform the effects it returns.
///
/// A value type with the clock passed in, in the shape of Hummingbird's `HTTP2ServerConnectionManager` state
/// machine: each state is named after the screen the resident sees and carries the data that screen and its next
/// steps need, so a handler matches the state it acts in and finds its data there (a resident's personal data lives
/// in the states of their session and nowhere else). It never sleeps: the runtime asks `nextWakeUp` and sends
/// `.tick` then, so an idle kiosk has no timer at all.
public struct KioskStateMachine<C: Clock>: Sendable where C.Duration == Duration {
    /// Where the kiosk is, named after the screen shown, with what that screen and its next steps need.
    public enum State: Hashable, Sendable, CustomStringConvertible {
        case idle
        /// A card was presented; the registry is asked who it is (the reading screen).
        case readingCard(Card)
        /// The resident types their PIN; `checking` while the registry checks it.
        case pinEntry(Identified, pin: PIN, checking: Bool)
        /// The PIN was right; the kiosk looks for letters prepared elsewhere for the resident (the PIN screen stays).
        case findingPickups(Identified)
        /// "Surat Siap Diambil": the resident's prepared letters, one page at a time, with what just happened.
        case pickups(Identified, letters: [PickupLetter], page: Int, notice: String?)
        /// A prepared letter claimed, recorded and printing. It finishes even if the card leaves.
        case collecting(Collecting)
        /// The letters the resident may ask for, one page at a time.
        case menu(Identified, page: Int)
        /// The purposes (keperluan) of the chosen letter, one page at a time.
        case purpose(Identified, letter: LetterKind, page: Int)
        /// The complete request, waiting for "Cetak".
        case confirm(Identified, letter: LetterKind, purpose: String)
        /// The confirmed request: numbered and recorded once `issued` is set, then printed. It finishes even if the
        /// card leaves.
        case printing(Printing)
        /// "Ambil surat Anda": the session's data is gone already.
        case done(draft: Bool)
        case error(KioskError)
        /// An operator's card was tapped: the operator types their own PIN; `checking` while the registry checks
        /// it. A card UID can be cloned, so the card alone never opens maintenance.
        case operatorPIN(CardUID, pin: PIN, checking: Bool)
        /// An operator's card and PIN opened maintenance (or its diagnostics screen).
        case maintenance(operatorCard: CardUID)
        /// A page of the village board in detail, opened by touching the board on the idle screen: no card, no
        /// session; a card tapped now is read at once, as on idle.
        case board(BoardPanel.Page)
        /// Maintenance's "Periksa Surat": the operator types a letter number and learns whether this kiosk issued it.
        case letterCheck(operatorCard: CardUID, LetterEntry)
        /// "Bagaimana pelayanan kami?" after a service of kind `service` (a letter code); nothing personal.
        case survey(service: String)
        /// "Ambil Nomor Antrean": `who` tapped a card and typed the PIN, `nil` for a visitor without a card.
        case queueServices(Identified?)
        /// The ticket asked for is recorded and printing. It finishes even if the card leaves.
        case queueTaking(QueueRequest)
        /// The number taken; `notPrinted` when the slip failed and the screen is what the resident has.
        case queueTicket(QueueTicket, notPrinted: PrinterProblem?)

        /// The state's name, as logs may show it: never any of its data.
        public var description: String {
            switch self {
            case .idle: "idle"
            case .readingCard: "readingCard"
            case .pinEntry: "pinEntry"
            case .operatorPIN: "operatorPIN"
            case .findingPickups: "findingPickups"
            case .pickups: "pickups"
            case .collecting: "collecting"
            case .menu: "menu"
            case .purpose: "purpose"
            case .confirm: "confirm"
            case .printing: "printing"
            case .done: "done"
            case .error(let error): "error-\(error.name)"
            case .maintenance: "maintenance"
            case .board: "board"
            case .letterCheck: "letterCheck"
            case .survey: "survey"
            case .queueServices: "queueServices"
            case .queueTaking: "queueTaking"
            case .queueTicket: "queueTicket"
            }
        }
    }

    /// A card presented: its UID, and in identity mode `chip` what its chip said.
    public struct Card: Hashable, Sendable {
        public var uid: CardUID
        public var chip: KioskEvent.Chip?
    }

    /// A resident the registry named for the card presented (in chip mode: the chip, and the registry agreed).
    public struct Identified: Hashable, Sendable {
        public var card: CardUID
        public var resident: Resident
    }

    /// A confirmed request on its way to paper.
    public struct Printing: Hashable, Sendable {
        /// Fixed when the resident confirmed; printed even if the card leaves meanwhile.
        public var request: LetterRequest
        public var issued: IssuedLetter?
        /// 0-100, never going back.
        public var progress: Int
    }

    /// A prepared letter on its way to paper, and the list to come back to.
    public struct Collecting: Hashable, Sendable {
        public var who: Identified
        public var letters: [PickupLetter]
        public var index: Int
        public var progress: Int
        /// The card left while it printed: the session ends when printing does.
        public var cardLeft: Bool
    }

    /// When the current state gives up, and whether it warns first.
    struct Deadline: Sendable {
        var at: C.Instant
        /// When the timeout warning shows; `nil` for states without one.
        var warningAt: C.Instant?
        /// The seconds the warning's countdown shows now; `nil` until the warning is up.
        var countdown: Int?
    }

    public private(set) var state: State = .idle
    public private(set) var health = Health()
    /// The screen shown now: to map keys and presses to its buttons, and to come back after a timeout warning.
    public private(set) var screen: Screen

    let clock: C
    let policy: KioskPolicy
    let letters: [LetterKind]
    private var deadline: Deadline?
    /// Cards locked out after too many wrong PINs: kept across sessions, so re-tapping does not reset the count.
    private var lockouts: [CardUID: C.Instant] = [:]
    /// Wrong PINs per card, kept across sessions for `lockout` after the last one: taking the card away and
    /// tapping again does not buy fresh attempts (OpenSID's per-session counter could be bypassed that way).
    private var pinFailures: [CardUID: (count: Int, last: C.Instant)] = [:]
    /// What the maintenance screen says about the operator's last action (a test print's outcome, the printer's
    /// answer); forgotten when maintenance is left.
    private var maintenanceNote: String?
    /// A test print or a printer check is under way: another press waits for its answer rather than print twice.
    private var printerActionRunning = false
    /// The kind of the letter just printed, for the survey after "Selesai"; the only thing of the session kept.
    private var surveyService: String?

    /// `health` is what the kiosk knew when it stopped last (an operator's stop, the printer's last problem).
    public init(policy: KioskPolicy, catalogue: LetterCatalogue, clock: C, health: Health = Health()) {
        self.policy = policy
        self.letters = catalogue.selfService
        self.clock = clock
        self.health = health
        self.screen = KioskScreens.idle(health: health, queue: policy.queueWithoutCard && !policy.queueServices.isEmpty)
    }

    /// When the runtime should send `.tick`; `nil` when nothing is waiting on time.
    public var nextWakeUp: C.Instant? {
        guard let deadline else { return nil }
        // Under the warning the countdown steps once a second, until the deadline.
        if let countdown = deadline.countdown {
            return countdown > 1 ? deadline.at.advanced(by: .seconds(-(countdown - 1))) : deadline.at
        }
        if let warningAt = deadline.warningAt { return min(warningAt, deadline.at) }
        return deadline.at
    }

    /// The effects to show the current screen again (after a VT switch, or at start-up).
    public var currentScreenEffects: [KioskEffect] { [.show(screen)] }

    public mutating func handle(_ event: KioskEvent) -> [KioskEffect] {
        let now = clock.now
        switch event {
        case .tick:
            return tick(now: now)
        case .ticketTaken(let outcome):
            guard case .queueTaking(let request) = state else { return [] }
            // The ticket is recorded (or not): the resident's data, if a card was tapped, goes now.
            let cleared: [KioskEffect] = request.resident != nil ? [.clearSession] : []
            switch outcome {
            case .printed(let ticket): return cleared + enter(.queueTicket(ticket, notPrinted: nil), now: now)
            case .notPrinted(let ticket, let problem):
                return cleared + enter(.queueTicket(ticket, notPrinted: problem), now: now)
            case .notTaken(let problem):
                if problem == .diskFull { health.diskFull = true }
                return cleared + enter(.error(problem == .diskFull ? .diskFull : .storageFailed), now: now)
            }
        case .cardPresented(let uid, let chip):
            // One card at a time: a second card in the field changes nothing.
            guard acceptsCard else { return [] }
            lockouts = lockouts.filter { $0.value > now }
            pinFailures = pinFailures.filter { $0.value.last.advanced(by: policy.lockout) > now }
            if lockouts[uid] != nil { return fail(.locked, now: now) }
            return enter(.readingCard(Card(uid: uid, chip: chip)), now: now) + [.lookUp(uid)]
        case .cardUnreadable:
            guard acceptsCard else { return [] }
            return fail(.cardUnreadable, now: now)
        case .lookedUp(let lookup):
            guard case .readingCard(let card) = state else { return [] }
            return lookedUp(lookup, card: card, now: now)
        case .pinChecked(let check):
            switch state {
            case .pinEntry(let who, _, checking: true):
                guard policy.collectsLetters, check == .accepted else {
                    return pinChecked(check, card: who.card, unlocks: .menu(who, page: 0), now: now)
                }
                // The PIN screen stays while the store looks for prepared letters (milliseconds, from SQLite).
                pinFailures[who.card] = nil
                state = .findingPickups(who)
                armTimer(now: now)
                return [.findPickups(who.resident, who.card)]
            case .operatorPIN(let card, _, checking: true):
                return pinChecked(check, card: card, unlocks: .maintenance(operatorCard: card), now: now)
            default:
                return []
            }
        case .cardRemoved:
            return cardRemoved(now: now)
        case .key(let key):
            guard let button = button(for: key) else { return [] }
            return press(button, now: now)
        case .press(.boardPage(let page)):
            // The board is drawn on the idle screen only (the presenter hit-tests it): not under an error screen.
            guard case .idle = state, screen.id == .idle else { return [] }
            return enter(.board(page), now: now)
        case .press(let button):
            // A press counts only for a button on the screen the resident sees.
            guard screen.buttons.contains(where: { $0.id == button }) else { return [] }
            return press(button, now: now)
        case .letterIssued(let issued):
            guard case .printing(var printing) = state, printing.issued == nil else { return [] }
            printing.issued = issued
            printing.progress = 5
            state = .printing(printing)
            armTimer(now: now)  // the print limit counts from the last sign of life
            return show(KioskScreens.printing(progress: 5, number: issued.number)) + [.print(printing.request, issued)]
        case .issueFailed(let problem):
            guard case .printing(let printing) = state, printing.issued == nil else { return [] }
            if problem == .diskFull { health.diskFull = true }
            return fail(problem == .diskFull ? .diskFull : .storageFailed, now: now)
        case .printProgress(let percent):
            if case .collecting(var collecting) = state {
                collecting.progress = min(100, max(collecting.progress, percent))
                state = .collecting(collecting)
                armTimer(now: now)
                return show(
                    KioskScreens.collecting(
                        progress: collecting.progress, number: collecting.letters[collecting.index].number))
            }
            guard case .printing(var printing) = state, let issued = printing.issued else { return [] }
            printing.progress = min(100, max(printing.progress, percent))
            state = .printing(printing)
            armTimer(now: now)
            return show(KioskScreens.printing(progress: printing.progress, number: issued.number))
        case .printFinished(let outcome):
            guard case .printing(let printing) = state, printing.issued != nil else { return [] }
            switch outcome {
            case .printed, .pending:
                // The letter is out: the personal data goes now, the resident still sees "take your letter".
                let effects = [.clearSession] + enter(.done(draft: printing.request.kind.issueMode != .final), now: now)
                surveyService = printing.request.kind.code
                return effects
            case .failed(let problem):
                health.printerProblem = problem
                return fail(.printer(problem), now: now)
            }
        case .pickupsFound(let letters):
            guard case .findingPickups(let who) = state else { return [] }
            // Only letters still waiting bring the list up; collected ones are shown beside them, never alone.
            guard letters.contains(where: \.isWaiting) else { return enter(.menu(who, page: 0), now: now) }
            return enter(.pickups(who, letters: letters, page: 0, notice: nil), now: now)
        case .pickupFinished(let outcome):
            guard case .collecting(let collecting) = state else { return [] }
            return pickupFinished(outcome, collecting, now: now)
        case .letterChecked(let check):
            guard case .letterCheck(let card, var entry) = state, entry.checking else { return [] }
            entry.checking = false
            entry.result = check
            state = .letterCheck(operatorCard: card, entry)
            armTimer(now: now)
            return show(screen(for: state))
        case .diskChecked(let hasRoom):
            guard health.diskFull == hasRoom else { return [] }
            var newHealth = health
            newHealth.diskFull = !hasRoom
            return handle(.healthChanged(newHealth))
        case .healthChanged(let newHealth):
            health = newHealth
            // A kiosk that can no longer serve says so at once, not after the board's page times out.
            if case .board = state, health.blockingError != nil { return leaveToIdle(now: now) }
            return showHealth()
        case .testPrinted(let result):
            printerActionRunning = false
            guard case .maintenance = state else { return [] }
            maintenanceNote = Teks.testPrinted(letter: result.letter, slip: result.slip)
            return showHealth()
        case .printerChecked(let check):
            printerActionRunning = false
            // Only the printer's own answer (or, from one that cannot answer, a test print that printed) clears a
            // problem; an answer with one keeps (or sets) it.
            health.printerProblem = check.problem
            if case .maintenance = state {
                maintenanceNote = Teks.printerChecked(check)
            }
            return showHealth()
        }
    }

    /// Redraws the screens that show the kiosk's health (idle, maintenance) after it changed.
    private mutating func showHealth() -> [KioskEffect] {
        switch state {
        case .idle: return show(KioskScreens.idle(health: health, queue: offersQueueWithoutCard))
        // Under a timeout warning the warning stays; `.extendTime` brings the screen back with the new health.
        case .maintenance: return isWarning || screen.id == .diagnostics ? [] : show(screen(for: state))
        default: return []
        }
    }

    // MARK: - Transitions

    private mutating func lookedUp(_ lookup: KioskEvent.Lookup, card: Card, now: C.Instant) -> [KioskEffect] {
        switch lookup {
        case .operatorCard:
            // Maintenance only with the operator's own PIN, in every mode.
            return enter(.operatorPIN(card.uid, pin: PIN(digits: []), checking: false), now: now)
        case .locked:
            return fail(.locked, now: now)
        case .failed:
            // The registry could not say who this is: nobody is served on a guess, whatever the chip says.
            return fail(.storageFailed, now: now)
        case .unknownCard:
            return fail(.unknownCard, now: now)
        case .resident(let registered):
            var resident = registered
            if policy.identityMode == .chip {
                // The chip must name the card's registered holder: a card programmed with someone else's biodata, or
                // an unregistered card with any, serves nobody.
                switch card.chip {
                case .resident(let holder) where holder.nik == registered.nik: resident = holder
                case .resident, nil: return fail(.unknownCard, now: now)
                case .unreadable: return fail(.cardUnreadable, now: now)
                }
                resident.cardTag = registered.cardTag
            }
            if let blocking = health.blockingError { return fail(blocking, now: now) }
            if letters.isEmpty { return fail(.outOfService, now: now) }
            let who = Identified(card: card.uid, resident: resident)
            return enter(
                policy.asksPIN ? .pinEntry(who, pin: PIN(digits: []), checking: false) : .menu(who, page: 0), now: now)
        }
    }

    /// The registry's verdict on the PIN of `card` (a resident's or an operator's): a right one opens `unlocks`.
    private mutating func pinChecked(_ check: KioskEvent.PINCheck, card: CardUID, unlocks: State, now: C.Instant)
        -> [KioskEffect]
    {
        switch check {
        case .accepted:
            pinFailures[card] = nil
            return enter(unlocks, now: now)
        case .locked:
            return fail(.locked, now: now)
        case .rejected:
            let wrong = (pinFailures[card]?.count ?? 0) + 1
            pinFailures[card] = (wrong, now)
            if wrong >= policy.pinAttempts {
                pinFailures[card] = nil
                lockouts[card] = now.advanced(by: policy.lockout)
                return fail(.locked, now: now)
            }
            setTypedPIN(PIN(digits: []), checking: false)
            // The resident may type again: a timeout warning shown while the PIN was checked would block the pad.
            armTimer(now: now)
            return show(
                KioskScreens.pinEntry(
                    entered: 0, length: policy.pinLength,
                    message: Teks.pinWrong(remaining: policy.pinAttempts - wrong)))
        }
    }

    /// A prepared letter's collection ended: back to the list with what happened, or the printer's error screen.
    private mutating func pickupFinished(_ outcome: PickupOutcome, _ collecting: Collecting, now: C.Instant)
        -> [KioskEffect]
    {
        var letters = collecting.letters
        let notice: String
        switch outcome {
        case .printed(let day):
            letters[collecting.index].collectedOn = day
            notice = Teks.pickupPrinted
        case .alreadyCollected(let day):
            letters[collecting.index].collectedOn = day ?? letters[collecting.index].collectedOn
            notice = Teks.pickupAlreadyCollected(day.map(IndonesianDate.long))
        case .failed(let problem):
            health.printerProblem = problem
            return fail(.printer(problem), now: now)
        case .notRecorded(let problem):
            if problem == .diskFull { health.diskFull = true }
            return fail(problem == .diskFull ? .diskFull : .storageFailed, now: now)
        }
        if collecting.cardLeft {
            return [.clearSession] + enter(.done(draft: false), now: now)
        }
        return enter(
            .pickups(collecting.who, letters: letters, page: collecting.index / pageSize, notice: notice), now: now)
    }

    private mutating func cardRemoved(now: C.Instant) -> [KioskEffect] {
        switch state {
        case .idle, .board:
            // No session to end (a card left lying on the reader since the last one was taken away).
            return []
        case .collecting(var collecting):
            // Claimed, recorded and printing: it finishes, and the session ends with it.
            collecting.cardLeft = true
            state = .collecting(collecting)
            return []
        case .done where policy.survey && surveyService != nil:
            // The resident took the card, as the done screen asks: their service is over, the survey follows.
            return enter(.survey(service: surveyService ?? ""), now: now)
        case .survey, .queueServices(.none), .queueTicket:
            // The card leaves before the survey is answered, as it should; a visitor without a card, or with their
            // ticket, has no session the card holds.
            return []
        case .queueTaking:
            // Recorded and printing: it finishes, and the screen then holds nothing of the resident.
            return []
        case .printing:
            // The letter is numbered and recorded and its pages are on their way: finish it. The printing screen
            // shows no personal data, and the session is cleared the moment printing ends.
            return []
        default:
            return leaveToIdle(now: now)
        }
    }

    private mutating func press(_ button: ButtonID, now: C.Instant) -> [KioskEffect] {
        if isWarning {
            switch button {
            case .extendTime:
                armTimer(now: now)
                return show(screen(for: state))
            case .endSession, .cancel:
                return leaveToIdle(now: now)
            default:
                return []
            }
        }
        switch (state, button) {
        case (.pickups(let who, _, _, _), .continueToMenu):
            return enter(.menu(who, page: 0), now: now)
        case (.pickups(let who, let letters, _, _), .pickup(let index)):
            guard letters.indices.contains(index) else { return [] }
            let letter = letters[index]
            guard letter.isWaiting else {
                // Collected before: it says so and prints nothing.
                return enter(
                    .pickups(
                        who, letters: letters, page: index / pageSize,
                        notice: Teks.pickupAlreadyCollected(letter.collectedOn.map(IndonesianDate.long))), now: now)
            }
            return enter(
                .collecting(Collecting(who: who, letters: letters, index: index, progress: 0, cardLeft: false)),
                now: now) + [.collect(letter, who.resident, who.card)]
        case (.pickups(let who, let letters, let page, let notice), .nextPage),
            (.pickups(let who, let letters, let page, let notice), .previousPage):
            let next = page + (button == .nextPage ? 1 : -1)
            guard (0..<pageCount(choices: letters.count)).contains(next) else { return [] }
            return enter(.pickups(who, letters: letters, page: next, notice: notice), now: now)

        case (.done, .finish) where policy.survey && surveyService != nil:
            return enter(.survey(service: surveyService ?? ""), now: now)
        case (.survey(let service), .rating(let rating)):
            return [.recordSurvey(SurveyAnswer(service: service, rating: rating))] + leaveToIdle(now: now)
        case (.survey, .cancel):
            return leaveToIdle(now: now)
        case (.idle, .openQueue) where policy.queueWithoutCard && !policy.queueServices.isEmpty:
            return enter(.queueServices(.none), now: now)
        case (.menu(let who, _), .openQueue) where !policy.queueServices.isEmpty:
            return enter(.queueServices(who), now: now)
        case (.queueServices(let who), .queueService(let code)):
            guard let service = policy.queueServices.first(where: { $0.code == code }) else { return [] }
            let request = QueueRequest(service: service, resident: who?.resident)
            return enter(.queueTaking(request), now: now) + [.takeTicket(request)]
        case (.queueServices(let who?), .back):
            return enter(.menu(who, page: 0), now: now)
        case (.queueServices, .cancel), (.queueTicket, .finish):
            return leaveToIdle(now: now)
        case (.pinEntry, .cancel), (.operatorPIN, .cancel), (.pickups, .cancel), (.menu, .cancel), (.purpose, .cancel),
            (.confirm, .cancel), (.done, .finish), (.error, .finish), (.maintenance, .exitMaintenance), (.board, .back):
            return leaveToIdle(now: now)

        case (.pinEntry, .pinDigit(let digit)), (.operatorPIN, .pinDigit(let digit)):
            guard let (pin, checking) = typedPIN, !checking, pin.digits.count < policy.pinLength else { return [] }
            let typed = PIN(digits: pin.digits + [UInt8(digit)])
            setTypedPIN(typed, checking: false)
            armTimer(now: now)
            if typed.digits.count == policy.pinLength { return submitPIN() }
            return show(KioskScreens.pinEntry(entered: typed.digits.count, length: policy.pinLength))
        case (.pinEntry, .pinDelete), (.operatorPIN, .pinDelete):
            guard let (pin, checking) = typedPIN, !checking, !pin.digits.isEmpty else { return [] }
            let typed = PIN(digits: Array(pin.digits.dropLast()))
            setTypedPIN(typed, checking: false)
            armTimer(now: now)
            return show(KioskScreens.pinEntry(entered: typed.digits.count, length: policy.pinLength))
        case (.pinEntry, .pinSubmit), (.operatorPIN, .pinSubmit):
            guard let (pin, checking) = typedPIN, !checking, pin.digits.count == policy.pinLength else { return [] }
            return submitPIN()

        case (.menu(let who, _), .letter(let code)):
            guard let kind = letters.first(where: { $0.code == code }) else { return [] }
            if kind.purposes.count == 1 {
                return enter(.confirm(who, letter: kind, purpose: kind.purposes[0]), now: now)
            }
            return enter(.purpose(who, letter: kind, page: 0), now: now)
        case (.menu(let who, let page), .nextPage), (.menu(let who, let page), .previousPage):
            let next = page + (button == .nextPage ? 1 : -1)
            guard (0..<pageCount(choices: letters.count)).contains(next) else { return [] }
            return enter(.menu(who, page: next), now: now)
        case (.purpose(let who, let letter, let page), .nextPage),
            (.purpose(let who, let letter, let page), .previousPage):
            let next = page + (button == .nextPage ? 1 : -1)
            guard (0..<pageCount(choices: letter.purposes.count)).contains(next) else { return [] }
            return enter(.purpose(who, letter: letter, page: next), now: now)

        case (.purpose(let who, let letter, _), .purpose(let index)):
            guard letter.purposes.indices.contains(index) else { return [] }
            return enter(.confirm(who, letter: letter, purpose: letter.purposes[index]), now: now)
        case (.purpose(let who, _, _), .back):
            return enter(.menu(who, page: 0), now: now)

        case (.confirm(let who, let letter, _), .back):
            if letter.purposes.count == 1 { return enter(.menu(who, page: 0), now: now) }
            return enter(.purpose(who, letter: letter, page: 0), now: now)
        case (.confirm(let who, let letter, let purpose), .confirm):
            let request = LetterRequest(kind: letter, purpose: purpose, resident: who.resident, card: who.card)
            return enter(.printing(Printing(request: request, issued: nil, progress: 0)), now: now)
                + [.issue(request)]

        case (.maintenance, .diagnostics):
            armTimer(now: now)
            return show(KioskScreens.diagnostics())
        case (.maintenance, .back) where screen.id == .diagnostics:
            armTimer(now: now)
            return show(screen(for: state))
        case (.maintenance(let card), .checkLetter):
            return enter(.letterCheck(operatorCard: card, LetterEntry()), now: now)
        case (.letterCheck(let card, let entry), _):
            return letterCheck(button, card: card, entry: entry, now: now)
        case (.maintenance, .testPrint):
            armTimer(now: now)
            guard !printerActionRunning else { return [] }
            printerActionRunning = true
            maintenanceNote = Teks.testPrinting
            return show(screen(for: state)) + [.testPrint]
        case (.maintenance, .paperRefilled):
            // The problem stays until the printer itself says it is ready, or one that cannot say prints a test
            // (`.printerChecked`).
            armTimer(now: now)
            guard !printerActionRunning else { return [] }
            printerActionRunning = true
            maintenanceNote = Teks.printerChecking
            return show(screen(for: state)) + [.checkPrinter]
        case (.maintenance(let card), .toggleService):
            armTimer(now: now)
            health.outOfService.toggle()
            maintenanceNote = nil
            return show(screen(for: state)) + [.setOutOfService(health.outOfService, by: card)]

        default:
            return []
        }
    }

    /// A press on "Periksa Surat": keys type the number, Periksa looks it up (a number that does not parse is
    /// answered at once), Kembali goes back to maintenance; on the answer, Periksa Lagi types another number (or
    /// corrects a malformed one).
    private mutating func letterCheck(_ button: ButtonID, card: CardUID, entry: LetterEntry, now: C.Instant)
        -> [KioskEffect]
    {
        var entry = entry
        var effects: [KioskEffect] = []
        switch button {
        case .back:
            return enter(.maintenance(operatorCard: card), now: now)
        case .checkLetter where entry.result != nil:
            entry = LetterEntry(typed: entry.result == .malformed ? entry.typed : "")
        case .character(let character) where entry.result == nil && !entry.checking:
            guard entry.typed.count < LetterEntry.maximumLength else { return [] }
            entry.typed.append(character)
        case .deleteCharacter where entry.result == nil && !entry.checking:
            guard !entry.typed.isEmpty else { return [] }
            entry.typed.removeLast()
        case .otherKeys where entry.result == nil:
            entry.letterPage.toggle()
        case .submitLetterNumber where entry.result == nil && !entry.checking:
            guard !entry.typed.isEmpty else { return [] }
            if let number = LetterNumber(entry.typed) {
                entry.checking = true
                effects = [.checkLetter(number)]
            } else {
                entry.result = .malformed
            }
        default:
            return []
        }
        state = .letterCheck(operatorCard: card, entry)
        armTimer(now: now)
        return show(screen(for: state)) + effects
    }

    private mutating func submitPIN() -> [KioskEffect] {
        guard let (pin, _) = typedPIN, let card = pinCard else { return [] }
        setTypedPIN(pin, checking: true)
        return show(
            KioskScreens.pinEntry(entered: pin.digits.count, length: policy.pinLength, message: Teks.pinChecking))
            + [.verifyPIN(card, pin)]
    }

    /// The PIN typed so far and whether the registry is checking it, in the two states that take a PIN.
    private var typedPIN: (pin: PIN, checking: Bool)? {
        switch state {
        case .pinEntry(_, let pin, let checking), .operatorPIN(_, let pin, let checking): (pin, checking)
        default: nil
        }
    }

    /// The card whose PIN is typed.
    private var pinCard: CardUID? {
        switch state {
        case .pinEntry(let who, _, _): who.card
        case .operatorPIN(let card, _, _): card
        default: nil
        }
    }

    private mutating func setTypedPIN(_ pin: PIN, checking: Bool) {
        switch state {
        case .pinEntry(let who, _, _): state = .pinEntry(who, pin: pin, checking: checking)
        case .operatorPIN(let card, _, _): state = .operatorPIN(card, pin: pin, checking: checking)
        default: break
        }
    }

    private mutating func tick(now: C.Instant) -> [KioskEffect] {
        guard let deadline else { return [] }
        if now >= deadline.at {
            switch state {
            case .readingCard: return fail(.storageFailed, now: now)
            // The store did not answer: prepared letters never hold up the menu.
            case .findingPickups(let who): return enter(.menu(who, page: 0), now: now)
            case .printing, .collecting, .queueTaking:
                // The printer never reported back: say so rather than wait forever.
                health.printerProblem = .unknown
                return fail(.printer(.unknown), now: now)
            default: return leaveToIdle(now: now)
            }
        }
        let left = now.duration(to: deadline.at).secondsRoundedUp
        if let warningAt = deadline.warningAt, now >= warningAt, deadline.countdown == nil {
            self.deadline?.countdown = left
            return show(KioskScreens.timeoutWarning(secondsLeft: left))
        }
        if let countdown = deadline.countdown, left != countdown {
            // Only the countdown changed: shown, not spoken again.
            self.deadline?.countdown = left
            screen = KioskScreens.timeoutWarning(secondsLeft: left)
            return [.show(screen)]
        }
        return []
    }

    // MARK: - Entering states

    private mutating func enter(_ next: State, now: C.Instant) -> [KioskEffect] {
        if case .maintenance = next {} else { maintenanceNote = nil }
        if case .done = next {} else { surveyService = nil }
        state = next
        armTimer(now: now)
        return show(screen(for: next))
    }

    private mutating func fail(_ error: KioskError, now: C.Instant) -> [KioskEffect] {
        let cleared: [KioskEffect] = holdsSession ? [.clearSession] : []
        return cleared + enter(.error(error), now: now)
    }

    private mutating func leaveToIdle(now: C.Instant) -> [KioskEffect] {
        let cleared: [KioskEffect] = holdsSession ? [.clearSession] : []
        return cleared + enter(.idle, now: now)
    }

    private mutating func show(_ next: Screen) -> [KioskEffect] {
        // One prompt per screen: a screen that changes in place with the same prompt (a PIN digit, printing
        // progress) is not spoken again, which would restart the sentence at every step.
        let newPrompt = next.id != screen.id || next.prompt != screen.prompt
        screen = next
        let spoken: [KioskEffect] = policy.spokenPrompts && newPrompt ? [.speak(next.prompt)] : []
        return [.show(next)] + spoken
    }

    /// Starts the current state's time limit over (and its warning, for the states that warn).
    private mutating func armTimer(now: C.Instant) {
        let (timeout, warns): (Duration?, Bool) =
            switch state {
            case .idle: (nil, false)
            case .readingCard, .findingPickups: (policy.lookupTimeout, false)
            case .pinEntry, .operatorPIN, .pickups, .menu, .purpose, .confirm, .queueServices:
                (policy.inactivityTimeout, true)
            case .printing, .collecting, .queueTaking: (policy.printTimeout, false)
            case .done, .queueTicket(_, notPrinted: .none): (policy.doneDisplay, false)
            // A number not printed stays up long enough to be written down.
            case .queueTicket: (policy.inactivityTimeout, false)
            case .error: (policy.errorDisplay, false)
            case .maintenance, .letterCheck: (policy.maintenanceTimeout, true)
            // Nothing is lost when the board goes: back to idle without a warning.
            case .board: (policy.inactivityTimeout, false)
            // No warning: a timeout records nothing and the kiosk is ready for the next resident.
            case .survey: (policy.surveyTimeout, false)
            }
        deadline = timeout.map { timeout in
            Deadline(
                at: now.advanced(by: timeout),
                warningAt: warns ? now.advanced(by: timeout - policy.timeoutWarning) : nil)
        }
    }

    // MARK: - Derived

    /// Whether a card presented now starts a session: only when none runs.
    private var acceptsCard: Bool {
        switch state {
        case .idle, .done, .error, .board, .survey, .queueTicket: true
        default: false
        }
    }

    /// Whether the state holds a session's card or personal data, which leaving it clears.
    var holdsSession: Bool {
        switch state {
        case .idle, .done, .error, .board, .survey, .queueServices(.none), .queueTicket: false
        case .queueTaking(let request): request.resident != nil
        default: true
        }
    }

    /// Whether idle offers a queue number to a visitor without a card.
    private var offersQueueWithoutCard: Bool { policy.queueWithoutCard && !policy.queueServices.isEmpty }

    /// Whether the timeout warning is up.
    private var isWarning: Bool { deadline?.countdown != nil }

    private var pageSize: Int { max(1, policy.menuPageSize) }

    private func pageCount(choices: Int) -> Int { max(1, (choices + pageSize - 1) / pageSize) }

    /// One page of a list, with its first index and the page count.
    private func page<T>(_ page: Int, of items: [T]) -> (items: [T], first: Int, page: Int, pages: Int) {
        let pages = pageCount(choices: items.count)
        let page = min(page, pages - 1)
        let start = page * pageSize
        return (Array(items[start..<min(items.count, start + pageSize)]), start, page, pages)
    }

    private func screen(for state: State) -> Screen {
        switch state {
        case .idle: return KioskScreens.idle(health: health, queue: offersQueueWithoutCard)
        case .readingCard: return KioskScreens.readingCard()
        case .pinEntry(_, let pin, _), .operatorPIN(_, let pin, _):
            return KioskScreens.pinEntry(entered: pin.digits.count, length: policy.pinLength)
        // The PIN screen ("Memeriksa PIN...") stays while the store answers, a few milliseconds.
        case .findingPickups: return screen
        case .pickups(let who, let letters, let page, let notice):
            let shown = self.page(page, of: Array(letters.enumerated()))
            return KioskScreens.pickups(
                letters: shown.items, page: shown.page, pages: shown.pages, residentName: who.resident.name,
                notice: notice)
        case .collecting(let collecting):
            return KioskScreens.collecting(
                progress: collecting.progress, number: collecting.letters[collecting.index].number)
        case .menu(let who, let page):
            let shown = self.page(page, of: letters)
            return KioskScreens.menu(
                letters: shown.items, page: shown.page, pages: shown.pages, residentName: who.resident.name,
                queue: !policy.queueServices.isEmpty)
        case .purpose(_, let letter, let page):
            let shown = self.page(page, of: Array(letter.purposes.enumerated()))
            return KioskScreens.purpose(
                letter: letter.title, purposes: shown.items, page: shown.page, pages: shown.pages)
        case .confirm(let who, let letter, let purpose):
            return KioskScreens.confirm(letter: letter, resident: who.resident, purpose: purpose)
        case .printing(let printing):
            return KioskScreens.printing(progress: printing.progress, number: printing.issued?.number)
        case .done(let draft): return KioskScreens.done(draft: draft, onPaper: policy.lettersOnPaper)
        case .error(let error): return KioskScreens.error(error)
        case .maintenance: return KioskScreens.maintenance(health: health, note: maintenanceNote)
        case .survey: return KioskScreens.survey()
        case .queueServices(let who): return KioskScreens.queueServices(policy.queueServices, withCard: who != nil)
        case .queueTaking: return KioskScreens.queueTaking()
        case .queueTicket(let ticket, let problem): return KioskScreens.queueTicket(ticket, notPrinted: problem)
        case .board(let page): return KioskScreens.boardDetail(page)
        case .letterCheck(_, let entry):
            if let result = entry.result {
                return KioskScreens.letterCheckResult(result, typed: entry.typed) { code in
                    letters.first { $0.code == code }?.title ?? code
                }
            }
            return KioskScreens.letterCheck(
                typed: entry.typed, letterPage: entry.letterPage,
                letters: KioskScreens.letterKeys(kindCodes: letters.map(\.code)), checking: entry.checking)
        }
    }

    /// What a key means on the current screen, so every screen works without touch.
    private func button(for key: KioskEvent.Key) -> ButtonID? {
        let visible = screen.buttons.map(\.id)
        func ifVisible(_ id: ButtonID) -> ButtonID? { visible.contains(id) ? id : nil }
        switch key {
        case .digit(let digit):
            if screen.pinPad != nil { return (0...9).contains(digit) ? .pinDigit(digit) : nil }
            if !screen.characterKeys.isEmpty {
                return (0...9).contains(digit) ? .character(Character(String(digit))) : nil
            }
            // Choices are numbered on screen from 1.
            let choices = screen.choices
            guard digit >= 1, digit <= choices.count else { return nil }
            return choices[digit - 1].id
        case .enter:
            if !screen.characterKeys.isEmpty { return .submitLetterNumber }
            return screen.pinPad != nil ? .pinSubmit : screen.primaryAction?.id
        case .escape:
            return ifVisible(.back) ?? ifVisible(.cancel) ?? ifVisible(.endSession) ?? ifVisible(.exitMaintenance)
                ?? ifVisible(.finish)
        case .backspace:
            if !screen.characterKeys.isEmpty { return .deleteCharacter }
            return screen.pinPad != nil ? .pinDelete : ifVisible(.back)
        case .left, .up:
            return ifVisible(.previousPage)
        case .right, .down:
            return ifVisible(.nextPage)
        }
    }
}
