/// `GET /v1/pickups?cursor=`: letters of the kiosk's village prepared elsewhere (asked for by phone, checked and signed
/// by the village: OpenSID's permohonan surat at state 3 Siap Diambil) and what became of them since the cursor. The
/// kiosk keeps the ready ones, sealed, until the resident taps, and prints each PDF unchanged.
public struct PickupPage: Codable, Hashable, Sendable {
    public var changes: [PickupChange]
    /// Where the next sync starts.
    public var cursor: String
    /// More changes are waiting: ask again with `cursor`.
    public var more: Bool

    public init(changes: [PickupChange], cursor: String, more: Bool) {
        self.changes = changes
        self.cursor = cursor
        self.more = more
    }
}

/// One prepared letter: ready (with its holder, kind, number and PDF), collected (at any kiosk of the village, or at
/// the village hall), or cancelled.
public struct PickupChange: Codable, Hashable, Sendable {
    /// The province's id of the request; also what the collection record names (`ServiceRecord.pickupId`).
    public var id: String
    public var villageCode: String
    public var status: Status
    /// Who may collect it: the holder's NIK, and their card UID (hex) when the village bound the request to a card.
    public var holderNik: String?
    public var holderCardUid: String?
    /// The letter's code in the village's catalogue (`S-41`).
    public var kind: String?
    /// The letter's number as the village gave it.
    public var number: String?
    /// The signed PDF (a BSrE TTE or a village-signed PDF), base64. Printed as it is, never re-rendered.
    public var pdf: String?

    /// OpenSID's states a kiosk meets: 3 Siap Diambil, 4 Sudah Diambil, 5 Dibatalkan.
    public enum Status: String, Codable, Hashable, Sendable {
        case ready, collected, cancelled
    }

    public init(
        id: String, villageCode: String, status: Status, holderNik: String? = nil, holderCardUid: String? = nil,
        kind: String? = nil, number: String? = nil, pdf: String? = nil
    ) {
        self.id = id
        self.villageCode = villageCode
        self.status = status
        self.holderNik = holderNik
        self.holderCardUid = holderCardUid
        self.kind = kind
        self.number = number
        self.pdf = pdf
    }
}
