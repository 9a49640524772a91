/// `POST /v1/surveys`: one kiosk's satisfaction survey totals for one day that is over (survei kepuasan
/// masyarakat, Permenpan RB 14/2017). Totals only, per service kind: nothing that names or follows a resident.
public struct SurveyDay: Codable, Hashable, Sendable {
    public var kioskId: String
    /// The kiosk's local date, `2026-12-05`.
    public var date: String
    public var services: [SurveyCounts]

    public init(kioskId: String, date: String, services: [SurveyCounts]) {
        self.kioskId = kioskId
        self.date = date
        self.services = services
    }
}

/// The answers for one service kind on one day, per face (IKM scale: 4 sangat baik ... 1 tidak baik).
public struct SurveyCounts: Codable, Hashable, Sendable {
    /// The letter code, `S-41`.
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
