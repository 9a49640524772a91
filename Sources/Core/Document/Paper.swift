/// The paper a letter is laid out on, in points.
public enum Paper: String, Hashable, Sendable, CaseIterable {
    /// 215 x 330 mm, "folio": what village offices load (OpenSID's default).
    case f4 = "F4"
    /// 210 x 297 mm.
    case a4 = "A4"

    public var size: Size {
        switch self {
        case .f4: Size(width: Self.points(mm: 215), height: Self.points(mm: 330))
        case .a4: Size(width: Self.points(mm: 210), height: Self.points(mm: 297))
        }
    }

    /// OpenSID's letter margins (left 1.78, top 0.63, right 1.78, bottom 1.37 cm), the top widened to 1 cm so the
    /// letterhead clears the unprintable edge of common laser printers.
    public var margins: Margins {
        Margins(top: Self.points(mm: 10), left: Self.points(mm: 17.8), bottom: Self.points(mm: 13.7), right: Self.points(mm: 17.8))
    }

    public static func points(mm: Double) -> Double { mm * 72 / 25.4 }
}

public struct Margins: Hashable, Sendable {
    public var top, left, bottom, right: Double
}
