import Testing

@testable import Core

typealias Machine = KioskStateMachine<ManualClock>

/// Residents, cards, letters and a policy for the state-machine and layout tests. All data is synthetic.
enum Fixtures {
    static let cardUID = try! CardUID(bytes: [0x52, 0x0A, 0x8B, 0xB9])
    static let otherCardUID = try! CardUID(bytes: [0xB3, 0x95, 0x03, 0xA9])
    static let operatorUID = try! CardUID(bytes: [0x04, 0xA2, 0x1B, 0x6C, 0x9E, 0x4F, 0x80])
    static let village = try! VillageCode("1809072001")

    static let woman = Resident(
        nik: try! NIK(NIKFixtures.woman), name: "SITI AMINAH", birthPlace: "PESAWARAN",
        birthDate: CalendarDate(year: 1968, month: 3, day: 14)!, sex: .female, address: "Jl. Raya Way Layap",
        hamlet: "Sukamaju", rt: "001", rw: "002", religion: "ISLAM", maritalStatus: "KAWIN",
        occupation: "PETANI/PEKEBUN", cardTag: CardTag("1376422841"))
    static let man = Resident(
        nik: try! NIK(NIKFixtures.man), name: "BUDI SANTOSO", birthPlace: "PESAWARAN",
        birthDate: CalendarDate(year: 1965, month: 11, day: 2)!, sex: .male, address: "Jl. Raya Way Layap",
        rt: "003", rw: "002", religion: "ISLAM", maritalStatus: "KAWIN", occupation: "WIRASWASTA",
        cardTag: CardTag("3012887465"))
    /// The digits no screen may show: the whole NIKs and their birth parts.
    static let secrets = [NIKFixtures.woman, NIKFixtures.man, "540368", "021165"]

    static func kind(_ code: String, _ title: String, purposes: [String] = ["Persyaratan administrasi", "Lainnya"])
        -> LetterKind
    {
        LetterKind(code: code, title: title, classification: "470", template: "\(code).mustache", purposes: purposes)
    }

    static let domicile = kind(
        "S-41", "Surat Keterangan Domisili",
        purposes: ["Persyaratan administrasi", "Melamar pekerjaan", "Urusan bank", "Pendaftaran sekolah", "Lainnya"])
    static let marriage = kind("S-30", "Surat Keterangan Pergi Kawin", purposes: ["Pernikahan"])
    static let business = LetterKind(
        code: "500", title: "Surat Keterangan Usaha", classification: "500", issueMode: .final,
        template: "500.mustache", purposes: ["Izin usaha", "Urusan bank"])
    static let operatorOnly = LetterKind(
        code: "X-99", title: "Surat Khusus Petugas", classification: "470", selfService: false,
        template: "x-99.mustache", purposes: ["Lainnya"])

    /// Seven self-service letters (three pages of three) and one the menu must not list.
    static let catalogue = try! LetterCatalogue([
        domicile, marriage, business, kind("S-01", "Surat Keterangan Pengantar"), operatorOnly,
        kind("S-02", "Surat Keterangan Penduduk"), kind("S-03", "Surat Biodata Penduduk"),
        kind("S-10", "Surat Keterangan Bepergian"),
    ])
    static let menuCodes = ["S-41", "S-30", "500", "S-01", "S-02", "S-03", "S-10"]

    /// `supervised`: by default only where the mode needs it (`card`); a chip-mode kiosk without it asks for the
    /// PIN too.
    static func policy(
        _ mode: IdentityMode = .cardAndPIN, spoken: Bool = false, pageSize: Int = 3, supervised: Bool? = nil
    ) -> KioskPolicy {
        var policy = KioskPolicy()
        policy.identityMode = mode
        policy.supervised = supervised ?? (mode == .cardOnly)
        policy.pinLength = 6
        policy.pinAttempts = 3
        policy.lockout = .seconds(300)
        policy.inactivityTimeout = .seconds(60)
        policy.timeoutWarning = .seconds(15)
        policy.cardReadTimeout = .seconds(5)
        policy.printTimeout = .seconds(120)
        policy.doneDisplay = .seconds(10)
        policy.errorDisplay = .seconds(15)
        policy.maintenanceTimeout = .seconds(300)
        policy.menuPageSize = pageSize
        policy.spokenPrompts = spoken
        return policy
    }

    static let pin = [1, 2, 3, 4, 5, 6]
    static let number = LetterNumber(kindCode: "S-41", serial: 7, village: village, month: 11, year: 2026)
    static let issued = IssuedLetter(recordID: RecordID("01ARYZ6S41TSV4RRFFQ69G5FAV")!, number: number)

    static let allButtons: [ButtonID] = [
        .cancel, .back, .confirm, .finish, .extendTime, .endSession, .previousPage, .nextPage, .diagnostics,
        .letter("S-41"),
        .letter("S-30"), .letter("X-99"), .purpose(0), .purpose(4), .purpose(99), .pinDigit(1), .pinDigit(0),
        .pinDigit(10), .pinDelete, .pinSubmit, .testPrint, .paperRefilled, .toggleService, .exitMaintenance,
        .boardPage(.realisation), .boardPage(.announcements), .checkLetter, .character("S"), .character("7"),
        .character("/"), .otherKeys, .deleteCharacter, .submitLetterNumber,
        .rating(.satisfied), .openQueue, .queueService("KK"), .queueService("NOPE"),
    ]

    static let allKeys: [KioskEvent.Key] = [
        .digit(0), .digit(1), .digit(3), .digit(9), .digit(-1), .digit(10), .enter, .escape, .backspace, .up, .down,
        .left, .right,
    ]

    static let allEvents: [KioskEvent] =
        [
            .cardPresented(cardUID, chip: nil), .cardPresented(otherCardUID, chip: nil),
            .cardPresented(cardUID, chip: .resident(man)), .cardPresented(cardUID, chip: .unreadable), .cardUnreadable,
            .cardRemoved,
            .lookedUp(.resident(woman)), .lookedUp(.operatorCard), .lookedUp(.unknownCard), .lookedUp(.locked),
            .pinChecked(.accepted), .pinChecked(.rejected), .pinChecked(.locked),
        ] + allKeys.map { .key($0) } + allButtons.map { .press($0) } + [
            .letterIssued(issued), .issueFailed(.diskFull), .issueFailed(.storageFailed), .printProgress(50),
            .printProgress(-10), .printProgress(1000), .printFinished(.printed), .printFinished(.pending),
            .printFinished(.failed(.paperOut)), .healthChanged(Health()),
            .healthChanged(Health(printerProblem: .offline)), .healthChanged(Health(outOfService: true)), .tick,
            .diskChecked(hasRoom: false), .diskChecked(hasRoom: true),
            .letterChecked(.issued(kindCode: "S-41", on: CalendarDate(year: 2026, month: 11, day: 30)!)),
            .letterChecked(.notIssued), .letterChecked(.failed),
            .testPrinted(TestPrintResult(letter: .printed, slip: .failed(.paperOut))), .printerChecked(.ready),
            .printerChecked(.problem(.paperOut)), .printerChecked(.unreported(testPrint: .printed)),
            .ticketTaken(.printed(queueTicket)), .ticketTaken(.notPrinted(queueTicket, .paperOut)),
            .ticketTaken(.notTaken(.diskFull)), .ticketTaken(.notTaken(.storageFailed)),
        ]

    static let queueTicket = QueueTicket(
        number: QueueNumber(day: CalendarDate(year: 2026, month: 12, day: 6)!, counter: 7, station: 2),
        service: QueueService.defaults[0], takenAt: Timestamp(millisecondsSince1970: 1_796_540_700_000))

    /// A kiosk that hands queue numbers, with or without a card.
    static func queuePolicy(withoutCard: Bool = true, spoken: Bool = false) -> KioskPolicy {
        var policy = policy(spoken: spoken)
        policy.queueServices = QueueService.defaults
        policy.queueWithoutCard = withoutCard
        return policy
    }

    static let allErrors: [KioskError] =
        [.unknownCard, .cardUnreadable, .locked, .diskFull, .outOfService, .storageFailed]
        + PrinterProblem.allCases.map { .printer($0) }

    /// Every screen of a long session that visits every state: wrong PIN, paging, a timeout warning, details,
    /// confirm, printing, done, then errors and maintenance.
    static func fullSessionScreens(
        pageSize: Int = 3, catalogue: LetterCatalogue = .openSIDSelfService, spoken: Bool = false
    ) -> (screens: [Screen], effects: [KioskEffect]) {
        var h = Harness(policy: policy(spoken: spoken, pageSize: pageSize), catalogue: catalogue)
        h.send(.healthChanged(Health()))
        h.insert()
        h.send(.lookedUp(.resident(woman)))
        h.typePIN([1, 2, 3])
        h.press(.pinDelete)
        h.typePIN([3, 4, 5, 6])
        h.send(.pinChecked(.rejected))
        h.typePIN()
        h.send(.pinChecked(.accepted))
        while h.machine.screen.buttons.contains(where: { $0.id == .nextPage }) { h.press(.nextPage) }
        while h.machine.screen.buttons.contains(where: { $0.id == .previousPage }) { h.press(.previousPage) }
        h.advanceAndTick(.seconds(45))
        h.press(.extendTime)
        // The letter with the most purposes on the first page, to see the purpose pages.
        let first = h.machine.screen.choices.max { a, b in
            guard case .letter(let x) = a.id, case .letter(let y) = b.id else { return false }
            return (catalogue[x]?.purposes.count ?? 0) < (catalogue[y]?.purposes.count ?? 0)
        }!
        h.press(first.id)
        while h.machine.screen.buttons.contains(where: { $0.id == .nextPage }) { h.press(.nextPage) }
        h.press(.back)
        h.press(first.id)
        h.key(.digit(1))
        h.press(.back)
        h.key(.digit(1))
        h.press(.confirm)
        h.send(.letterIssued(issued))
        h.send(.printProgress(50))
        h.send(.printFinished(.printed))
        h.press(.finish)
        // A wrong PIN three times.
        h.insert(otherCardUID)
        h.send(.lookedUp(.resident(man)))
        for _ in 0..<3 {
            h.typePIN()
            h.send(.pinChecked(.rejected))
        }
        h.advanceAndTick(.seconds(15))
        // Maintenance.
        h.insert(operatorUID)
        h.send(.lookedUp(.operatorCard))
        h.typePIN()
        h.send(.pinChecked(.accepted))
        h.press(.testPrint)
        h.send(.testPrinted(TestPrintResult(letter: .printed, slip: nil)))
        h.press(.toggleService)
        h.press(.toggleService)
        h.press(.paperRefilled)
        h.send(.printerChecked(.ready))
        h.advanceAndTick(.seconds(285))
        h.press(.extendTime)
        h.press(.exitMaintenance)
        // A paper-out.
        h.insert()
        h.send(.lookedUp(.resident(woman)))
        h.typePIN()
        h.send(.pinChecked(.accepted))
        h.key(.digit(1))
        h.key(.digit(1))
        h.key(.enter)
        h.send(.letterIssued(issued))
        h.send(.printFinished(.failed(.paperOut)))
        h.advanceAndTick(.seconds(15))
        h.send(.healthChanged(Health()))
        return (h.log.screens, h.log)
    }

    /// Every screen `KioskScreens` can build, with the given number of choices per page.
    static func everyKioskScreen(pageSize: Int, catalogue: LetterCatalogue = .openSIDSelfService) -> [Screen] {
        let letters = catalogue.selfService
        let pages = (letters.count + pageSize - 1) / pageSize
        var screens: [Screen] = [
            KioskScreens.idle(health: Health()), KioskScreens.readingCard(),
            KioskScreens.pinEntry(entered: 0, length: 6),
            KioskScreens.pinEntry(entered: 6, length: 6, message: Teks.pinChecking),
            KioskScreens.pinEntry(entered: 0, length: 6, message: Teks.pinWrong(remaining: 2)),
            KioskScreens.confirm(letter: domicile, resident: woman, purpose: "Persyaratan administrasi"),
            KioskScreens.printing(progress: 0, number: nil), KioskScreens.printing(progress: 50, number: number),
            KioskScreens.done(draft: true), KioskScreens.done(draft: false),
            KioskScreens.timeoutWarning(secondsLeft: 15),
            KioskScreens.maintenance(health: Health()),
            KioskScreens.maintenance(health: Health(printerProblem: .paperJam, diskFull: true, outOfService: true)),
            KioskScreens.maintenance(
                health: Health(printerProblem: .paperOut),
                note: Teks.testPrinted(letter: .failed(.paperJam), slip: .pending)),
            KioskScreens.survey(),
        ]
        screens += allErrors.map { KioskScreens.error($0) }
        screens += allErrors.map { error in
            var health = Health()
            switch error {
            case .outOfService: health.outOfService = true
            case .diskFull: health.diskFull = true
            case .printer(let problem): health.printerProblem = problem
            default: break
            }
            return KioskScreens.idle(health: health)
        }
        for page in 0..<pages {
            let shown = Array(letters[(page * pageSize)..<min(letters.count, (page + 1) * pageSize)])
            screens.append(KioskScreens.menu(letters: shown, page: page, pages: pages, residentName: woman.name))
        }
        let purposes = Array(domicile.purposes.enumerated())
        let purposePages = (purposes.count + pageSize - 1) / pageSize
        for page in 0..<purposePages {
            let shown = Array(purposes[(page * pageSize)..<min(purposes.count, (page + 1) * pageSize)])
            screens.append(
                KioskScreens.purpose(letter: domicile.title, purposes: shown, page: page, pages: purposePages))
        }
        return screens
    }
}

/// A state machine on a manual clock, with a log of every effect it returned.
struct Harness {
    let clock: ManualClock
    let policy: KioskPolicy
    var machine: Machine
    private(set) var log: [KioskEffect] = []

    init(
        policy: KioskPolicy = Fixtures.policy(), catalogue: LetterCatalogue = Fixtures.catalogue,
        health: Health = Health()
    ) {
        clock = ManualClock(start: .seconds(1_000))
        self.policy = policy
        machine = Machine(policy: policy, catalogue: catalogue, clock: clock, health: health)
        log = machine.currentScreenEffects
    }

    var state: StateName { machine.state.name }
    var now: ManualClock.Instant { clock.now }
    var screen: Screen { machine.screen }

    func at(_ seconds: Int) -> ManualClock.Instant { now.advanced(by: .seconds(seconds)) }

    @discardableResult
    mutating func send(_ event: KioskEvent) -> [KioskEffect] {
        let effects = machine.handle(event)
        log += effects
        return effects
    }

    @discardableResult
    mutating func press(_ button: ButtonID) -> [KioskEffect] { send(.press(button)) }

    @discardableResult
    mutating func key(_ key: KioskEvent.Key) -> [KioskEffect] { send(.key(key)) }

    mutating func advance(_ duration: Duration) { clock.advance(by: duration) }

    @discardableResult
    mutating func advanceAndTick(_ duration: Duration) -> [KioskEffect] {
        advance(duration)
        return send(.tick)
    }

    /// A card presented (its UID, and in chip mode what its chip said): the machine waits for the registry.
    @discardableResult
    mutating func insert(_ uid: CardUID = Fixtures.cardUID, chip: KioskEvent.Chip? = nil) -> [KioskEffect] {
        send(.cardPresented(uid, chip: chip))
    }

    @discardableResult
    mutating func typePIN(_ digits: [Int] = Fixtures.pin) -> [KioskEffect] {
        var last: [KioskEffect] = []
        for digit in digits { last = press(.pinDigit(digit)) }
        return last
    }

    mutating func toIdentifying(_ uid: CardUID = Fixtures.cardUID, resident: Resident = Fixtures.woman) {
        insert(uid)
        send(.lookedUp(.resident(resident)))
    }

    mutating func toMenu(_ uid: CardUID = Fixtures.cardUID, resident: Resident = Fixtures.woman) {
        toIdentifying(uid, resident: resident)
        if policy.asksPIN {
            typePIN()
            send(.pinChecked(.accepted))
        }
    }

    /// The domicile letter's purposes.
    mutating func toDetails() {
        toMenu()
        press(.letter("S-41"))
    }

    mutating func toConfirm(purpose: Int = 1) {
        toDetails()
        press(.purpose(purpose))
    }

    mutating func toPrinting(issued: Bool) {
        toConfirm()
        press(.confirm)
        if issued { send(.letterIssued(Fixtures.issued)) }
    }

    mutating func toDone() {
        toPrinting(issued: true)
        send(.printFinished(.printed))
    }

    /// The operator's card, then the operator's PIN.
    mutating func toMaintenance() {
        insert(Fixtures.operatorUID)
        send(.lookedUp(.operatorCard))
        typePIN()
        send(.pinChecked(.accepted))
    }
}

/// A state's name without its data, for comparisons.
enum StateName: Hashable {
    case idle, readingCard, pinEntry, operatorPIN, menu, purpose, confirm, printing, done, maintenance, survey
    case findingPickups, pickups, collecting
    case error(KioskError)
    case board(BoardPanel.Page)
    case letterCheck
    case queueServices, queueTaking, queueTicket
}

/// The personal data of a session as the tests look at it, gathered from the state that holds it.
struct SessionView: Equatable {
    var card: CardUID?
    var resident: Resident?
    var pin: [UInt8] = []
    var awaitingPINCheck = false
    var letter: LetterKind?
    var purpose: String?
    var issued: IssuedLetter?
}

extension KioskStateMachine.State {
    var name: StateName {
        switch self {
        case .idle: .idle
        case .readingCard: .readingCard
        case .pinEntry: .pinEntry
        case .operatorPIN: .operatorPIN
        case .menu: .menu
        case .purpose: .purpose
        case .confirm: .confirm
        case .printing: .printing
        case .done: .done
        case .error(let error): .error(error)
        case .maintenance: .maintenance
        case .findingPickups: .findingPickups
        case .pickups: .pickups
        case .collecting: .collecting
        case .board(let page): .board(page)
        case .letterCheck: .letterCheck
        case .survey: .survey
        case .queueServices: .queueServices
        case .queueTaking: .queueTaking
        case .queueTicket: .queueTicket
        }
    }
}

extension KioskStateMachine {
    /// The session's data the state holds; `nil` in the states that hold none (idle, done, error).
    var session: SessionView? {
        switch state {
        case .idle, .done, .error, .board, .survey, .queueTicket: nil
        case .queueServices(let who): who.map { SessionView(card: $0.card, resident: $0.resident) }
        case .queueTaking(let request): request.resident.map { SessionView(resident: $0) }
        case .readingCard(let card): SessionView(card: card.uid)
        case .pinEntry(let who, let pin, let checking):
            SessionView(card: who.card, resident: who.resident, pin: pin.digits, awaitingPINCheck: checking)
        case .menu(let who, _), .findingPickups(let who), .pickups(let who, _, _, _):
            SessionView(card: who.card, resident: who.resident)
        case .collecting(let collecting): SessionView(card: collecting.who.card, resident: collecting.who.resident)
        case .purpose(let who, let letter, _): SessionView(card: who.card, resident: who.resident, letter: letter)
        case .confirm(let who, let letter, let purpose):
            SessionView(card: who.card, resident: who.resident, letter: letter, purpose: purpose)
        case .printing(let printing):
            SessionView(
                card: printing.request.card, resident: printing.request.resident, letter: printing.request.kind,
                purpose: printing.request.purpose, issued: printing.issued)
        case .operatorPIN(let card, let pin, let checking):
            SessionView(card: card, pin: pin.digits, awaitingPINCheck: checking)
        case .maintenance(let card), .letterCheck(let card, _): SessionView(card: card)
        }
    }
}

extension Array where Element == KioskEffect {
    var screens: [Screen] {
        compactMap {
            if case .show(let screen) = $0 { return screen }
            return nil
        }
    }
    var lastScreen: Screen? { screens.last }
    var spoken: [String] {
        compactMap {
            if case .speak(let text) = $0 { return text }
            return nil
        }
    }
    var clearsSession: Bool { contains(.clearSession) }
}

extension Screen {
    /// Every text a resident can read or hear on this screen.
    var allText: [String] { [title, prompt] + lines + buttons.map(\.label) }
    func has(_ id: ButtonID) -> Bool { buttons.contains { $0.id == id } }
}
