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

/// libinput's `LIBINPUT_CALIBRATION_MATRIX` as udev stores it: six decimal numbers, strictly.
@Suite("TouchCalibration from LIBINPUT_CALIBRATION_MATRIX")
struct LibinputMatrixTests {
    @Test(arguments: [
        ("0 -1 1 1 0 0", [0.0, -1, 1, 1, 0, 0]),
        ("-1 0 1 0 -1 1", [-1.0, 0, 1, 0, -1, 1]),
        ("1.02 0 -0.01\t0 1.05 -0.02", [1.02, 0, -0.01, 0, 1.05, -0.02]),
        ("  1 0 0 0 1 0  ", [1.0, 0, 0, 0, 1, 0]),
        ("+1 0 0 0 1e0 .5", [1.0, 0, 0, 0, 1, 0.5]),
    ])
    func wellFormedMatricesParse(text: String, matrix: [Double]) throws {
        let calibration = try TouchCalibration(libinputMatrix: text)
        #expect(calibration.matrix == matrix)
    }

    @Test(arguments: [
        ("", TouchCalibration.MatrixError.count(0)),
        ("1 0 0 0 1", .count(5)),
        ("1 0 0 0 1 0 0", .count(7)),
        ("1,0,0,0,1,0", .count(1)),
        ("1, 0, 0, 0, 1, 0", .notANumber(position: 1, text: "1,")),
        ("[1 0 0 0 1 0]", .notANumber(position: 1, text: "[1")),
        ("1 0 0 0 1 x", .notANumber(position: 6, text: "x")),
        ("1 0 0 0 1 nan", .notANumber(position: 6, text: "nan")),
        ("inf 0 0 0 1 0", .notANumber(position: 1, text: "inf")),
        ("0x1p0 0 0 0 1 0", .notANumber(position: 1, text: "0x1p0")),
        ("1 0 0 0 1 -", .notANumber(position: 6, text: "-")),
        ("1 0 0 0 1 1e", .notANumber(position: 6, text: "1e")),
        ("1 0 0 0 1 1..0", .notANumber(position: 6, text: "1..0")),
        ("1 0 0 0 1 1e999", .notFinite(position: 6)),
        ("1 0 0 0 1 ٣", .notANumber(position: 6, text: "٣")),
    ])
    func malformedMatricesAreRefusedWithTheReason(text: String, error: TouchCalibration.MatrixError) {
        #expect(throws: error) { try TouchCalibration(libinputMatrix: text) }
    }

    /// Fuzz-ish: every string cut from or spliced into a good matrix either parses to six finite numbers or
    /// throws; nothing crashes and nothing non-finite gets through.
    @Test func cutsAndSplicesNeverCrashOrLetNonFiniteThrough() {
        let good = "0.5 -1 1 1 0 0"
        let inserts = ["", " ", "\t", "e", "-", ".", ",", "x", "1e308", "9", "\u{0}", "\n", "E+", "nan"]
        var parsed = 0
        for cut in 0...good.count {
            for insert in inserts {
                let text = String(good.prefix(cut)) + insert + String(good.dropFirst(cut))
                if let calibration = try? TouchCalibration(libinputMatrix: text) {
                    parsed += 1
                    #expect(calibration.matrix.count == 6 && calibration.matrix.allSatisfy(\.isFinite), "\(text)")
                }
            }
        }
        #expect(parsed > 0)
    }

    @Test func theMatrixIsWrittenBackAsLibinputWritesIt() throws {
        #expect(try TouchCalibration(libinputMatrix: "0 -1 1 1 0 0").libinputMatrix == "0 -1 1 1 0 0")
        #expect(try TouchCalibration(libinputMatrix: "1.5 0 0 0 1 0").libinputMatrix == "1.5 0 0 0 1 0")
        #expect(TouchCalibration.identity.libinputMatrix == "1 0 0 0 1 0")
    }
}
