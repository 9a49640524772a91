/// The range of one absolute axis, as the kernel reports it (EVIOCGABS: `minimum`, `maximum`).
public struct AxisRange: Hashable, Sendable {
    public var minimum: Int32
    public var maximum: Int32

    public init(minimum: Int32, maximum: Int32) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// `value` on a 0...1 scale from `minimum` to `maximum`, unclamped. A range given backwards (minimum above
    /// maximum) inverts the axis, as LVGL's evdev driver does; an empty range (minimum == maximum) cannot be
    /// scaled and passes the raw value, which the clamp then turns into 0 or 1.
    public func normalized(_ value: Int32) -> Double {
        guard minimum != maximum else { return Double(value) }
        return (Double(value) - Double(minimum)) / (Double(maximum) - Double(minimum))
    }
}

/// Maps a touch panel's raw coordinates onto the display panel.
///
/// The general form is libinput's calibration matrix (`LIBINPUT_CALIBRATION_MATRIX`): six numbers, two rows of
/// an affine transform applied to coordinates already normalized to 0...1 by the axis ranges,
/// `x' = a·x + b·y + c`, `y' = d·x + e·y + f`. A technician can copy a matrix from a udev rule or from
/// libinput's documentation, and swap/invert are special cases of it: `0 -1 1 1 0 0` is libinput's 90°,
/// `-1 0 1 0 -1 1` its 180°, `0 1 0 -1 0 1` its 270°. The result is clamped to 0...1: a resistive panel reports a
/// little beyond its calibrated edges, and the edge button should still get the touch.
public struct TouchCalibration: Hashable, Sendable {
    /// `[a, b, c, d, e, f]`.
    public let matrix: [Double]

    /// The panel's axes are the display's.
    public static let identity = TouchCalibration(uncheckedMatrix: [1, 0, 0, 0, 1, 0])

    /// A matrix of six finite numbers; `nil` otherwise.
    public init?(matrix: [Double]) {
        guard matrix.count == 6, matrix.allSatisfy(\.isFinite) else { return nil }
        self.matrix = matrix
    }

    private init(uncheckedMatrix: [Double]) { matrix = uncheckedMatrix }

    /// The common corrections as a matrix. The swap comes first (as in LVGL and Qt's evdev handler): `invertX`
    /// then inverts the display's x, whichever raw axis now feeds it.
    public init(swapXY: Bool, invertX: Bool, invertY: Bool) {
        // Rows for x' and y' before inversion.
        var x: [Double] = swapXY ? [0, 1, 0] : [1, 0, 0]
        var y: [Double] = swapXY ? [1, 0, 0] : [0, 1, 0]
        // Inverting is 1 - value: negate the row and add 1 to its constant.
        if invertX { x = [-x[0], -x[1], 1 - x[2]] }
        if invertY { y = [-y[0], -y[1], 1 - y[2]] }
        matrix = x + y
    }

    /// The panel point of a raw contact at (`x`, `y`) on axes with the given ranges.
    public func point(x: Int32, y: Int32, xRange: AxisRange, yRange: AxisRange) -> PanelPoint {
        let nx = xRange.normalized(x)
        let ny = yRange.normalized(y)
        let m = matrix
        return PanelPoint(
            x: Self.clamp(m[0] * nx + m[1] * ny + m[2]), y: Self.clamp(m[3] * nx + m[4] * ny + m[5]))
    }

    private static func clamp(_ value: Double) -> Double { min(1, max(0, value)) }
}

extension TouchCalibration {
    /// Why a `LIBINPUT_CALIBRATION_MATRIX` value was refused.
    public enum MatrixError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Not six numbers.
        case count(Int)
        /// The number at `position` (1-based) is not a plain decimal number.
        case notANumber(position: Int, text: String)
        /// The number at `position` is too large to be a coefficient (infinite as a Double).
        case notFinite(position: Int)

        public var description: String {
            let expected = "expected six numbers separated by spaces, such as \"0 -1 1 1 0 0\" (90°)"
            switch self {
            case .count(let count): return "found \(count) number\(count == 1 ? "" : "s"); \(expected)"
            case .notANumber(let position, let text):
                // The text comes from a udev rule, not from a person; cut short so a broken file cannot flood a log.
                return "number \(position) (\"\(text.prefix(24))\") is not a decimal number; \(expected)"
            case .notFinite(let position): return "number \(position) is out of range; \(expected)"
            }
        }
    }

    /// Parses libinput's udev property `LIBINPUT_CALIBRATION_MATRIX`: six decimal numbers separated by spaces or
    /// tabs, `a b c d e f`. Strict: no commas, brackets, hexadecimal, `inf` or `nan`, and no seventh number.
    public init(libinputMatrix text: String) throws(MatrixError) {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard tokens.count == 6 else { throw .count(tokens.count) }
        var matrix: [Double] = []
        for (index, token) in tokens.enumerated() {
            let allowed = token.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
            guard allowed, token.contains(where: \.isNumber), let value = Double(token) else {
                throw .notANumber(position: index + 1, text: String(token))
            }
            guard value.isFinite else { throw .notFinite(position: index + 1) }
            matrix.append(value)
        }
        self.init(uncheckedMatrix: matrix)
    }

    /// The matrix as libinput writes it: `1 0 0 0 1 0`.
    public var libinputMatrix: String {
        matrix.map { $0 == $0.rounded() && abs($0) < 1e9 ? String(Int($0)) : String($0) }.joined(separator: " ")
    }
}
