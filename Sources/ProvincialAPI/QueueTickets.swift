public import Foundation

/// `POST /v1/tickets`: queue tickets (antrean), each applied by the server at most once; answered with a
/// `RecordBatchResult`, one result per ticket.
public struct TicketBatch: Codable, Hashable, Sendable {
    public var tickets: [QueueTicketUpload]

    public init(tickets: [QueueTicketUpload]) { self.tickets = tickets }
}

/// One queue ticket as the province receives it. A ticket taken without a card carries nothing personal: no
/// `residentNik`, and nothing else that could name the visitor.
public struct QueueTicketUpload: Codable, Hashable, Sendable {
    /// The ticket's ULID: the idempotency key, the same on every retry.
    public var id: String
    public var kioskId: String
    public var villageCode: String
    /// The queue number as printed, `061226-007-K2`: unique per village and day (docs/QUEUE.md).
    public var number: String
    /// The kiosk's local date the number belongs to, `2026-12-06`.
    public var date: String
    /// The service's code, `KK`.
    public var service: String
    public var takenAt: Date
    /// False when the kiosk's clock was not synchronised when the ticket was taken.
    public var clockSynced: Bool
    /// `printed`, `failed` (the number was shown on screen instead) or `pending` (the kiosk did not learn).
    public var printOutcome: ServiceRecordUpload.PrintOutcome
    public var printProblem: String?
    /// Only for a ticket taken after a card and PIN.
    public var residentNik: String?

    public init(
        id: String, kioskId: String, villageCode: String, number: String, date: String, service: String,
        takenAt: Date, clockSynced: Bool, printOutcome: ServiceRecordUpload.PrintOutcome, printProblem: String? = nil,
        residentNik: String? = nil
    ) {
        self.id = id
        self.kioskId = kioskId
        self.villageCode = villageCode
        self.number = number
        self.date = date
        self.service = service
        self.takenAt = takenAt
        self.clockSynced = clockSynced
        self.printOutcome = printOutcome
        self.printProblem = printProblem
        self.residentNik = residentNik
    }
}
