import Testing

@testable import Core

@Suite("TouchCalibration: raw panel coordinates onto the display panel")
struct TouchCalibrationTests {
    static let range = AxisRange(minimum: 0, maximum: 4095)

    static func point(
        _ calibration: TouchCalibration, _ x: Int32, _ y: Int32, xRange: AxisRange = range,
        yRange: AxisRange = range
    ) -> PanelPoint {
        calibration.point(x: x, y: y, xRange: xRange, yRange: yRange)
    }

    @Test func theIdentityScalesEachAxisByItsOwnRange() {
        let p = Self.point(.identity, 1024, 600, yRange: AxisRange(minimum: 0, maximum: 1200))
        #expect(abs(p.x - 1024.0 / 4095) < 1e-9)
        #expect(p.y == 0.5)
        #expect(Self.point(.identity, 0, 0) == PanelPoint(x: 0, y: 0))
        #expect(Self.point(.identity, 4095, 4095) == PanelPoint(x: 1, y: 1))
    }

    @Test func aRangeThatDoesNotStartAtZeroIsShifted() {
        let p = Self.point(.identity, 300, 3800, xRange: AxisRange(minimum: 200, maximum: 3800))
        #expect(abs(p.x - 100.0 / 3600) < 1e-9)
        #expect(abs(p.y - 3800.0 / 4095) < 1e-9)
    }

    @Test func aBackwardsRangeInvertsTheAxis() {
        let backwards = AxisRange(minimum: 4095, maximum: 0)
        #expect(Self.point(.identity, 0, 0, xRange: backwards) == PanelPoint(x: 1, y: 0))
        #expect(Self.point(.identity, 4095, 0, xRange: backwards) == PanelPoint(x: 0, y: 0))
    }

    @Test func anEmptyRangePassesTheRawValueClamped() {
        let empty = AxisRange(minimum: 5, maximum: 5)
        #expect(Self.point(.identity, 0, 0, xRange: empty).x == 0)
        #expect(Self.point(.identity, 7, 0, xRange: empty).x == 1)
    }

    @Test func pointsBeyondTheEdgesAreClamped() {
        let p = Self.point(.identity, -80, 4300)
        #expect(p == PanelPoint(x: 0, y: 1))
    }

    @Test func swapComesBeforeInversion() {
        // Raw (x, y) = (1/4, 3/4 of the ranges).
        let (x, y): (Int32, Int32) = (1000, 3000)
        let nx = 1000.0 / 4095
        let ny = 3000.0 / 4095
        let swapped = Self.point(TouchCalibration(swapXY: true, invertX: false, invertY: false), x, y)
        #expect(abs(swapped.x - ny) < 1e-9 && abs(swapped.y - nx) < 1e-9)
        let swappedInverted = Self.point(TouchCalibration(swapXY: true, invertX: true, invertY: false), x, y)
        #expect(abs(swappedInverted.x - (1 - ny)) < 1e-9 && abs(swappedInverted.y - nx) < 1e-9)
        let inverted = Self.point(TouchCalibration(swapXY: false, invertX: false, invertY: true), x, y)
        #expect(abs(inverted.x - nx) < 1e-9 && abs(inverted.y - (1 - ny)) < 1e-9)
    }

    @Test func libinputsRotationMatricesAreTheSwapAndInvertCases() throws {
        #expect(TouchCalibration(swapXY: true, invertX: true, invertY: false).matrix == [0, -1, 1, 1, 0, 0])
        #expect(TouchCalibration(swapXY: false, invertX: true, invertY: true).matrix == [-1, 0, 1, 0, -1, 1])
        #expect(TouchCalibration(swapXY: true, invertX: false, invertY: true).matrix == [0, 1, 0, -1, 0, 1])
        #expect(TouchCalibration(swapXY: false, invertX: false, invertY: false) == .identity)
        // 90°: the panel's top left (0, 0) lands at the display's top right.
        let ninety = try #require(TouchCalibration(matrix: [0, -1, 1, 1, 0, 0]))
        #expect(Self.point(ninety, 0, 0) == PanelPoint(x: 1, y: 0))
    }

    @Test func aGeneralMatrixScalesAndShifts() throws {
        // A resistive panel whose active area is 90% of its range, 5% in from each edge.
        let matrix = try #require(TouchCalibration(matrix: [1 / 0.9, 0, -0.05 / 0.9, 0, 1 / 0.9, -0.05 / 0.9]))
        let p = Self.point(matrix, 2048, 205)
        #expect(abs(p.x - 0.5) < 0.001)
        #expect(p.y < 0.001)
    }

    @Test func onlySixFiniteNumbersMakeAMatrix() {
        #expect(TouchCalibration(matrix: [1, 0, 0, 0, 1]) == nil)
        #expect(TouchCalibration(matrix: [1, 0, 0, 0, 1, .nan]) == nil)
        #expect(TouchCalibration(matrix: [1, 0, 0, 0, 1, .infinity]) == nil)
        #expect(TouchCalibration(matrix: [1, 0, 0, 0, 1, 0]) == .identity)
    }
}
