/// A letter prepared elsewhere (asked for by phone, checked and signed by the village: OpenSID's request at 3 Siap
/// Diambil) and waiting at the kiosk for its holder. Only what the screen shows: its PDF stays sealed in the store
/// until it prints.
public struct PickupLetter: Hashable, Sendable, CustomStringConvertible {
    /// The province's id of the request.
    public var id: String
    public var kindCode: String
    /// The kind's title from the kiosk's catalogue.
    public var title: String
    /// The number the village gave it.
    public var number: String
    /// When it was collected, here or at another kiosk of the village; `nil` while it waits.
    public var collectedOn: CalendarDate?

    public init(id: String, kindCode: String, title: String, number: String, collectedOn: CalendarDate? = nil) {
        self.id = id
        self.kindCode = kindCode
        self.title = title
        self.number = number
        self.collectedOn = collectedOn
    }

    public var isWaiting: Bool { collectedOn == nil }

    /// Its id only: logs name the request, never its holder.
    public var description: String { "PickupLetter(\(id))" }
}

/// How collecting a prepared letter ended.
public enum PickupOutcome: Hashable, Sendable {
    /// Recorded and printed unchanged, on `on`.
    case printed(on: CalendarDate)
    /// Collected before (here, or at another kiosk of the village once synced): nothing printed.
    case alreadyCollected(on: CalendarDate?)
    /// The printer failed; the letter still waits, nothing is recorded as collected.
    case failed(PrinterProblem)
    /// The collection could not be recorded, so nothing was printed.
    case notRecorded(IssueProblem)
}
