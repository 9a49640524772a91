/// Draws a `Screen` as a display list in pixels: `ScreenLayout` places it in millimetres, the painter scales it to
/// the display's pixels, fits every text into its box through the renderer's own metrics, and adds the icons,
/// the pressed button and the animation frames. Pure: the framebuffer display, the PNG snapshots and the tests
/// all draw what this returns.
public struct ScreenPainter: Sendable {
    public let layout: ScreenLayout
    /// The drawn screen in pixels, rotation applied (a portrait-mounted 1024 x 600 panel is 600 x 1024 here).
    public let size: Size
    public var theme: ScreenTheme
    let breaker: LineBreaker

    public init(layout: ScreenLayout, size: Size, measurer: any TextMeasurer, theme: ScreenTheme = .standard) {
        self.layout = layout
        self.size = size
        self.theme = theme
        breaker = LineBreaker(measurer: measurer)
    }

    var measurer: any TextMeasurer { breaker.measurer }
    /// Pixels per millimetre, across and down (panels are near enough square-pixelled, but nothing assumes it).
    var sx: Double { size.width / layout.size.width }
    var sy: Double { size.height / layout.size.height }

    /// Where a pixel of the drawn screen is, in the layout's millimetres: what a touch is hit-tested with.
    public func millimetres(_ point: Point) -> PointMM {
        PointMM(x: point.x / sx, y: point.y / sy)
    }

    /// Frames per cycle of the idle animation and of the printing spinner; `phase` is taken modulo these.
    public static let idleFrames = 4
    public static let spinnerFrames = 8

    /// The screen as one page of pixels. `highlighted` is the button under the resident's finger; `phase` steps
    /// the animations (idle waves, printing spinner), each of which changes only a small area.
    /// On the diagnostics screen, `facts` (the framebuffer's, from the display) are listed under colour bars, and
    /// `touch` (a point of the drawn screen) gets a crosshair.
    /// On the idle screen, `board` (the village board) takes the space beside the card illustration, one page per
    /// `BoardPanel.secondsPerPage` steps of `phase`; on a board screen it shows that screen's page in detail.
    public func page(
        _ screen: Screen, highlighted: ButtonID? = nil, phase: Int = 0, facts: [String] = [], touch: Point? = nil,
        board: BoardPanel? = nil, boardItems: [DisplayItem]? = nil
    ) -> DisplayPage {
        let laidOut = layout.layout(screen)
        var items: [DisplayItem] = [.fill(Rect(x: 0, y: 0, width: size.width, height: size.height), theme.background)]
        // All lines of a screen in one size: the layout's body x-height, or smaller where a line does not fit its
        // rows, never below the floor (what still does not fit is cut with an ellipsis).
        let lineSize = laidOut.elements.reduce(Double.infinity) { size, element in
            guard case .line(let line) = element.kind else { return size }
            let frame = pixels(element.frame)
            return min(
                size,
                fittedSize(
                    line, width: frame.size.width, rows: rows(of: element.frame), preferred: bodySize,
                    minimum: minimumBodySize))
        }
        var isError = false
        if case .error = screen.id { isError = true }
        for element in laidOut.elements {
            let frame = pixels(element.frame)
            switch element.kind {
            case .icon(let icon):
                items += ScreenIcons.draw(icon, in: frame, color: isError ? theme.alert : theme.accent)
            case .title(let title):
                // Never smaller than the body text under it.
                items += text(
                    title, in: frame, size: max(titleSize, layout.titleHeight * sy * 0.58), bold: true,
                    color: isError ? theme.alert : theme.title, centered: false, maxLines: 2,
                    minimum: lineSize.isFinite ? lineSize : bodySize)
            case .line(let line):
                let rows = rows(of: element.frame)
                items += text(
                    line, in: frame, size: lineSize, color: theme.text, centered: false, maxLines: rows,
                    minimum: lineSize, rowHeight: frame.size.height / Double(rows))
            case .button(let button):
                items += self.button(button, in: frame, pressed: button.id == highlighted)
            case .pinDots(let entered, let length):
                items += pinDots(entered: entered, length: length, in: frame)
            case .progress(let percent):
                items += progress(percent, in: frame)
                items += spinner(below: frame, phase: phase)
            }
        }
        if screen.id == .idle {
            let top = (laidOut.elements.map(\.frame.maxY).max() ?? 0) + 2
            if let board, let shown = board.page(at: phase) {
                // Landscape: the card and waves on the left, the board on the right. Portrait: the board below.
                let (illustration, box) = layout.idleAreas(laidOut)
                items += idleIllustration(in: illustration, phase: phase)
                items +=
                    boardItems ?? self.board(board, page: shown, in: box, pressed: highlighted == .boardPage(shown))
            } else {
                items += idleIllustration(
                    in: RectMM(x: 0, y: top + 2, width: layout.size.width, height: layout.size.height - top - 2),
                    phase: phase)
            }
        }
        if case .board(let shown) = screen.id, let board, board.pages.contains(shown) {
            items += boardItems ?? self.board(board, page: shown, in: layout.boardDetailArea(laidOut), detail: true)
        }
        if screen.id == .diagnostics {
            items += diagnostics(below: laidOut, facts: facts, lineSize: lineSize, touch: touch)
        }
        return DisplayPage(size: size, items: items)
    }

    /// The board's own items on `screen` (its box on idle at `phase`, or its page in detail), `nil` where it is not
    /// drawn: what `page(_:board:boardItems:)` takes back, so a caller that keeps them lays the board's texts out
    /// once per page rather than at every step of the idle animation.
    public func boardItems(_ screen: Screen, board: BoardPanel, phase: Int, highlighted: ButtonID?) -> [DisplayItem]? {
        let laidOut = layout.layout(screen)
        switch screen.id {
        case .idle:
            guard let shown = board.page(at: phase) else { return nil }
            return self.board(
                board, page: shown, in: layout.idleAreas(laidOut).board, pressed: highlighted == .boardPage(shown))
        case .board(let shown) where board.pages.contains(shown):
            return self.board(board, page: shown, in: layout.boardDetailArea(laidOut), detail: true)
        default:
            return nil
        }
    }

    // MARK: Geometry

    /// A layout rectangle in pixels.
    public func pixels(_ rect: RectMM) -> Rect {
        Rect(x: rect.x * sx, y: rect.y * sy, width: rect.width * sx, height: rect.height * sy)
    }

    // MARK: Text

    /// The font size, in pixels, at which the screens' font has an x-height of `millimetres` on this panel: from
    /// the font's own x-height (its "x" as the renderer draws it), not a rule of thumb.
    public func fontSize(xHeight millimetres: Double, bold: Bool = false) -> Double {
        let target = millimetres * sy
        let reference = Font(.sans, size: 100, bold: bold)
        var size = target * reference.size / measurer.xHeight(of: reference)
        // Hinting fits the x-height to whole pixels, which can round it down: step up until the drawn one reaches
        // the target.
        var steps = 0
        while measurer.xHeight(of: Font(.sans, size: size, bold: bold)) < target, steps < 40 {
            size *= 1.01
            steps += 1
        }
        return size
    }

    /// Body lines' size as the layout asks for it, and the floor they never go below.
    var bodySize: Double { fontSize(xHeight: layout.bodyXHeight) }
    var minimumBodySize: Double { fontSize(xHeight: ScreenLayout.minimumXHeight) }
    var titleSize: Double { fontSize(xHeight: layout.titleXHeight, bold: true) }

    /// How many rows of body text the layout gave a line's frame.
    func rows(of frame: RectMM) -> Int { max(1, Int((frame.height / layout.lineHeight).rounded())) }

    /// The largest size from `preferred` down to `minimum` at which `text` takes at most `rows` rows of `width`
    /// without cutting a word; `minimum` when none does.
    func fittedSize(_ text: String, width: Double, rows: Int, preferred: Double, minimum: Double) -> Double {
        let words = text.split(separator: " ").map(String.init)
        var size = preferred
        while size * 0.96 >= minimum {
            let font = Font(.sans, size: size)
            if breaker.lines(text, font: font, width: width).count <= rows,
                !words.contains(where: { measurer.width(of: $0, in: font) > width })
            {
                return size
            }
            size *= 0.96
        }
        return minimum
    }

    /// `text` fitted into `box`: the largest size from `size` down to `minimum` (half of it unless given) at which
    /// it takes at most `maxLines` lines, each `rowHeight` tall (1.15 em unless given); below that, the last line
    /// is cut with an ellipsis rather than run out of its box.
    func text(
        _ text: String, in box: Rect, size preferred: Double, bold: Bool = false, color: Color, centered: Bool,
        maxLines: Int, minimum: Double? = nil, rowHeight: Double? = nil
    ) -> [DisplayItem] {
        let floor = min(preferred, minimum ?? preferred * 0.5)
        var size = preferred
        var font = Font(.sans, size: size, bold: bold)
        var lines = breaker.lines(text, font: font, width: box.size.width)
        let words = text.split(separator: " ").map(String.init)
        // Smaller type before a word is cut in two ("Hap-us" on a key reads as nothing).
        func cutsAWord() -> Bool { words.contains { measurer.width(of: $0, in: font) > box.size.width } }
        while lines.count > maxLines || Double(lines.count) * (rowHeight ?? size * 1.15) > box.size.height + 0.01
            || cutsAWord(),
            size * 0.92 >= floor
        {
            size *= 0.92
            font = Font(.sans, size: size, bold: bold)
            lines = breaker.lines(text, font: font, width: box.size.width)
        }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] = ellipsized(lines[maxLines - 1], font: font, width: box.size.width)
        }
        let lineHeight = rowHeight ?? size * 1.15
        // Cap height is about 0.72 em in Liberation Sans: this centres the capitals of the block in the box.
        let firstBaseline =
            box.origin.y + box.size.height / 2 - Double(lines.count - 1) * lineHeight / 2 + 0.36 * size
        return lines.enumerated().map { index, line in
            let width = measurer.width(of: line, in: font)
            let x = centered ? box.origin.x + (box.size.width - width) / 2 : box.origin.x
            return .text(
                TextRun(line, at: Point(x: x, y: firstBaseline + Double(index) * lineHeight), font: font, color: color))
        }
    }

    private func ellipsized(_ line: String, font: Font, width: Double) -> String {
        var kept = Substring(line)
        while !kept.isEmpty, measurer.width(of: kept + "…", in: font) > width { kept = kept.dropLast() }
        return kept + "…"
    }

    // MARK: Buttons

    func colors(for button: Button, pressed: Bool) -> ScreenTheme.ButtonColors {
        if pressed { return theme.pressed }
        switch button.role {
        case .primary: return theme.primary
        case .choice: return theme.choice
        case .secondary, .key: return theme.secondary
        }
    }

    func button(_ button: Button, in frame: Rect, pressed: Bool) -> [DisplayItem] {
        let colors = colors(for: button, pressed: pressed)
        let border = max(2, (button.role == .choice ? 0.8 : 0.5) * sy)
        let radius = min(frame.size.width, frame.size.height) * 0.14
        let label = frame.inset(by: border + 1.5 * sx)
        let isKey = button.role == .key
        let background: [DisplayItem] = [
            .roundedRect(frame, radius: radius, colors.border),
            .roundedRect(frame.inset(by: border), radius: max(0, radius - border), colors.fill),
        ]
        if let icon = button.icon {
            // The picture above, the label in one line below it.
            let side = label.size.height * 0.62
            let below = Rect(
                x: label.origin.x, y: label.origin.y + side, width: label.size.width, height: label.size.height - side)
            let pen = ScreenIcons.Pen(
                origin: Point(x: label.origin.x + (label.size.width - side) / 2, y: label.origin.y), side: side,
                ink: colors.text, paper: colors.fill)
            return background + pen.shapes(icon)
                + text(
                    button.label, in: below, size: below.size.height * 0.8, bold: true, color: colors.text,
                    centered: true, maxLines: 1)
        }
        return background
            + text(
                button.label, in: label, size: frame.size.height * (isKey ? 0.42 : 0.34),
                bold: button.role != .choice, color: colors.text, centered: true, maxLines: 2)
    }

    // MARK: PIN, progress, animations

    func pinDots(entered: Int, length: Int, in frame: Rect) -> [DisplayItem] {
        guard length > 0 else { return [] }
        let pitch = min(frame.size.height, frame.size.width / Double(length))
        let radius = pitch * 0.3
        let centreY = frame.origin.y + frame.size.height / 2
        return (0..<length).map { index in
            let centre = Point(x: frame.origin.x + pitch * (Double(index) + 0.5), y: centreY)
            return index < entered
                ? .circle(center: centre, radius: radius, theme.accent)
                : .arc(center: centre, radius: radius - 1.5, from: 0, to: 2 * .pi, width: 3, theme.accent)
        }
    }

    func progress(_ percent: Int, in frame: Rect) -> [DisplayItem] {
        let border = max(2, 0.5 * sy)
        let inner = frame.inset(by: border)
        let filled = inner.size.width * Double(min(100, max(0, percent))) / 100
        return [
            .roundedRect(frame, radius: frame.size.height / 2, theme.accent),
            .roundedRect(inner, radius: inner.size.height / 2, theme.background),
            .roundedRect(
                Rect(x: inner.origin.x, y: inner.origin.y, width: filled, height: inner.size.height),
                radius: min(filled, inner.size.height) / 2, theme.accent),
        ]
    }

    /// The eight spinner positions around a circle, from 3 o'clock clockwise (cos and sin of multiples of 45°).
    private static let compass: [(Double, Double)] = {
        let d = 0.707_106_781_186_547_5
        return [(1, 0), (d, d), (0, 1), (-d, d), (-1, 0), (-d, -d), (0, -1), (d, -d)]
    }()

    /// Eight dots under the progress bar, one dark per frame: the kiosk is visibly alive while the printer works.
    func spinner(below frame: Rect, phase: Int) -> [DisplayItem] {
        let radius = 6 * sy
        let centre = Point(x: frame.origin.x + frame.size.width / 2, y: frame.maxY + 3 * sy + radius * 1.3)
        guard centre.y + radius * 1.3 <= size.height else { return [] }
        let active = ((phase % Self.spinnerFrames) + Self.spinnerFrames) % Self.spinnerFrames
        return Self.compass.enumerated().map { index, unit in
            .circle(
                center: Point(x: centre.x + unit.0 * radius, y: centre.y + unit.1 * radius), radius: radius * 0.22,
                index == active ? theme.accent : theme.muted)
        }
    }

    /// Labelled colour bars (a swapped red and blue shows at once), the framebuffer's facts, and a crosshair where
    /// the last touch landed (a mis-calibrated or wrongly rotated panel shows it away from the finger).
    func diagnostics(below laidOut: LaidOutScreen, facts: [String], lineSize: Double, touch: Point?) -> [DisplayItem] {
        let textBottom =
            laidOut.elements.filter { if case .button = $0.kind { false } else { true } }
            .map(\.frame.maxY).max() ?? 0
        let bars = pixels(RectMM(x: 3, y: textBottom + 3, width: layout.size.width - 6, height: 14))
        let colors: [(String, Color)] = [
            ("Merah", Color(red: 1, green: 0, blue: 0)), ("Hijau", Color(red: 0, green: 1, blue: 0)),
            ("Biru", Color(red: 0, green: 0, blue: 1)), ("Putih", .white), ("Hitam", .black),
        ]
        let width = bars.size.width / Double(colors.count)
        let size = lineSize.isFinite ? lineSize : bars.size.height * 0.3
        var items: [DisplayItem] = [.fill(bars.inset(by: -2), theme.text)]
        for (index, (name, color)) in colors.enumerated() {
            let x = bars.origin.x + Double(index) * width
            items.append(.fill(Rect(x: x, y: bars.origin.y, width: width, height: bars.size.height * 0.7), color))
            items.append(
                .fill(
                    Rect(x: x, y: bars.origin.y + bars.size.height * 0.7, width: width, height: bars.size.height * 0.3),
                    theme.background))
            items += text(
                name,
                in: Rect(x: x, y: bars.origin.y + bars.size.height * 0.7, width: width, height: bars.size.height * 0.3),
                size: size * 0.8, color: theme.text, centered: true, maxLines: 1)
        }
        // The technician's facts fill the room left above the action bar, smaller than the body if they must.
        let barTop = laidOut.buttonFrames.map { pixels($0.1).origin.y }.min() ?? self.size.height
        let factSize = min(size, (barTop - bars.maxY) / (Double(max(1, facts.count)) * 1.25 + 0.6))
        var y = bars.maxY + factSize * 0.6
        for fact in facts {
            items += text(
                fact, in: Rect(x: bars.origin.x, y: y, width: bars.size.width, height: factSize * 1.2),
                size: factSize, color: theme.text, centered: false, maxLines: 1)
            y += factSize * 1.25
        }
        if let touch {
            let arm = 8 * sy
            items.append(
                .stroke(
                    [Point(x: touch.x - arm, y: touch.y), Point(x: touch.x + arm, y: touch.y)], width: 3, theme.alert))
            items.append(
                .stroke(
                    [Point(x: touch.x, y: touch.y - arm), Point(x: touch.x, y: touch.y + arm)], width: 3, theme.alert))
            items.append(.arc(center: touch, radius: arm * 0.6, from: 0, to: 2 * .pi, width: 2, theme.alert))
        }
        return items
    }

    /// A card held over a reader, with contactless waves that grow one per frame: it shows what to do to a
    /// resident who does not read, and only the waves change between frames.
    func idleIllustration(in area: RectMM, phase: Int) -> [DisplayItem] {
        let top = area.y
        let height = min(40, area.height - 4, (area.width - 4) / 1.8)
        guard height >= 20 else { return [] }
        let box = pixels(
            RectMM(x: area.x + (area.width - height * 1.8) / 2, y: top, width: height * 1.8, height: height))
        let unit = box.size.height
        let reader = Rect(
            x: box.origin.x, y: box.origin.y + unit * 0.62, width: unit * 1.0, height: unit * 0.3)
        let card = Rect(
            x: box.origin.x + unit * 0.12, y: box.origin.y + unit * 0.08, width: unit * 0.76, height: unit * 0.46)
        var items: [DisplayItem] = [
            .roundedRect(reader, radius: unit * 0.05, theme.text),
            .roundedRect(card, radius: unit * 0.05, theme.accent),
            .roundedRect(
                Rect(
                    x: card.origin.x + unit * 0.08, y: card.origin.y + unit * 0.12, width: unit * 0.14,
                    height: unit * 0.1),
                radius: unit * 0.02, theme.background),
        ]
        let waves = ((phase % Self.idleFrames) + Self.idleFrames) % Self.idleFrames
        let centre = Point(x: card.maxX + unit * 0.05, y: card.origin.y + card.size.height / 2)
        for index in 0..<(Self.idleFrames - 1) {
            items.append(
                .arc(
                    center: centre, radius: unit * (0.2 + 0.17 * Double(index)), from: -.pi / 4, to: .pi / 4,
                    width: unit * 0.06, index < waves ? theme.accent : theme.muted))
        }
        return items
    }
}
