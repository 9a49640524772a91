/// `GET /v1/board`: the village board of the kiosk's village (Permendagri 20/2018 art. 39 and 72), for its idle
/// screen. The answer carries an `ETag`; the kiosk sends it back as `If-None-Match` and gets `304` while the board
/// is unchanged. Public figures and titles only: the schema has no field for a payee, a bank account or an NPWP
/// (Siskeudes' `Ta_SPPBukti` holds them; they never leave the province).
public struct Board: Codable, Hashable, Sendable {
    public var villageCode: String
    /// The budget year.
    public var year: Int
    /// `yyyy-mm-dd`: the day the figures are as of.
    public var asOf: String
    /// Pendapatan, Belanja, Pembiayaan.
    public var summary: [BoardLine]
    /// Spending per bidang.
    public var byBidang: [BoardLine]
    public var activities: [BoardActivity]
    public var announcements: [BoardAnnouncement]
    /// Where complaints go.
    public var complaints: String

    public init(
        villageCode: String, year: Int, asOf: String, summary: [BoardLine], byBidang: [BoardLine],
        activities: [BoardActivity], announcements: [BoardAnnouncement], complaints: String
    ) {
        self.villageCode = villageCode
        self.year = year
        self.asOf = asOf
        self.summary = summary
        self.byBidang = byBidang
        self.activities = activities
        self.announcements = announcements
        self.complaints = complaints
    }
}

/// {judul, anggaran, realisasi, persen} of OpenSID's finance widget; amounts in whole rupiah.
public struct BoardLine: Codable, Hashable, Sendable {
    public var title: String
    public var budget: Int64
    public var realised: Int64
    public var percent: Double

    public init(title: String, budget: Int64, realised: Int64, percent: Double) {
        self.title = title
        self.budget = budget
        self.realised = realised
        self.percent = percent
    }
}

public struct BoardActivity: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Hashable, Sendable {
        case done, ongoing, notStarted
    }

    public var title: String
    public var bidang: Int?
    public var status: Status
    /// Physical progress in percent, 0-100.
    public var progress: Int
    /// Who carries it out: a team or an institution, never a payee.
    public var executor: String?

    public init(title: String, bidang: Int? = nil, status: Status, progress: Int, executor: String? = nil) {
        self.title = title
        self.bidang = bidang
        self.status = status
        self.progress = progress
        self.executor = executor
    }
}

public struct BoardAnnouncement: Codable, Hashable, Sendable {
    public var title: String
    public var body: String
    /// `yyyy-mm-dd`, both days included.
    public var validFrom: String
    public var validUntil: String

    public init(title: String, body: String, validFrom: String, validUntil: String) {
        self.title = title
        self.body = body
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}
