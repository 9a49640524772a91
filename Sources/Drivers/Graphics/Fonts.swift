import Core
import NIOConcurrencyHelpers

/// The font families a display list's `Font.Family` stands for, checked to be installed.
///
/// Letters use Liberation Serif and Sans, the metric twins of Times New Roman and Arial that village letters are
/// set in, so a line wraps where a clerk's word processor would wrap it.
public struct Fonts: Hashable, Sendable {
    public var serif: String
    public var sans: String

    public init(serif: String = "Liberation Serif", sans: String = "Liberation Sans") {
        self.serif = serif
        self.sans = sans
    }

    func family(_ family: Font.Family) -> String {
        switch family {
        case .serif: serif
        case .sans: sans
        }
    }

    /// Throws `fontMissing` for the first family (regular or bold) fontconfig would substitute.
    public func verify() throws(GraphicsError) {
        if Self.verified.withLockedValue({ $0.contains(self) }) { return }
        for family in [serif, sans] {
            for style in ["", ":bold"] {
                guard Fontconfig.matchedFamily(family + style) == family else {
                    throw .fontMissing(
                        family: family,
                        package: family.hasPrefix("Liberation") ? "fonts-liberation2" : "the font's package")
                }
            }
        }
        Self.verified.withLockedValue { _ = $0.insert(self) }
    }

    /// Families found installed, asked once per process: `kiosk run` makes a renderer for the display and others for
    /// the letter printer, the test page and the queue's slips, and each asked fontconfig four times.
    private static let verified = NIOLockedValueBox<Set<Fonts>>([])
}
