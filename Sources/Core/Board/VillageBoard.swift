/// The village's own board, shown on the idle screen (Permendagri 20/2018 art. 39 and 72): the budget year's
/// realisation by income/spending and by bidang, the activities with their status, announcements, and where
/// complaints go, with the date the figures are "as of". It holds public figures and titles only: no payee, bank
/// account or NPWP has a field here, so none can reach the screen.
public struct VillageBoard: Hashable, Sendable {
    public var year: Int
    /// The date the province (or the imported export) says the figures are as of.
    public var asOf: CalendarDate
    /// Pendapatan, Belanja, Pembiayaan: the APBDes realisation.
    public var summary: [Line]
    /// Spending realisation per bidang (1 Penyelenggaraan Pemerintahan Desa ... 5 Penanggulangan Bencana).
    public var byBidang: [Line]
    public var activities: [Activity]
    public var announcements: [Announcement]
    /// Where complaints go (art. 39 and 72).
    public var complaints: String

    public init(
        year: Int, asOf: CalendarDate, summary: [Line], byBidang: [Line], activities: [Activity] = [],
        announcements: [Announcement] = [], complaints: String
    ) {
        self.year = year
        self.asOf = asOf
        self.summary = summary
        self.byBidang = byBidang
        self.activities = activities
        self.announcements = announcements
        self.complaints = complaints
    }

    /// One row of OpenSID's finance widget: {judul, anggaran, realisasi, persen}. Amounts in whole rupiah.
    public struct Line: Hashable, Sendable {
        public var title: String
        public var budget: Int64
        public var realised: Int64

        public init(title: String, budget: Int64, realised: Int64) {
            self.title = title
            self.budget = budget
            self.realised = realised
        }

        /// Realised as a share of the budget, in percent (OpenSID's rule: 100 when there is no budget but some
        /// realisation, 0 when there is neither).
        public var percent: Double {
            if budget > 0 { return Double(realised) / Double(budget) * 100 }
            return realised > 0 ? 100 : 0
        }
    }

    public struct Activity: Hashable, Sendable {
        public enum Status: String, Hashable, Sendable, CaseIterable {
            case done, ongoing, notStarted
        }

        public var title: String
        public var bidang: Int?
        public var status: Status
        /// Physical progress, 0-100.
        public var progress: Int
        /// Who carries it out (art. 39): a team or an institution (TPK, BUMDes), never a payee.
        public var executor: String?

        public init(title: String, bidang: Int? = nil, status: Status, progress: Int, executor: String? = nil) {
            self.title = title
            self.bidang = bidang
            self.status = status
            self.progress = progress
            self.executor = executor
        }
    }

    public struct Announcement: Hashable, Sendable {
        public var title: String
        public var body: String
        public var validFrom: CalendarDate
        public var validUntil: CalendarDate

        public init(title: String, body: String, validFrom: CalendarDate, validUntil: CalendarDate) {
            self.title = title
            self.body = body
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    /// The announcements valid on `today`.
    public func announcements(on today: CalendarDate) -> [Announcement] {
        announcements.filter { $0.validFrom <= today && today <= $0.validUntil }
    }

    /// Activities done, and not (yet) done.
    public var activityCounts: (done: Int, notDone: Int) {
        let done = activities.count { $0.status == .done }
        return (done, activities.count - done)
    }

    /// The longest texts the kiosk keeps: a board's text beyond them is cut (an announcement of 5 MB would take
    /// the screen's memory and say nothing more on a 7-inch panel).
    public static let maximumTitle = 200
    public static let maximumBody = 2_000

    /// Why a board cannot be shown, if it cannot: negative amounts or progress out of 0-100 are the source's
    /// mistake, and a board that showed them would mislead.
    public var problem: String? {
        for line in summary + byBidang where line.budget < 0 || line.realised < 0 {
            return "\"\(line.title)\" has a negative amount (budget \(line.budget), realised \(line.realised))"
        }
        if let activity = activities.first(where: { !(0...100).contains($0.progress) }) {
            return "activity \"\(activity.title.prefix(40))\" has progress \(activity.progress), expected 0-100"
        }
        if let announcement = announcements.first(where: { $0.validUntil < $0.validFrom }) {
            return "announcement \"\(announcement.title.prefix(40))\" ends before it starts"
        }
        return nil
    }

    /// The board with every text cut to what the kiosk keeps.
    public func trimmed() -> VillageBoard {
        func cut(_ text: String, _ limit: Int) -> String {
            text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
        }
        var board = self
        board.summary = summary.map {
            Line(title: cut($0.title, Self.maximumTitle), budget: $0.budget, realised: $0.realised)
        }
        board.byBidang = byBidang.map {
            Line(title: cut($0.title, Self.maximumTitle), budget: $0.budget, realised: $0.realised)
        }
        board.activities = activities.map {
            var activity = $0
            activity.title = cut($0.title, Self.maximumTitle)
            activity.executor = $0.executor.map { cut($0, Self.maximumTitle) }
            return activity
        }
        board.announcements = announcements.map {
            Announcement(
                title: cut($0.title, Self.maximumTitle), body: cut($0.body, Self.maximumBody), validFrom: $0.validFrom,
                validUntil: $0.validUntil)
        }
        board.complaints = cut(complaints, Self.maximumTitle)
        return board
    }

    /// The bidang of village spending (Permendagri 20/2018, annex), by number.
    public static let bidangNames = [
        1: "Penyelenggaraan Pemerintahan Desa",
        2: "Pelaksanaan Pembangunan Desa",
        3: "Pembinaan Kemasyarakatan Desa",
        4: "Pemberdayaan Masyarakat Desa",
        5: "Penanggulangan Bencana, Keadaan Darurat dan Mendesak Desa",
    ]
}

/// A board as the kiosk holds it: the figures, and the last day the kiosk confirmed them with their source (a sync
/// that found them current, or the import).
public struct StoredBoard: Hashable, Sendable {
    public var board: VillageBoard
    public var confirmedOn: CalendarDate

    public init(board: VillageBoard, confirmedOn: CalendarDate) {
        self.board = board
        self.confirmedOn = confirmedOn
    }

    /// Days without confirmation after which the board is labelled stale: a kiosk syncs every quarter hour when it
    /// is online, so a week means it has been cut off (or an import was never repeated).
    public static let staleAfterDays = 7

    /// Whether the board must be labelled as not current on `today`.
    public func isStale(on today: CalendarDate) -> Bool {
        today.daysSinceEpoch - confirmedOn.daysSinceEpoch > Self.staleAfterDays
    }
}

/// Numbers as Indonesians write them: `.` between thousands, `,` before decimals.
public enum IndonesianNumber {
    /// `Rp 1.234.567.890`; negative amounts as `-Rp 5.000`.
    public static func rupiah(_ amount: Int64) -> String {
        (amount < 0 ? "-" : "") + "Rp " + grouped(amount.magnitude)
    }

    /// `45,6 %`, one decimal.
    public static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "- %" }
        let tenths = Int64((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(grouped(tenths.magnitude / 10)),\(tenths.magnitude % 10) %"
    }

    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(".") }
            out.append(digit)
        }
        return out
    }
}
