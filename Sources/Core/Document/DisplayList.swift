/// What a page or a screen shows, as positioned drawing commands: Core lays out, Drivers/Graphics draws.
///
/// Units are points (1/72 inch) for paper and pixels for screens; the renderer scales. Positions are from the
/// top-left corner, y downwards; a text run's `origin` is the left end of its baseline.
public struct DisplayList: Hashable, Sendable {
    public var pages: [DisplayPage]

    public init(pages: [DisplayPage]) {
        self.pages = pages
    }
}

/// One page (or one screen frame).
public struct DisplayPage: Hashable, Sendable {
    public var size: Size
    public var items: [DisplayItem]

    public init(size: Size, items: [DisplayItem] = []) {
        self.size = size
        self.items = items
    }

    /// Every text run's text, in drawing order: what a test reads instead of pixels.
    public var texts: [String] {
        items.compactMap { if case .text(let run) = $0 { run.text } else { nil } }
    }
}

public enum DisplayItem: Hashable, Sendable {
    case text(TextRun)
    /// A straight line, e.g. the rule under the letterhead or an underline.
    case rule(from: Point, to: Point, width: Double)
    /// A filled rectangle.
    case fill(Rect, Color)
    /// A picture from a file (the village's logo), scaled into `frame` keeping its aspect ratio.
    case image(path: String, frame: Rect)
    /// A QR code of `payload`, drawn square into `frame` (quiet zone included).
    case qr(payload: String, frame: Rect)
    /// A filled rectangle with rounded corners (a button).
    case roundedRect(Rect, radius: Double, Color)
    /// The outline of a rectangle with rounded corners, `width` thick, drawn inside `rect`.
    case outline(Rect, radius: Double, width: Double, Color)
    /// A filled circle (a PIN dot, a spinner dot).
    case circle(center: Point, radius: Double, Color)
    /// An open line through `points`, stroked with round caps and joins (a tick, a clock's hands, an arc).
    case stroke([Point], width: Double, Color)
    /// A filled polygon (a warning triangle).
    case polygon([Point], Color)
    /// A circular arc stroked `width` thick, from angle `from` to `to` in radians, clockwise on screen (0 points
    /// right). Trigonometry stays with the renderer, so Core needs no maths library.
    case arc(center: Point, radius: Double, from: Double, to: Double, width: Double, Color)
}

/// A run of text on one line: wrapping happened in layout, through a `TextMeasurer`.
public struct TextRun: Hashable, Sendable {
    public var text: String
    public var origin: Point
    public var font: Font
    public var color: Color

    public init(_ text: String, at origin: Point, font: Font, color: Color = .black) {
        self.text = text
        self.origin = origin
        self.font = font
        self.color = color
    }
}

public struct Font: Hashable, Sendable {
    public enum Family: String, Hashable, Sendable, CaseIterable {
        /// Liberation Serif, the metric twin of Times New Roman.
        case serif
        /// Liberation Sans, the metric twin of Arial (OpenSID's default letter font).
        case sans
    }

    public var family: Family
    public var size: Double
    public var bold: Bool

    public init(_ family: Family, size: Double, bold: Bool = false) {
        self.family = family
        self.size = size
        self.bold = bold
    }

    public func bold(_ bold: Bool = true) -> Font { Font(family, size: size, bold: bold) }
}

public struct Color: Hashable, Sendable {
    public var red, green, blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255)
    }
}

public struct Point: Hashable, Sendable {
    public var x, y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

public struct Size: Hashable, Sendable {
    public var width, height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

public struct Rect: Hashable, Sendable {
    public var origin: Point
    public var size: Size

    public init(x: Double, y: Double, width: Double, height: Double) {
        origin = Point(x: x, y: y)
        size = Size(width: width, height: height)
    }

    public var maxX: Double { origin.x + size.width }
    public var maxY: Double { origin.y + size.height }

    public func contains(_ point: Point) -> Bool {
        point.x >= origin.x && point.x < maxX && point.y >= origin.y && point.y < maxY
    }

    /// The rectangle `by` smaller on every side (larger for a negative `by`).
    public func inset(by: Double) -> Rect {
        Rect(x: origin.x + by, y: origin.y + by, width: size.width - 2 * by, height: size.height - 2 * by)
    }
}
