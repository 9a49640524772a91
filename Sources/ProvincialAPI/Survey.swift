/// `POST /v1/surveys`: one kiosk's satisfaction survey totals for one day that is over (survei kepuasan
/// masyarakat, Permenpan RB 14/2017). Totals only, per service kind: nothing that names or follows a resident.
/// Every cell holds at least `minimumCellAnswers` answers: kinds with fewer are merged into the cell `*`, and a
/// day with fewer in all is carried into the next (`from`), so no cell can be traced to one resident.
public struct SurveyDay: Codable, Hashable, Sendable {
    /// The smallest number of answers a cell may hold (the province refuses fewer).
    public static let minimumCellAnswers = 5

    public var kioskId: String
    /// The kiosk's local date, `2026-12-05`: the last day the totals cover.
    public var date: String
    /// The first day the totals cover, when earlier days with too few answers were carried into this one.
    public var from: String?
    public var services: [SurveyCounts]

    public init(kioskId: String, date: String, from: String? = nil, services: [SurveyCounts]) {
        self.kioskId = kioskId
        self.date = date
        self.from = from
        self.services = services
    }
}

/// The answers for one service kind on one day, per face (IKM scale: 4 sangat baik ... 1 tidak baik).
public struct SurveyCounts: Codable, Hashable, Sendable {
    /// The letter code, `S-41`; `*` for the kinds merged because each had fewer than the minimum.
    public var service: String
    public var verySatisfied: Int
    public var satisfied: Int
    public var dissatisfied: Int
    public var veryDissatisfied: Int

    public init(service: String, verySatisfied: Int, satisfied: Int, dissatisfied: Int, veryDissatisfied: Int) {
        self.service = service
        self.verySatisfied = verySatisfied
        self.satisfied = satisfied
        self.dissatisfied = dissatisfied
        self.veryDissatisfied = veryDissatisfied
    }
}
