/// The colours of the resident screens. Every text colour reaches at least 7:1 contrast (WCAG AAA) against the
/// fill it is drawn on, for elderly eyes in a bright village hall; `ScreenPainterTests` checks each pair.
public struct ScreenTheme: Hashable, Sendable {
    public var background: Color
    public var text: Color
    public var title: Color
    /// Titles of error screens.
    public var alert: Color
    /// The main action of a screen (Cetak, Selesai): light text on a dark fill.
    public var primary: ButtonColors
    /// Secondary actions (Batal, Kembali) and PIN keys.
    public var secondary: ButtonColors
    /// Large choices (letters, purposes): dark text on white inside a strong border.
    public var choice: ButtonColors
    /// A button under the resident's finger: it changes clearly, so a press is seen before it acts on release.
    public var pressed: ButtonColors
    /// Icons, PIN dots, the progress bar and the spinner.
    public var accent: Color
    /// The empty part of the progress bar, the dimmed spinner dots and the idle waves.
    public var muted: Color

    public struct ButtonColors: Hashable, Sendable {
        public var fill: Color
        public var text: Color
        public var border: Color

        public init(fill: Color, text: Color, border: Color) {
            self.fill = fill
            self.text = text
            self.border = border
        }
    }

    public static let standard = ScreenTheme(
        background: .white, text: Color(hex: 0x111111), title: Color(hex: 0x0B3D91), alert: Color(hex: 0xA10000),
        primary: ButtonColors(fill: Color(hex: 0x0B3D91), text: .white, border: Color(hex: 0x0B3D91)),
        secondary: ButtonColors(fill: Color(hex: 0xE6E6E6), text: Color(hex: 0x111111), border: Color(hex: 0x4D4D4D)),
        choice: ButtonColors(fill: .white, text: Color(hex: 0x111111), border: Color(hex: 0x0B3D91)),
        pressed: ButtonColors(fill: Color(hex: 0xFFD23F), text: Color(hex: 0x111111), border: Color(hex: 0x111111)),
        accent: Color(hex: 0x0B3D91), muted: Color(hex: 0xC8CDD6))
}
