/// The upload rule that keeps survey answers anonymous on small days (docs/RECORDS-AND-SYNC.md, "Survey").
///
/// The province knows from the service records whom a kiosk served on a day, so a cell of one answer (one service
/// kind, one day) names the resident who gave it. No uploaded cell may hold fewer than `minimumAnswers`:
/// - a service kind with fewer answers is merged into the cell `*` (the kinds with few answers);
/// - if `*` still holds fewer (but some), every kind of the day is merged into `*`;
/// - if the whole day holds fewer, nothing is uploaded for it: the day is carried into the next one, and the
///   upload then covers both (`SurveyDay.from`), until the answers reach the minimum.
public enum SurveyCells {
    /// The smallest cell the province receives: as many answers as this, or none.
    public static let minimumAnswers = 5
    /// The cell of the kinds merged because each had too few answers.
    public static let merged = "*"

    public typealias Counts = [SurveyAnswer.Rating: Int]

    /// `counts` per service kind as they may be uploaded; `nil` while all of them hold fewer than the minimum.
    public static func anonymous(_ counts: [String: Counts], minimumAnswers: Int = minimumAnswers) -> [String: Counts]?
    {
        func total(_ cell: Counts) -> Int { cell.values.reduce(0, +) }
        func add(_ a: Counts, _ b: Counts) -> Counts { a.merging(b, uniquingKeysWith: +) }
        let all = counts.values.reduce(Counts(), add)
        guard total(all) >= minimumAnswers else { return nil }
        var cells = counts.filter { total($0.value) >= minimumAnswers }
        let small = counts.filter { total($0.value) < minimumAnswers }.values.reduce(Counts(), add)
        switch total(small) {
        case 0: break
        case minimumAnswers...: cells[merged] = small
        default: cells = [merged: all]
        }
        return cells
    }
}
