/// The kiosk's behaviour, pure: feed it events, perform the effects it returns.
///
/// A value type with the clock passed in (Hummingbird's connection state machine is the model). It never sleeps:
/// the runtime asks `nextWakeUp` and sends `.tick` then, so an idle kiosk has no timer at all.
public struct KioskStateMachine<C: Clock>: Sendable where C.Duration == Duration {
    public enum State: Hashable, Sendable {
        case idle
        case readingCard
        /// PIN entry.
        case identifying
        case menu
        /// Choosing the purpose (keperluan).
        case details
        case confirm
        case printing
        case done
        case error(KioskError)
        case maintenance
    }

    /// The resident's session: personal data lives here and nowhere else in Core.
    public struct Session: Hashable, Sendable, CustomStringConvertible {
        public var card: CardUID?
        /// What the card's chip said (identity mode `chip`).
        var chip: KioskEvent.Chip?
        public var resident: Resident?
        var pin: [UInt8] = []
        var awaitingPINCheck = false
        /// The page of choices shown (letters in the menu, purposes in details).
        var page = 0
        public var letter: LetterKind?
        public var purpose: String?
        public var issued: IssuedLetter?
        /// Fixed when the resident confirms; printed even if the card leaves meanwhile.
        var request: LetterRequest?
        var progress = 0

        public var description: String { "Session(letter: \(letter?.code ?? "-"))" }
    }

    public private(set) var state: State = .idle
    public private(set) var session: Session?
    public private(set) var health = Health()
    /// The screen last shown, to map keys to buttons and to come back after a timeout warning.
    public private(set) var screen: Screen

    let clock: C
    let policy: KioskPolicy
    let letters: [LetterKind]
    private var deadline: C.Instant?
    private var warningAt: C.Instant?
    private var warningShown = false
    /// The seconds the timeout warning's countdown shows now.
    private var countdownShown = 0
    private var doneIsDraft = true
    /// Cards locked out after too many wrong PINs: kept across sessions, so re-tapping does not reset the count.
    private var lockouts: [CardUID: C.Instant] = [:]
    /// Wrong PINs per card, kept across sessions for `lockout` after the last one: taking the card away and
    /// tapping again does not buy fresh attempts (OpenSID's per-session counter could be bypassed that way).
    private var pinFailures: [CardUID: (count: Int, last: C.Instant)] = [:]

    public init(policy: KioskPolicy, catalogue: LetterCatalogue, clock: C) {
        self.policy = policy
        self.letters = catalogue.selfService
        self.clock = clock
        self.screen = KioskScreens.idle(health: Health())
    }

    /// When the runtime should send `.tick`; `nil` when nothing is waiting on time.
    public var nextWakeUp: C.Instant? {
        guard let deadline else { return nil }
        if let warningAt, !warningShown { return min(warningAt, deadline) }
        // Under the warning the countdown steps once a second, until the deadline.
        if warningShown, countdownShown > 1 { return deadline.advanced(by: .seconds(-(countdownShown - 1))) }
        return deadline
    }

    /// The effects to show the current screen again (after a VT switch, or at start-up).
    public var currentScreenEffects: [KioskEffect] { [.show(screen)] }

    public mutating func handle(_ event: KioskEvent) -> [KioskEffect] {
        let now = clock.now
        switch event {
        case .tick:
            return tick(now: now)
        case .cardPresented(let uid, let chip):
            // One card at a time: a second card in the field changes nothing.
            guard acceptsCard else { return [] }
            lockouts = lockouts.filter { $0.value > now }
            pinFailures = pinFailures.filter { $0.value.last.advanced(by: policy.lockout) > now }
            if lockouts[uid] != nil { return fail(.locked, now: now) }
            let cleared: [KioskEffect] = session == nil ? [] : [.clearSession]
            session = Session(card: uid, chip: chip)
            return cleared + enter(.readingCard, now: now) + [.lookUp(uid)]
        case .cardUnreadable:
            guard acceptsCard else { return [] }
            return fail(.cardUnreadable, now: now)
        case .lookedUp(let lookup):
            guard state == .readingCard, session?.card != nil, session?.resident == nil else { return [] }
            return lookedUp(lookup, now: now)
        case .pinChecked(let check):
            guard state == .identifying, session?.awaitingPINCheck == true else { return [] }
            return pinChecked(check, now: now)
        case .cardRemoved:
            return cardRemoved(now: now)
        case .key(let key):
            guard let button = button(for: key) else { return [] }
            return press(button, now: now)
        case .press(let button):
            // A press counts only for a button on the screen the resident sees.
            guard screen.buttons.contains(where: { $0.id == button }) else { return [] }
            return press(button, now: now)
        case .letterIssued(let issued):
            guard state == .printing, session?.issued == nil, let request = session?.request else { return [] }
            session?.issued = issued
            session?.progress = 5
            armTimer(for: state, now: now)  // the print limit counts from the last sign of life
            return show(KioskScreens.printing(progress: 5, number: issued.number)) + [.print(request, issued)]
        case .issueFailed(let problem):
            guard state == .printing, session?.issued == nil else { return [] }
            if problem == .diskFull { health.diskFull = true }
            return fail(problem == .diskFull ? .diskFull : .storageFailed, now: now)
        case .printProgress(let percent):
            guard state == .printing, let issued = session?.issued else { return [] }
            let clamped = min(100, max(session?.progress ?? 0, percent))
            session?.progress = clamped
            armTimer(for: state, now: now)
            return show(KioskScreens.printing(progress: clamped, number: issued.number))
        case .printFinished(let outcome):
            guard state == .printing, session?.issued != nil else { return [] }
            switch outcome {
            case .printed, .pending:
                // The letter is out: the personal data goes now, the resident still sees "take your letter".
                doneIsDraft = session?.request?.kind.issueMode != .final
                session = nil
                return [.clearSession] + enter(.done, now: now)
            case .failed(let problem):
                health.printerProblem = problem
                return fail(.printer(problem), now: now)
            }
        case .diskChecked(let hasRoom):
            guard health.diskFull == hasRoom else { return [] }
            var newHealth = health
            newHealth.diskFull = !hasRoom
            return handle(.healthChanged(newHealth))
        case .healthChanged(let newHealth):
            health = newHealth
            switch state {
            case .idle: return show(KioskScreens.idle(health: health))
            // Under a timeout warning the warning stays; `.extendTime` brings the screen back with the new health.
            case .maintenance:
                return warningShown || screen.id == .diagnostics ? [] : show(KioskScreens.maintenance(health: health))
            default: return []
            }
        }
    }

    // MARK: - Transitions

    private mutating func lookedUp(_ lookup: KioskEvent.Lookup, now: C.Instant) -> [KioskEffect] {
        switch lookup {
        case .operatorCard:
            return enter(.maintenance, now: now)
        case .unknownCard:
            // In chip mode a card the registry does not know is still an e-KTP whose chip names its holder.
            if policy.identityMode == .chip, case .resident(let holder) = session?.chip {
                return lookedUp(.resident(holder), now: now)
            }
            if policy.identityMode == .chip, session?.chip == .unreadable { return fail(.cardUnreadable, now: now) }
            return fail(.unknownCard, now: now)
        case .locked:
            return fail(.locked, now: now)
        case .resident(var resident):
            if policy.identityMode == .chip {
                // The chip says who the card belongs to; the registry above only knows operators and locks.
                switch session?.chip {
                case .resident(let holder): resident = holder
                case .unreadable: return fail(.cardUnreadable, now: now)
                case nil: return fail(.unknownCard, now: now)
                }
            }
            if let blocking = health.blockingError { return fail(blocking, now: now) }
            if letters.isEmpty { return fail(.outOfService, now: now) }
            session?.resident = resident
            return enter(policy.identityMode == .cardAndPIN ? .identifying : .menu, now: now)
        }
    }

    private mutating func pinChecked(_ check: KioskEvent.PINCheck, now: C.Instant) -> [KioskEffect] {
        session?.awaitingPINCheck = false
        session?.pin = []
        switch check {
        case .accepted:
            if let card = session?.card { pinFailures[card] = nil }
            return enter(.menu, now: now)
        case .locked:
            return fail(.locked, now: now)
        case .rejected:
            guard let card = session?.card else { return [] }
            let wrong = (pinFailures[card]?.count ?? 0) + 1
            pinFailures[card] = (wrong, now)
            if wrong >= policy.pinAttempts {
                pinFailures[card] = nil
                lockouts[card] = now.advanced(by: policy.lockout)
                return fail(.locked, now: now)
            }
            let remaining = policy.pinAttempts - wrong
            // The resident may type again: a timeout warning shown while the PIN was checked would block the pad.
            armTimer(for: state, now: now)
            return show(
                KioskScreens.pinEntry(
                    entered: 0, length: policy.pinLength, message: Teks.pinWrong(remaining: remaining)))
        }
    }

    private mutating func cardRemoved(now: C.Instant) -> [KioskEffect] {
        switch state {
        case .idle:
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
        if warningShown {
            switch button {
            case .extendTime:
                warningShown = false
                armTimer(for: state, now: now)
                return show(screen(for: state))
            case .endSession, .cancel:
                return leaveToIdle(now: now)
            default:
                return []
            }
        }
        switch (state, button) {
        case (.identifying, .cancel), (.menu, .cancel), (.details, .cancel), (.confirm, .cancel),
            (.done, .finish), (.error, .finish), (.maintenance, .exitMaintenance):
            return leaveToIdle(now: now)

        case (.identifying, .pinDigit(let digit)):
            guard session?.awaitingPINCheck == false, (session?.pin.count ?? 0) < policy.pinLength else { return [] }
            session?.pin.append(UInt8(digit))
            armTimer(for: state, now: now)
            if session?.pin.count == policy.pinLength { return submitPIN() }
            return show(KioskScreens.pinEntry(entered: session?.pin.count ?? 0, length: policy.pinLength))
        case (.identifying, .pinDelete):
            guard session?.awaitingPINCheck == false, session?.pin.isEmpty == false else { return [] }
            session?.pin.removeLast()
            armTimer(for: state, now: now)
            return show(KioskScreens.pinEntry(entered: session?.pin.count ?? 0, length: policy.pinLength))
        case (.identifying, .pinSubmit):
            guard session?.awaitingPINCheck == false, session?.pin.count == policy.pinLength else { return [] }
            return submitPIN()

        case (.menu, .letter(let code)):
            guard let kind = letters.first(where: { $0.code == code }) else { return [] }
            session?.letter = kind
            session?.page = 0
            if kind.purposes.count == 1 {
                session?.purpose = kind.purposes[0]
                return enter(.confirm, now: now)
            }
            return enter(.details, now: now)
        case (.menu, .nextPage), (.menu, .previousPage), (.details, .nextPage), (.details, .previousPage):
            let page = (session?.page ?? 0) + (button == .nextPage ? 1 : -1)
            guard (0..<pageCount(choices: choicesInState.count)).contains(page) else { return [] }
            session?.page = page
            return enter(state, now: now)

        case (.details, .purpose(let index)):
            guard let kind = session?.letter, kind.purposes.indices.contains(index) else { return [] }
            session?.purpose = kind.purposes[index]
            return enter(.confirm, now: now)
        case (.details, .back):
            session?.letter = nil
            session?.page = 0
            return enter(.menu, now: now)

        case (.confirm, .back):
            session?.purpose = nil
            session?.page = 0
            if session?.letter?.purposes.count == 1 {
                session?.letter = nil
                return enter(.menu, now: now)
            }
            return enter(.details, now: now)
        case (.confirm, .confirm):
            guard let request = letterRequest else { return [] }
            session?.request = request
            return enter(.printing, now: now) + [.issue(request)]

        case (.maintenance, .diagnostics):
            armTimer(for: state, now: now)
            return show(KioskScreens.diagnostics())
        case (.maintenance, .back) where screen.id == .diagnostics:
            armTimer(for: state, now: now)
            return show(KioskScreens.maintenance(health: health))
        case (.maintenance, .testPrint):
            armTimer(for: state, now: now)
            return [.testPrint]
        case (.maintenance, .paperRefilled):
            armTimer(for: state, now: now)
            health.printerProblem = nil
            return show(KioskScreens.maintenance(health: health)) + [.checkPrinter]
        case (.maintenance, .toggleService):
            armTimer(for: state, now: now)
            health.outOfService.toggle()
            return show(KioskScreens.maintenance(health: health)) + [.setOutOfService(health.outOfService)]

        default:
            return []
        }
    }

    private mutating func submitPIN() -> [KioskEffect] {
        guard let card = session?.card, let digits = session?.pin else { return [] }
        session?.awaitingPINCheck = true
        return show(KioskScreens.pinEntry(entered: digits.count, length: policy.pinLength, message: Teks.pinChecking))
            + [.verifyPIN(card, PIN(digits: digits))]
    }

    private mutating func tick(now: C.Instant) -> [KioskEffect] {
        guard let deadline else { return [] }
        if now >= deadline {
            switch state {
            case .readingCard: return fail(.cardUnreadable, now: now)
            case .printing:
                // The printer never reported back: say so rather than wait forever.
                health.printerProblem = .unknown
                return fail(.printer(.unknown), now: now)
            default: return leaveToIdle(now: now)
            }
        }
        let left = Self.wholeSeconds(now.duration(to: deadline))
        if let warningAt, now >= warningAt, !warningShown {
            warningShown = true
            countdownShown = left
            return show(KioskScreens.timeoutWarning(secondsLeft: left))
        }
        if warningShown, left != countdownShown {
            // Only the countdown changed: shown, not spoken again.
            countdownShown = left
            screen = KioskScreens.timeoutWarning(secondsLeft: left)
            return [.show(screen)]
        }
        return []
    }

    // MARK: - Entering states

    private mutating func enter(_ next: State, now: C.Instant) -> [KioskEffect] {
        state = next
        warningShown = false
        armTimer(for: next, now: now)
        return show(screen(for: next))
    }

    private mutating func fail(_ error: KioskError, now: C.Instant) -> [KioskEffect] {
        let cleared: [KioskEffect] = session == nil ? [] : [.clearSession]
        session = nil
        return cleared + enter(.error(error), now: now)
    }

    private mutating func leaveToIdle(now: C.Instant) -> [KioskEffect] {
        let cleared: [KioskEffect] = session == nil ? [] : [.clearSession]
        session = nil
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

    /// Seconds left, rounded up: the countdown reads 15 until 14 whole seconds remain.
    static func wholeSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(0, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    private mutating func armTimer(for state: State, now: C.Instant) {
        let (timeout, warns): (Duration?, Bool) =
            switch state {
            case .idle: (nil, false)
            case .readingCard: (policy.cardReadTimeout, false)
            case .identifying, .menu, .details, .confirm: (policy.inactivityTimeout, true)
            case .printing: (policy.printTimeout, false)
            case .done: (policy.doneDisplay, false)
            case .error: (policy.errorDisplay, false)
            case .maintenance: (policy.maintenanceTimeout, true)
            }
        deadline = timeout.map { now.advanced(by: $0) }
        warningAt = warns && timeout != nil ? now.advanced(by: timeout! - policy.timeoutWarning) : nil
        warningShown = false
    }

    // MARK: - Derived

    /// Whether a card presented now starts a session: only when none runs.
    private var acceptsCard: Bool {
        switch state {
        case .idle, .done, .error: true
        default: false
        }
    }

    private var pageSize: Int { max(1, policy.menuPageSize) }

    private func pageCount(choices: Int) -> Int { max(1, (choices + pageSize - 1) / pageSize) }

    /// The whole list the current state pages through.
    private var choicesInState: [String] {
        switch state {
        case .menu: letters.map(\.title)
        case .details: session?.letter?.purposes ?? []
        default: []
        }
    }

    /// One page of a list, with its first index and the page count.
    private func page<T>(of items: [T]) -> (items: [T], first: Int, page: Int, pages: Int) {
        let pages = pageCount(choices: items.count)
        let page = min(session?.page ?? 0, pages - 1)
        let start = page * pageSize
        return (Array(items[start..<min(items.count, start + pageSize)]), start, page, pages)
    }

    private var letterRequest: LetterRequest? {
        guard let session, let kind = session.letter, let purpose = session.purpose else { return nil }
        guard let resident = session.resident else { return nil }
        return LetterRequest(kind: kind, purpose: purpose, resident: resident, card: session.card)
    }

    private func screen(for state: State) -> Screen {
        switch state {
        case .idle: return KioskScreens.idle(health: health)
        case .readingCard: return KioskScreens.readingCard()
        case .identifying: return KioskScreens.pinEntry(entered: session?.pin.count ?? 0, length: policy.pinLength)
        case .menu:
            let shown = page(of: letters)
            return KioskScreens.menu(
                letters: shown.items, page: shown.page, pages: shown.pages, residentName: session?.resident?.name ?? "")
        case .details:
            let shown = page(of: Array((session?.letter?.purposes ?? []).enumerated()))
            return KioskScreens.purpose(
                letter: session?.letter?.title ?? "", purposes: shown.items, page: shown.page, pages: shown.pages)
        case .confirm:
            return KioskScreens.confirm(
                letter: session?.letter, resident: session?.resident, purpose: session?.purpose ?? "")
        case .printing:
            return KioskScreens.printing(progress: session?.progress ?? 0, number: session?.issued?.number)
        case .done: return KioskScreens.done(draft: doneIsDraft)
        case .error(let error): return KioskScreens.error(error)
        case .maintenance: return KioskScreens.maintenance(health: health)
        }
    }

    /// What a key means on the current screen, so every screen works without touch.
    private func button(for key: KioskEvent.Key) -> ButtonID? {
        let visible = screen.buttons.map(\.id)
        func ifVisible(_ id: ButtonID) -> ButtonID? { visible.contains(id) ? id : nil }
        switch key {
        case .digit(let digit):
            if screen.pinPad != nil { return (0...9).contains(digit) ? .pinDigit(digit) : nil }
            // Choices are numbered on screen from 1.
            let choices = screen.choices
            guard digit >= 1, digit <= choices.count else { return nil }
            return choices[digit - 1].id
        case .enter:
            return screen.pinPad != nil ? .pinSubmit : screen.primaryAction?.id
        case .escape:
            return ifVisible(.back) ?? ifVisible(.cancel) ?? ifVisible(.endSession) ?? ifVisible(.exitMaintenance)
                ?? ifVisible(.finish)
        case .backspace:
            return screen.pinPad != nil ? .pinDelete : ifVisible(.back)
        case .left, .up:
            return ifVisible(.previousPage)
        case .right, .down:
            return ifVisible(.nextPage)
        }
    }
}
