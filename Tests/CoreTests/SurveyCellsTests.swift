import Testing

@testable import Core

/// The survey's upload rule: no cell of fewer than five answers leaves the kiosk.
@Suite("Survey cells: small days stay anonymous")
struct SurveyCellsTests {
    typealias Counts = SurveyCells.Counts

    static func cells(_ counts: [String: Counts]) -> [String: Int]? {
        SurveyCells.anonymous(counts)?.mapValues { $0.values.reduce(0, +) }
    }

    @Test("a day of one answer uploads nothing (it is carried into the next day)")
    func single() {
        #expect(Self.cells(["S-41": [.satisfied: 1]]) == nil)
        #expect(Self.cells(["S-41": [.satisfied: 2], "S-30": [.dissatisfied: 2]]) == nil)
        #expect(Self.cells([:]) == nil)
    }

    @Test("kinds with enough answers keep their cells; the few are merged into *")
    func merged() throws {
        let cells = try #require(
            SurveyCells.anonymous([
                "S-41": [.satisfied: 3, .verySatisfied: 4], "S-30": [.dissatisfied: 3], "S-10": [.satisfied: 2],
            ]))
        #expect(cells.keys.sorted() == ["*", "S-41"])
        #expect(cells["*"] == [.dissatisfied: 3, .satisfied: 2])
        #expect(cells.values.allSatisfy { $0.values.reduce(0, +) >= SurveyCells.minimumAnswers })
    }

    @Test("when * would still be small, the whole day is one * cell")
    func wholeDay() throws {
        let cells = try #require(SurveyCells.anonymous(["S-41": [.satisfied: 9], "S-30": [.veryDissatisfied: 1]]))
        #expect(cells == ["*": [.satisfied: 9, .veryDissatisfied: 1]])
    }

    @Test("a kind with exactly the minimum keeps its cell")
    func exactlyFive() {
        #expect(Self.cells(["S-41": [.satisfied: 5]]) == ["S-41": 5])
    }
}
