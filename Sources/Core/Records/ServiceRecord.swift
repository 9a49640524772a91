/// What the province receives for every service: one letter issued to one resident at one kiosk.
public struct ServiceRecord: Hashable, Sendable, Identifiable {
    /// Made at capture; the upload's idempotency key.
    public let id: RecordID
    public var kioskID: String
    public var village: VillageCode
    public var letterCode: String
    public var letterNumber: LetterNumber
    public var purpose: String
    /// Personal data: the store encrypts it and no log prints it (`NIK` prints masked).
    public var residentNIK: NIK
    public var capturedAt: Timestamp
    /// Whether the kiosk's clock was synchronised (NTP) at capture; unsynchronised times are flagged to the
    /// province instead of being trusted.
    public var clockSynced: Bool
    public var printOutcome: PrintOutcome

    public init(
        id: RecordID, kioskID: String, village: VillageCode, letterCode: String, letterNumber: LetterNumber,
        purpose: String, residentNIK: NIK, capturedAt: Timestamp, clockSynced: Bool,
        printOutcome: PrintOutcome = .pending
    ) {
        self.id = id
        self.kioskID = kioskID
        self.village = village
        self.letterCode = letterCode
        self.letterNumber = letterNumber
        self.purpose = purpose
        self.residentNIK = residentNIK
        self.capturedAt = capturedAt
        self.clockSynced = clockSynced
        self.printOutcome = printOutcome
    }
}

/// How printing a service's letter ended.
public enum PrintOutcome: Hashable, Sendable {
    /// Not known yet, or never learnt (the kiosk lost power while printing).
    case pending
    case printed
    case failed(PrinterProblem)
}

/// One name per outcome wherever it is stored: `pending`, `printed`, or the printer problem's name
/// (`paperOut`, ...). The kiosk database stores it so; the provincial API's contract calls `pending` "unknown".
extension PrintOutcome: RawRepresentable, Codable {
    public init?(rawValue: String) {
        switch rawValue {
        case "pending": self = .pending
        case "printed": self = .printed
        default:
            guard let problem = PrinterProblem(rawValue: rawValue) else { return nil }
            self = .failed(problem)
        }
    }

    public var rawValue: String {
        switch self {
        case .pending: "pending"
        case .printed: "printed"
        case .failed(let problem): problem.rawValue
        }
    }
}

/// Why a printer cannot print, as far as the kiosk can tell. Drivers map their status bits and IPP reasons to it.
public enum PrinterProblem: String, Hashable, Sendable, CaseIterable {
    case paperOut
    case coverOpen
    case paperJam
    case offline
    case cutterError
    /// The printer did not say (no status channel, a timeout, an error it cannot name).
    case unknown
}
