/// One answer of the satisfaction survey (survei kepuasan masyarakat, Permenpan RB 14/2017): which service, how it
/// was. Nothing else: no card, no NIK, no record id, no time of day, so it cannot be traced to the resident served
/// a minute earlier. The kiosk adds only the day when it counts it, and uploads days that are over, in totals.
public struct SurveyAnswer: Hashable, Sendable {
    /// The four faces, in the IKM's four-point scale (1 tidak baik ... 4 sangat baik).
    public enum Rating: Int, Hashable, Sendable, CaseIterable {
        case veryDissatisfied = 1
        case dissatisfied = 2
        case satisfied = 3
        case verySatisfied = 4
    }

    /// The service's kind: the letter code (`S-41`).
    public var service: String
    public var rating: Rating

    public init(service: String, rating: Rating) {
        self.service = service
        self.rating = rating
    }
}
