/// The paths of the provincial API (`api/provincial-api.yaml`), relative to the server's base URL.
public enum Endpoint {
    public static let enrollments = "/v1/enrollments"
    public static let records = "/v1/records"
    public static let registry = "/v1/registry"
    public static let heartbeats = "/v1/heartbeats"
    /// A day's satisfaction survey totals (`SurveyDay`).
    public static let surveys = "/v1/surveys"
    /// Queue tickets (`TicketBatch`), answered per ticket like records.
    public static let tickets = "/v1/tickets"
    public static let kioskKeys = "/v1/kiosks/keys"
    /// The village board (`Board`), with `ETag` and `If-None-Match`.
    public static let board = "/v1/board"
    /// Letters prepared elsewhere and ready for collection at the kiosk (`PickupPage`), with a cursor.
    public static let pickups = "/v1/pickups"
    public static let letterVerification = "/v1/letters/verification"
    /// The verification page a letter's QR links to (`?s=<payload>`): HTML in Bahasa Indonesia, for any phone.
    public static let letterPage = "/surat"

    /// The most records one upload may carry (`RecordBatch.records.maxItems`).
    public static let maximumBatch = 500
}
