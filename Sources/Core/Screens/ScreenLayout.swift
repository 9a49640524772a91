/// Places a `Screen` on a display of known physical size, in millimetres, so touch targets are sized for fingers
/// (at least 20 mm) whatever the pixel density, and decides which button a touch lands on.
public struct ScreenLayout: Hashable, Sendable {
    /// The smallest touch target, in mm, in both directions.
    public static let minimumTarget = 20.0
    /// The smallest display the layout supports: a 7-inch 15:9 panel, in landscape or (turned) in portrait.
    public static let minimumSize = SizeMM(width: 150, height: 85)

    public let size: SizeMM
    let margin = 3.0
    let gap = 2.0

    public init(size: SizeMM) throws(LayoutError) {
        let (long, short) = (max(size.width, size.height), min(size.width, size.height))
        guard long >= Self.minimumSize.width, short >= Self.minimumSize.height else {
            throw .displayTooSmall(size)
        }
        self.size = size
    }

    /// The smallest x-height of body text, in mm: older readers, at arm's length from the panel (issue 19).
    public static let minimumXHeight = 3.5

    /// Body text's x-height, in mm: the floor on a 7-inch panel, growing with the panel's short side up to 5 mm.
    /// The painter turns it into a font size through the font's own x-height.
    public var bodyXHeight: Double { min(5, max(Self.minimumXHeight, min(size.width, size.height) * 0.033)) }
    /// Titles' x-height, in mm: a quarter above the body's, so a title reads as one.
    public var titleXHeight: Double { bodyXHeight * 1.25 }

    /// A title's row, icon beside it; a title too long for one row gets a second.
    var titleHeight: Double { min(24, max(11, size.height * 0.12, titleXHeight * 2.3)) }
    /// One row of body text, baseline to baseline: 2.08 x-heights (1.1 em in Liberation Sans), so three lines and
    /// a row of 20 mm choices still fit the smallest panel.
    var lineHeight: Double { bodyXHeight * 2.08 }
    var barHeight: Double { max(Self.minimumTarget, min(26, size.height * 0.16)) }
    var choiceHeight: Double { max(Self.minimumTarget, min(26, size.height * 0.16)) }
    /// The row of PIN dots: not a target, so shorter than one; room for a wrapped line above it on a 7-inch panel.
    var pinDotsHeight: Double { 14 }
    /// Choices are at least this wide, so a letter's title fits in large type.
    var choiceMinWidth: Double { 45 }

    var choiceColumns: Int {
        max(1, min(3, Int((size.width - 2 * margin + gap) / (choiceMinWidth + gap))))
    }

    /// How many choices fit one page under a title and `lines` lines of text.
    public func choiceCapacity(lines: Int = 3) -> Int {
        let top = margin + titleHeight + gap + Double(lines) * lineHeight + gap
        let available = size.height - top - barHeight - gap - margin
        let rows = max(0, Int((available + gap) / (choiceHeight + gap)))
        return rows * choiceColumns
    }

    /// The rows a text is given at an x-height of `xHeight` mm in a column `width` mm wide, at most `most`. An
    /// estimate of what the painter will measure, word by word: Indonesian text in Liberation Sans averages a
    /// little under one x-height a character (bold a tenth more); 5 % more keeps the estimate on the safe side.
    /// The painter wraps into these rows at the font's real metrics, and cuts with an ellipsis what still does
    /// not fit, never going below `minimumXHeight`.
    static func rows(_ text: String, xHeight: Double, bold: Bool, width: Double, most: Int) -> Int {
        let character = xHeight * (bold ? 1.15 : 1.05)
        let space = max(1, width)
        var rows = 1
        var used = 0.0
        // Word by word, as the painter's line breaker goes; a word wider than the column takes rows of its own.
        for word in text.split(separator: " ") {
            let needed = Double(word.count) * character
            if used > 0, used + character + needed <= space {
                used += character + needed
                continue
            }
            if used > 0 { rows += 1 }
            let wordRows = max(1, Int((needed / space).rounded(.up)))
            rows += wordRows - 1
            used = needed - Double(wordRows - 1) * space
        }
        return min(most, rows)
    }

    public func layout(_ screen: Screen) -> LaidOutScreen {
        var elements: [LaidOutScreen.Element] = []
        var contentWidth = size.width - 2 * margin
        // Where text must end: above the action bar, or above a keypad standing under it.
        var textBottom = size.height - margin - (screen.actions.isEmpty ? 0 : barHeight + gap)
        // A letter number's wide keypad leaves a narrow column: the title then spans the width above the keypad.
        var titleSpansWidth = false

        // On a portrait panel the PIN pad sits under the text, above the action bar, in telephone order.
        // A letter number's keypad has more keys than a PIN pad: five across, three down.
        let wide = (screen.keypad?.count ?? 0) > 12
        if let keys = screen.keypad, size.height > size.width {
            let (columns, rows) = wide ? (5, (keys.count + 4) / 5) : (3, 4)
            let bottom = size.height - margin - (screen.actions.isEmpty ? 0 : barHeight + gap)
            let key = min(
                26, (contentWidth - Double(columns - 1) * gap) / Double(columns),
                (bottom - size.height * 0.4 - Double(rows - 1) * gap) / Double(rows))
            let left = (size.width - (Double(columns) * key + Double(columns - 1) * gap)) / 2
            let top = bottom - (Double(rows) * key + Double(rows - 1) * gap)
            textBottom = top - gap
            for (index, button) in keys.enumerated() {
                let frame = RectMM(
                    x: left + Double(index % columns) * (key + gap), y: top + Double(index / columns) * (key + gap),
                    width: key, height: key)
                elements.append(.init(kind: .button(button), frame: frame))
            }
        } else if let keys = screen.keypad {
            // The keypad takes the right-hand side, keys at least 20 mm square, in the first grid that fits (a
            // letter number's wider pad leaves at least a quarter of the width to the number typed).
            titleSpansWidth = wide
            let padTop = margin + (wide ? titleHeight + gap : 0)
            let height = size.height - padTop - margin
            let (columns, rows) =
                (wide ? [(5, 3)] : [(3, 4), (4, 3), (6, 2)]).first { _, rows in
                    Double(rows) * Self.minimumTarget + Double(rows - 1) * gap <= height
                } ?? (wide ? (5, 3) : (6, 2))
            // A PIN pad leaves the text at least 45 % of the width (keys no smaller than 20 mm), so its lines are
            // not squeezed into a column of single words on a 7-inch panel.
            let key = min(
                (height - Double(rows - 1) * gap) / Double(rows),
                max(
                    Self.minimumTarget,
                    min(26, (size.width * (wide ? 0.72 : 0.55) - Double(columns - 1) * gap) / Double(columns))))
            let padWidth = Double(columns) * key + Double(columns - 1) * gap
            let left = size.width - margin - padWidth
            for (index, button) in keys.enumerated() {
                let frame = RectMM(
                    x: left + Double(index % columns) * (key + gap), y: padTop + Double(index / columns) * (key + gap),
                    width: key, height: key)
                elements.append(.init(kind: .button(button), frame: frame))
            }
            contentWidth = left - gap - margin
        }

        var y = margin
        if let icon = screen.icon {
            elements.append(
                .init(kind: .icon(icon), frame: RectMM(x: margin, y: y, width: titleHeight, height: titleHeight)))
        }
        let titleX = margin + (screen.icon == nil ? 0 : titleHeight + gap)
        let titleWidth = (titleSpansWidth ? size.width - 2 * margin : contentWidth) - (titleX - margin)
        let titleRows = Self.rows(screen.title, xHeight: titleXHeight, bold: true, width: titleWidth, most: 2)
        let titleFrameHeight = max(titleHeight, Double(titleRows) * titleXHeight * 2.3)
        elements.append(
            .init(
                kind: .title(screen.title),
                frame: RectMM(x: titleX, y: y, width: titleWidth, height: titleFrameHeight)))
        y += titleFrameHeight + gap
        // Lines never run under a button. Where they need more rows at body size than the room left (the column
        // beside a letter number's keypad on a 7-inch panel), the earliest give way, as a text field scrolls to
        // what was typed last; a line alone too long for the room keeps the rows there are (the painter ends it
        // with an ellipsis).
        let below =
            gap + (screen.pinPad == nil ? 0 : pinDotsHeight + gap) + (screen.progress == nil ? 0 : 10 + gap)
            + (screen.choices.isEmpty ? 0 : choiceHeight)
        let room = max(1, Int(((textBottom - below - y) / lineHeight + 1e-9).rounded(.down)))
        var lines = screen.lines.map { line in
            (line, Self.rows(line, xHeight: bodyXHeight, bold: false, width: contentWidth, most: 3))
        }
        while lines.count > 1, lines.map(\.1).reduce(0, +) > room { lines.removeFirst() }
        for (line, rows) in lines {
            let height = Double(min(rows, room)) * lineHeight
            elements.append(
                .init(kind: .line(line), frame: RectMM(x: margin, y: y, width: contentWidth, height: height)))
            y += height
        }
        y += gap
        if let pad = screen.pinPad {
            elements.append(
                .init(
                    kind: .pinDots(entered: pad.entered, length: pad.length),
                    frame: RectMM(x: margin, y: y, width: contentWidth, height: pinDotsHeight)))
            y += pinDotsHeight + gap
        }
        if let progress = screen.progress {
            elements.append(
                .init(kind: .progress(progress), frame: RectMM(x: margin, y: y, width: contentWidth, height: 10)))
            y += 10 + gap
        }

        // Choices with pictures (the survey's faces) are short: they all fit one row where each keeps 30 mm.
        let pictured =
            !screen.choices.isEmpty && screen.choices.allSatisfy { $0.icon != nil }
            && contentWidth >= Double(screen.choices.count) * (30 + gap) - gap
        let columns = screen.pinPad != nil ? 1 : pictured ? screen.choices.count : choiceColumns
        let choiceWidth = (contentWidth - Double(columns - 1) * gap) / Double(columns)
        for (index, button) in screen.choices.enumerated() {
            let frame = RectMM(
                x: margin + Double(index % columns) * (choiceWidth + gap),
                y: y + Double(index / columns) * (choiceHeight + gap), width: choiceWidth, height: choiceHeight)
            elements.append(.init(kind: .button(button), frame: frame))
        }

        if !screen.actions.isEmpty {
            let count = Double(screen.actions.count)
            let width = (contentWidth - (count - 1) * gap) / count
            let top = size.height - margin - barHeight
            for (index, button) in screen.actions.enumerated() {
                let frame = RectMM(x: margin + Double(index) * (width + gap), y: top, width: width, height: barHeight)
                elements.append(.init(kind: .button(button), frame: frame))
            }
        }
        return LaidOutScreen(size: size, elements: elements)
    }
}

extension ScreenLayout {
    /// Where the idle screen's card illustration and the village board go, under its text: in landscape the
    /// illustration on the left and the board on the right, in portrait the board below. One place, so what is
    /// drawn and what a touch opens are the same box.
    public func idleAreas(_ laidOut: LaidOutScreen) -> (illustration: RectMM, board: RectMM) {
        let top = (laidOut.elements.map(\.frame.maxY).max() ?? 0) + 2
        if size.width >= size.height {
            let left = size.width * 0.3
            return (
                RectMM(x: 0, y: top + 3, width: left, height: size.height - top - 3),
                RectMM(x: left, y: top, width: size.width - left - 3, height: size.height - top - 3)
            )
        }
        let height = min(40, (size.height - top) * 0.3)
        return (
            RectMM(x: 0, y: top, width: size.width, height: height),
            RectMM(x: 3, y: top + height + 2, width: size.width - 6, height: size.height - top - height - 5)
        )
    }

    /// Where a board page opened in detail goes: the full width between the title and the action bar.
    public func boardDetailArea(_ laidOut: LaidOutScreen) -> RectMM {
        let texts = laidOut.elements.filter { if case .button = $0.kind { false } else { true } }
        let top = (texts.map(\.frame.maxY).max() ?? margin) + gap
        let bottom = (laidOut.buttonFrames.map(\.1.y).min() ?? size.height - margin) - gap
        return RectMM(x: margin, y: top, width: size.width - 2 * margin, height: max(0, bottom - top))
    }
}

/// A screen placed on the display: what Drivers draw, and what a touch is tested against.
public struct LaidOutScreen: Hashable, Sendable {
    public let size: SizeMM
    public let elements: [Element]

    public struct Element: Hashable, Sendable {
        public let kind: Kind
        public let frame: RectMM
    }

    public enum Kind: Hashable, Sendable {
        case icon(Icon)
        case title(String)
        case line(String)
        case button(Button)
        case pinDots(entered: Int, length: Int)
        case progress(Int)
    }

    /// The button under a touch, if any.
    public func hitTest(_ point: PointMM) -> ButtonID? {
        for element in elements {
            if case .button(let button) = element.kind, element.frame.contains(point) { return button.id }
        }
        return nil
    }

    public var buttonFrames: [(ButtonID, RectMM)] {
        elements.compactMap { element in
            if case .button(let button) = element.kind { return (button.id, element.frame) }
            return nil
        }
    }
}

public struct SizeMM: Hashable, Sendable, CustomStringConvertible {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(Int(width.rounded())) x \(Int(height.rounded())) mm" }
}

public struct PointMM: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

public struct RectMM: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    public func contains(_ p: PointMM) -> Bool { p.x >= x && p.x < maxX && p.y >= y && p.y < maxY }

    public func intersects(_ other: RectMM) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }
}

public enum LayoutError: Error, Equatable, Sendable, CustomStringConvertible {
    case displayTooSmall(SizeMM)

    public var description: String {
        switch self {
        case .displayTooSmall(let s):
            "a display of \(s) is too small for 20 mm touch targets; the kiosk needs at least \(ScreenLayout.minimumSize) (a 7-inch panel); check display.width_mm and display.height_mm"
        }
    }
}
