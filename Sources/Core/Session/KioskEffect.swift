/// What the state machine asks the runtime to do. Values, so tests compare them with `==`.
public enum KioskEffect: Hashable, Sendable {
    case show(Screen)
    /// Ask the registry who the card is: a resident, an operator, unknown or locked.
    case lookUp(CardUID)
    case verifyPIN(CardUID, PIN)
    /// Allocate the number and store the record (one transaction), then answer `.letterIssued`.
    case issue(LetterRequest)
    case print(LetterRequest, IssuedLetter)
    case speak(String)
    /// Forget every copy of the session's personal data.
    case clearSession
    /// Maintenance: print a test page and a test slip, then answer `.testPrinted`.
    case testPrint
    /// Maintenance: ask the printers for their status, then answer `.printerChecked`.
    case checkPrinter
    /// Find the letters prepared elsewhere for the resident whose PIN was just accepted; answer `.pickupsFound`.
    case findPickups(Resident, CardUID)
    /// Claim, record and print a prepared letter unchanged; answer `.printProgress` and `.pickupFinished`.
    case collect(PickupLetter, Resident, CardUID)
    /// Maintenance's "Periksa Surat": ask the record store whether this kiosk issued `number`, then answer
    /// `.letterChecked`.
    case checkLetter(LetterNumber)
    /// Maintenance: switch service off (`true`) or on, kept across restarts with the operator's card (masked).
    case setOutOfService(Bool, by: CardUID)
    /// Count one survey answer in today's totals.
    case recordSurvey(SurveyAnswer)
    /// Take the day's next queue number and record the ticket (one transaction), print its slip, then answer
    /// `.ticketTaken`.
    case takeTicket(QueueRequest)
}

/// A PIN as typed. Printing it shows stars only.
public struct PIN: Hashable, Sendable, CustomStringConvertible {
    public let digits: [UInt8]

    public init(digits: [UInt8]) { self.digits = digits }

    public var description: String { String(repeating: "*", count: digits.count) }
}

/// What a resident asked for, complete: the letter is issued from it.
public struct LetterRequest: Hashable, Sendable, CustomStringConvertible {
    public var kind: LetterKind
    public var purpose: String
    public var resident: Resident
    public var card: CardUID?

    public init(kind: LetterKind, purpose: String, resident: Resident, card: CardUID?) {
        self.kind = kind
        self.purpose = purpose
        self.resident = resident
        self.card = card
    }

    public var description: String { "LetterRequest(\(kind.code))" }
}

/// A letter with its number and its stored record.
public struct IssuedLetter: Hashable, Sendable {
    public var recordID: RecordID
    public var number: LetterNumber

    public init(recordID: RecordID, number: LetterNumber) {
        self.recordID = recordID
        self.number = number
    }
}

/// The typed errors a resident can meet; each has its own screen.
public enum KioskError: Hashable, Sendable {
    case unknownCard
    case cardUnreadable
    case locked
    case printer(PrinterProblem)
    case diskFull
    case outOfService
    case storageFailed
}
