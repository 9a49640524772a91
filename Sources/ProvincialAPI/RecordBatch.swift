public import Foundation

/// `POST /v1/records`: service records, each applied by the server at most once.
public struct RecordBatch: Codable, Hashable, Sendable {
    public var records: [ServiceRecordUpload]

    public init(records: [ServiceRecordUpload]) { self.records = records }
}

/// One service record as the province receives it.
public struct ServiceRecordUpload: Codable, Hashable, Sendable {
    /// The record's ULID: the idempotency key, the same on every retry.
    public var id: String
    public var kioskId: String
    public var villageCode: String
    public var letterCode: String
    public var letterNumber: String
    public var purpose: String
    public var residentNik: String
    public var capturedAt: Date
    /// False when the kiosk's clock was not synchronised at capture, so `capturedAt` is suspect.
    public var clockSynced: Bool
    public var printOutcome: PrintOutcome
    public var printProblem: String?
    /// Set when the service was collecting a letter prepared elsewhere (`PickupChange.id`): the province moves that
    /// request to Sudah Diambil when it accepts a record of it printed (or of unknown outcome).
    public var pickupId: String?

    public enum PrintOutcome: String, Codable, Hashable, Sendable {
        case printed, failed
        /// The kiosk did not learn how printing ended (it lost power while printing, say): one name, `pending`, from
        /// Core through SQLite to the contract.
        case pending
    }

    public init(
        id: String, kioskId: String, villageCode: String, letterCode: String, letterNumber: String, purpose: String,
        residentNik: String, capturedAt: Date, clockSynced: Bool, printOutcome: PrintOutcome,
        printProblem: String? = nil, pickupId: String? = nil
    ) {
        self.id = id
        self.kioskId = kioskId
        self.villageCode = villageCode
        self.letterCode = letterCode
        self.letterNumber = letterNumber
        self.purpose = purpose
        self.residentNik = residentNik
        self.capturedAt = capturedAt
        self.clockSynced = clockSynced
        self.printOutcome = printOutcome
        self.printProblem = printProblem
        self.pickupId = pickupId
    }
}

/// The server's answer to a batch: one result per record, in the order sent.
public struct RecordBatchResult: Codable, Hashable, Sendable {
    public var results: [RecordResult]

    public init(results: [RecordResult]) { self.results = results }
}

public struct RecordResult: Codable, Hashable, Sendable {
    public var id: String
    public var status: Status
    /// Why a record was rejected.
    public var reason: String?

    public enum Status: String, Codable, Hashable, Sendable {
        /// Applied now.
        case accepted
        /// Applied before (a retry after a lost answer): the kiosk may forget it all the same.
        case duplicate
        /// Never applied; the kiosk keeps it for an operator.
        case rejected
    }

    public init(id: String, status: Status, reason: String? = nil) {
        self.id = id
        self.status = status
        self.reason = reason
    }
}
