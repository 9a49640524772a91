/// One screen as data: what to show and which buttons exist. Drivers draw it; `ScreenLayout` places it; the
/// state machine decides what a press means.
public struct Screen: Hashable, Sendable {
    public var id: ScreenID
    public var icon: Icon?
    public var title: String
    public var lines: [String]
    /// Large choices (letters, purposes), listed in order.
    public var choices: [Button]
    /// Actions along the bottom (back, cancel, confirm), left to right.
    public var actions: [Button]
    public var pinPad: PINPad?
    /// A keypad that types text (a letter number): one page of its keys, laid out where the PIN pad goes.
    public var characterKeys: [Button]
    /// Printing progress, 0-100.
    public var progress: Int?
    /// What a spoken prompt says for this screen.
    public var prompt: String

    public init(
        id: ScreenID, icon: Icon? = nil, title: String, lines: [String] = [], choices: [Button] = [],
        actions: [Button] = [], pinPad: PINPad? = nil, characterKeys: [Button] = [], progress: Int? = nil,
        prompt: String
    ) {
        self.id = id
        self.icon = icon
        self.title = title
        self.lines = lines
        self.choices = choices
        self.actions = actions
        self.pinPad = pinPad
        self.characterKeys = characterKeys
        self.progress = progress
        self.prompt = prompt
    }

    /// Every button the resident can press, the PIN pad's keys included.
    public var buttons: [Button] { choices + actions + (pinPad?.keys ?? []) + characterKeys }

    /// The keys of the keypad shown, PIN or text, if any.
    public var keypad: [Button]? { pinPad?.keys ?? (characterKeys.isEmpty ? nil : characterKeys) }

    /// The button Enter means on a keypad: the screen's primary action.
    public var primaryAction: Button? { actions.first { $0.role == .primary } }
}

public enum ScreenID: Hashable, Sendable, CustomStringConvertible {
    case idle
    case readingCard
    case pinEntry
    case menu
    case purpose
    case confirm
    case printing
    case done
    case error(KioskError)
    case timeoutWarning
    case maintenance
    /// The technician's check of a panel: framebuffer facts, colour bars, a crosshair where the finger lands.
    case diagnostics
    /// "Surat Siap Diambil": letters prepared elsewhere, waiting for the resident who just typed their PIN.
    case pickups
    /// One page of the village board, full width, opened by touching the board on the idle screen.
    case board(BoardPanel.Page)
    /// Maintenance's "Periksa Surat": a letter number typed on the keypad, and whether this kiosk issued it.
    case letterCheck
    case letterCheckResult
    /// "Bagaimana pelayanan kami?": four faces after "Selesai".
    case survey
    /// "Ambil Nomor Antrean": the services a queue number can be taken for.
    case queueServices
    /// The ticket is recorded and printing.
    case queueTaking
    /// The number taken, printed or (the slip failed) shown for the resident to note.
    case queueTicket

    /// A short stable name for logs, scripts and file names: `idle`, `pin`, `error-paper-out`.
    public var description: String {
        switch self {
        case .idle: "idle"
        case .readingCard: "reading"
        case .pinEntry: "pin"
        case .menu: "menu"
        case .purpose: "purpose"
        case .confirm: "confirm"
        case .printing: "printing"
        case .done: "done"
        case .error(let error): "error-" + error.name
        case .timeoutWarning: "timeout"
        case .maintenance: "maintenance"
        case .diagnostics: "diagnostics"
        case .pickups: "pickups"
        case .board(let page): "board-" + page.name
        case .letterCheck: "letter-check"
        case .letterCheckResult: "letter-check-result"
        case .survey: "survey"
        case .queueServices: "queue"
        case .queueTaking: "queue-taking"
        case .queueTicket: "queue-ticket"
        }
    }
}

extension KioskError {
    /// A short stable name: `unknown-card`, `printer-paper-out`.
    public var name: String {
        switch self {
        case .unknownCard: "unknown-card"
        case .cardUnreadable: "card-unreadable"
        case .locked: "locked"
        case .printer(let problem): "printer-" + problem.name
        case .diskFull: "disk-full"
        case .outOfService: "out-of-service"
        case .storageFailed: "storage-failed"
        }
    }
}

extension PrinterProblem {
    /// `paper-out`, `cover-open`, ...
    public var name: String {
        String(rawValue.flatMap { $0.isUppercase ? ["-", Character($0.lowercased())] : [$0] })
    }
}

public struct Button: Hashable, Sendable {
    public var id: ButtonID
    public var label: String
    public var role: Role
    /// A picture drawn above the label (the survey's faces).
    public var icon: Icon?

    public init(_ id: ButtonID, _ label: String, role: Role = .secondary, icon: Icon? = nil) {
        self.id = id
        self.label = label
        self.role = role
        self.icon = icon
    }

    public enum Role: Hashable, Sendable {
        case primary
        case secondary
        case choice
        case key
    }
}

/// What a button means, independent of its label and position.
public enum ButtonID: Hashable, Sendable {
    case cancel
    case back
    case confirm
    case finish
    case extendTime
    case endSession
    case previousPage
    case nextPage
    case letter(String)
    case purpose(Int)
    case pinDigit(Int)
    case pinDelete
    case pinSubmit
    case testPrint
    case paperRefilled
    case toggleService
    case exitMaintenance
    case diagnostics
    /// Print the prepared letter at this index of the resident's list.
    case pickup(Int)
    /// Leave the prepared letters for the menu of letters.
    case continueToMenu
    /// The village board's box on the idle screen, showing `page`: the presenter hit-tests it (only it knows the page
    /// shown), and the machine opens that page in detail.
    case boardPage(BoardPanel.Page)
    /// Maintenance's "Periksa Surat", and "Periksa Lagi" on its result.
    case checkLetter
    /// A key of the letter-number keypad, and its own controls.
    case character(Character)
    case otherKeys
    case deleteCharacter
    case submitLetterNumber
    /// A face of the satisfaction survey.
    case rating(SurveyAnswer.Rating)
    /// "Ambil Nomor Antrean", on the menu (and on idle where tickets need no card).
    case openQueue
    /// A queue service, by its code.
    case queueService(String)
}

/// The PIN entry: how many digits are typed (never which), of how many.
public struct PINPad: Hashable, Sendable {
    public var entered: Int
    public var length: Int

    public init(entered: Int, length: Int) {
        self.entered = entered
        self.length = length
    }

    /// Keys in telephone order: 1-9, delete, 0, OK.
    public var keys: [Button] {
        (1...9).map { Button(.pinDigit($0), String($0), role: .key) } + [
            Button(.pinDelete, Teks.delete, role: .key),
            Button(.pinDigit(0), "0", role: .key),
            Button(.pinSubmit, Teks.ok, role: .key),
        ]
    }
}

/// Pictures that carry meaning for residents who read little.
public enum Icon: String, Hashable, Sendable {
    case card
    case lock
    case letter
    case printer
    case check
    case warning
    case clock
    case wrench
    /// The survey's faces, from a broad smile to a deep frown.
    case faceVerySatisfied
    case faceSatisfied
    case faceDissatisfied
    case faceVeryDissatisfied
}
