/// Everything that can happen to a kiosk, fed to `KioskStateMachine.handle(_:)` by the runtime.
public enum KioskEvent: Hashable, Sendable {
    /// A card was presented, and read: its UID, and in identity mode `chip` what its chip said. The card reader
    /// service reads both as soon as the card is in the field; a keyboard-wedge reader sends the UID it typed.
    case cardPresented(CardUID, chip: Chip?)
    /// A card in the field answered nothing usable (mute, garbage, removed mid-APDU).
    case cardUnreadable
    case cardRemoved
    /// The registry's answer for the card just read.
    case lookedUp(Lookup)
    /// The registry's verdict on the PIN just entered.
    case pinChecked(PINCheck)
    /// A key of a keypad or keyboard.
    case key(Key)
    /// A touch that landed on a button (Core's `ScreenLayout.hitTest` decided which).
    case press(ButtonID)
    /// The letter got its number and its record is stored.
    case letterIssued(IssuedLetter)
    case issueFailed(IssueProblem)
    /// Printing progress, 0-100.
    case printProgress(Int)
    case printFinished(PrintOutcome)
    /// The printer, the disk or the operator changed what the kiosk can do.
    case healthChanged(Health)
    /// The disk guard looked at the free space: a full disk stops new services, room again lets them back.
    case diskChecked(hasRoom: Bool)
    /// The letters prepared elsewhere for the resident just identified (empty: none, or none could be read).
    case pickupsFound([PickupLetter])
    /// How collecting a prepared letter ended.
    case pickupFinished(PickupOutcome)
    /// The record store's answer to `.checkLetter`.
    case letterChecked(LetterCheck)
    /// The operator's test print ended on the printers the kiosk has.
    case testPrinted(TestPrintResult)
    /// The printers answered the operator's "paper refilled".
    case printerChecked(PrinterCheck)
    /// How taking a queue ticket ended.
    case ticketTaken(TicketOutcome)
    /// Time passed: the runtime sends it when `nextWakeUp` is reached.
    case tick

    /// What an e-KTP's chip said at the tap, read through the SAM.
    public enum Chip: Hashable, Sendable {
        /// The resident whose biodata the chip holds.
        case resident(Resident)
        /// The card has no readable biodata (not an e-KTP, or the SAM refused it).
        case unreadable
    }

    public enum Lookup: Hashable, Sendable {
        case resident(Resident)
        case operatorCard
        case unknownCard
        /// The registry itself holds the card locked (persistent attempt counting).
        case locked
        /// The registry could not answer (a database error): nobody is served on a guess.
        case failed
    }

    public enum PINCheck: Hashable, Sendable {
        case accepted
        case rejected
        case locked
    }

    public enum Key: Hashable, Sendable {
        case digit(Int)
        case enter
        case escape
        case backspace
        case up
        case down
        case left
        case right
    }
}

/// How the operator's test print went, per printer; `nil` for a printer the kiosk does not have.
public struct TestPrintResult: Hashable, Sendable {
    /// The test page on the letter printer (CUPS, or the letters folder).
    public var letter: PrintOutcome?
    /// The test slip on the thermal printer.
    public var slip: PrintOutcome?

    public init(letter: PrintOutcome?, slip: PrintOutcome?) {
        self.letter = letter
        self.slip = slip
    }
}

/// The printers' answer to the operator's "paper refilled" ("Kertas Sudah Diisi").
public enum PrinterCheck: Hashable, Sendable {
    /// Every printer asked says it is ready.
    case ready
    /// A printer still reports a problem.
    case problem(PrinterProblem)
    /// A printer cannot report its status (no status channel, no answer to `DLE EOT`, a queue state CUPS does not
    /// know), so it was given a test print instead, which ended so: without it, such a printer could never clear
    /// a paper error. The operator stands at the printer and sees the test print come out (or not).
    case unreported(testPrint: PrintOutcome)

    /// The problem the kiosk keeps after this answer; `nil`: cleared.
    public var problem: PrinterProblem? {
        switch self {
        case .ready, .unreported(testPrint: .printed): nil
        case .problem(let problem), .unreported(testPrint: .failed(let problem)): problem
        // Sent, but nothing says it reached paper.
        case .unreported(testPrint: .pending): .unknown
        }
    }
}

public enum IssueProblem: String, Error, Hashable, Sendable {
    /// The disk guard refused: no new services until space is freed.
    case diskFull
    /// The store failed to write (the record was not captured).
    case storageFailed
}

/// What the kiosk can offer right now.
public struct Health: Hashable, Sendable {
    public var printerProblem: PrinterProblem?
    public var diskFull = false
    /// Switched by an operator in maintenance mode.
    public var outOfService = false

    public init(printerProblem: PrinterProblem? = nil, diskFull: Bool = false, outOfService: Bool = false) {
        self.printerProblem = printerProblem
        self.diskFull = diskFull
        self.outOfService = outOfService
    }

    /// Why residents cannot be served, most important first; `nil` when they can.
    public var blockingError: KioskError? {
        if outOfService { return .outOfService }
        if diskFull { return .diskFull }
        if let printerProblem { return .printer(printerProblem) }
        return nil
    }
}
