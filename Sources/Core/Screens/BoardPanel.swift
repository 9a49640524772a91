/// The village board beside the idle screen's "put your e-KTP" text: one page at a time (income and spending, and
/// spending by bidang, as bars; activities done and not done, announcements valid today), turned every `secondsPerPage` ticks of the idle
/// animation (so it costs no wake-up of its own), with the date the figures are as of and, when the kiosk has not
/// confirmed them for a week, a label saying so in the alert colour. Only the board's own box changes between
/// pages; the idle text above it never moves, so a card tapped at any moment is read at once.
public struct BoardPanel: Hashable, Sendable {
    public var stored: StoredBoard
    /// The kiosk's today: for the stale label and the announcements in force.
    public var today: CalendarDate

    public init(stored: StoredBoard, today: CalendarDate) {
        self.stored = stored
        self.today = today
    }

    public enum Page: Hashable, Sendable {
        /// Pendapatan, Belanja, Pembiayaan.
        case realisation
        /// Spending per bidang.
        case bidang
        case activities, announcements

        /// A short stable name, for screen names and file names.
        public var name: String {
            switch self {
            case .realisation: "realisation"
            case .bidang: "bidang"
            case .activities: "activities"
            case .announcements: "announcements"
            }
        }
    }

    /// Idle animation ticks (one a second) a page stays.
    public static let secondsPerPage = 12

    /// The pages that have something to show.
    public var pages: [Page] {
        var pages: [Page] = []
        if !stored.board.summary.isEmpty { pages.append(.realisation) }
        if !stored.board.byBidang.isEmpty { pages.append(.bidang) }
        if !stored.board.activities.isEmpty { pages.append(.activities) }
        if !stored.board.announcements(on: today).isEmpty { pages.append(.announcements) }
        return pages
    }

    /// The page shown at idle animation step `phase`.
    public func page(at phase: Int) -> Page? {
        let pages = pages
        guard !pages.isEmpty else { return nil }
        return pages[(max(0, phase) / Self.secondsPerPage) % pages.count]
    }

    /// The board's footer: the date its figures are as of, and the stale label when it is stale.
    public var footer: (asOf: String, stale: String?) {
        let asOf = Teks.Board.dataPer(IndonesianDate.long(stored.board.asOf))
        guard stored.isStale(on: today) else { return (asOf, nil) }
        return (asOf, Teks.Board.stale(since: IndonesianDate.long(stored.confirmedOn)))
    }
}

extension ScreenPainter {
    /// The board's box at `box` (millimetres), showing `page`; `pressed` while a finger is on it (it opens the page
    /// in detail on release). In `detail` (the page opened full width, the box as large as the screen leaves) rows
    /// may grow a little larger, and wide lines are cut later.
    func board(_ panel: BoardPanel, page: BoardPanel.Page, in box: RectMM, pressed: Bool = false, detail: Bool = false)
        -> [DisplayItem]
    {
        let frame = pixels(box)
        let unit = sy
        var items: [DisplayItem] = [
            .outline(frame, radius: 2 * unit, width: max(2, (pressed ? 1.2 : 0.5) * unit), theme.accent)
        ]
        let inner = frame.inset(by: 2.5 * unit)
        let board = panel.stored.board
        // Rows sized to the box, but never so small that the smallest text (0.55 of a row) is under 1/60 of the
        // screen's height: the floor every resident screen keeps.
        let row = max(
            5.5 * unit, min(9 * unit, inner.size.height / (detail ? 8 : 9)), size.height / 60 / 0.55 + 0.01)
        let heading: String =
            switch page {
            case .realisation: Teks.Board.realisation(year: board.year)
            case .bidang: Teks.Board.bidang(year: board.year)
            case .activities: Teks.Board.activities(year: board.year)
            case .announcements: Teks.Board.announcements
            }
        items += text(
            heading, in: Rect(x: inner.origin.x, y: inner.origin.y, width: inner.size.width, height: row),
            size: row * 0.7,
            bold: true, color: theme.title, centered: false, maxLines: 1)
        // The footer: the date the figures are as of, page n of N, the stale label on a line of its own (in the
        // alert colour), where complaints go.
        let footer = panel.footer
        let pages = panel.pages
        let pageLabel = "\((pages.firstIndex(of: page) ?? 0) + 1)/\(pages.count)"
        let footerRow = row * 0.8
        let footerTop = inner.maxY - Double(footer.stale == nil ? 2 : 3) * footerRow
        let labelWidth = measurer.width(of: pageLabel, in: Font(.sans, size: row * 0.55)) + unit
        items += text(
            footer.asOf,
            in: Rect(x: inner.origin.x, y: footerTop, width: inner.size.width - labelWidth, height: footerRow),
            size: row * 0.55, color: theme.text, centered: false, maxLines: 1)
        items += text(
            pageLabel, in: Rect(x: inner.maxX - labelWidth, y: footerTop, width: labelWidth, height: footerRow),
            size: row * 0.55, color: theme.text, centered: false, maxLines: 1)
        var footerY = footerTop + footerRow
        if let stale = footer.stale {
            items += text(
                stale, in: Rect(x: inner.origin.x, y: footerY, width: inner.size.width, height: footerRow),
                size: row * 0.55, bold: true, color: theme.alert, centered: false, maxLines: 1)
            footerY += footerRow
        }
        items += text(
            Teks.Board.complaints(board.complaints),
            in: Rect(x: inner.origin.x, y: footerY, width: inner.size.width, height: footerRow),
            size: row * 0.55, color: theme.text, centered: false, maxLines: 1)

        let body = Rect(
            x: inner.origin.x, y: inner.origin.y + row * 1.2, width: inner.size.width,
            height: footerTop - inner.origin.y - row * 1.4)
        switch page {
        case .realisation: items += bars(board.summary, in: body, row: row)
        case .bidang: items += bars(board.byBidang, in: body, row: row)
        case .activities: items += activities(board, in: body, row: row)
        case .announcements: items += announcements(board.announcements(on: panel.today), in: body, row: row)
        }
        return items
    }

    /// Each line as its title, a bar of its percentage and the amounts: as many lines as fit.
    private func bars(_ lines: [VillageBoard.Line], in body: Rect, row: Double) -> [DisplayItem] {
        var items: [DisplayItem] = []
        let height = row * 1.9
        let fitting = max(1, Int(body.size.height / height))
        for (index, line) in lines.prefix(fitting).enumerated() {
            let top = body.origin.y + Double(index) * height
            let amounts =
                IndonesianNumber.percent(line.percent) + " · " + IndonesianNumber.rupiah(line.realised) + " "
                + Teks.Board.of + " " + IndonesianNumber.rupiah(line.budget)
            items += text(
                line.title, in: Rect(x: body.origin.x, y: top, width: body.size.width, height: row * 0.8),
                size: row * 0.6, bold: true, color: theme.text, centered: false, maxLines: 1)
            let barWidth = body.size.width * 0.3
            let bar = Rect(x: body.origin.x, y: top + row * 0.9, width: barWidth, height: row * 0.7)
            items.append(.fill(bar, theme.muted))
            items.append(
                .fill(
                    Rect(
                        x: bar.origin.x, y: bar.origin.y, width: barWidth * min(100, max(0, line.percent)) / 100,
                        height: bar.size.height), theme.accent))
            items += text(
                amounts,
                in: Rect(
                    x: bar.maxX + row * 0.4, y: top + row * 0.85, width: body.size.width - barWidth - row * 0.4,
                    height: row * 0.8),
                size: row * 0.55, color: theme.text, centered: false, maxLines: 1)
        }
        return items
    }

    /// How many are done and not, then the activities not done first (what residents ask about), each with its
    /// progress.
    private func activities(_ board: VillageBoard, in body: Rect, row: Double) -> [DisplayItem] {
        let counts = board.activityCounts
        var items = text(
            Teks.Board.activityCounts(
                done: IndonesianNumber.grouped(UInt64(counts.done)),
                notDone: IndonesianNumber.grouped(UInt64(counts.notDone))),
            in: Rect(x: body.origin.x, y: body.origin.y, width: body.size.width, height: row), size: row * 0.62,
            bold: true, color: theme.text, centered: false, maxLines: 1)
        let listed = board.activities.filter { $0.status != .done } + board.activities.filter { $0.status == .done }
        let fitting = max(0, Int((body.size.height - row * 1.2) / row))
        for (index, activity) in listed.prefix(fitting).enumerated() {
            let top = body.origin.y + row * 1.2 + Double(index) * row
            let status = activity.status == .done ? Teks.Board.done : "\(activity.progress) %"
            let statusWidth = measurer.width(of: Teks.Board.done, in: Font(.sans, size: row * 0.55, bold: true)) + row
            items += text(
                activity.title, in: Rect(x: body.origin.x, y: top, width: body.size.width - statusWidth, height: row),
                size: row * 0.55, color: theme.text, centered: false, maxLines: 1)
            items += text(
                status,
                in: Rect(x: body.maxX - statusWidth + row * 0.5, y: top, width: statusWidth - row * 0.5, height: row),
                size: row * 0.55, bold: true, color: activity.status == .done ? theme.title : theme.text,
                centered: false, maxLines: 1)
        }
        return items
    }

    /// The announcements in force: title, as much of the text as fits, until when.
    private func announcements(_ announcements: [VillageBoard.Announcement], in body: Rect, row: Double)
        -> [DisplayItem]
    {
        var items: [DisplayItem] = []
        var top = body.origin.y
        for announcement in announcements {
            guard top + row * 2 <= body.maxY else { break }
            items += text(
                announcement.title, in: Rect(x: body.origin.x, y: top, width: body.size.width, height: row),
                size: row * 0.62, bold: true, color: theme.text, centered: false, maxLines: 1)
            top += row
            let lines = max(1, min(4, Int((body.maxY - top - row) / (row * 0.75))))
            items += text(
                announcement.body,
                in: Rect(x: body.origin.x, y: top, width: body.size.width, height: row * 0.75 * Double(lines)),
                size: row * 0.55, color: theme.text, centered: false, maxLines: lines)
            top += row * 0.75 * Double(lines)
            items += text(
                Teks.Board.validUntil(IndonesianDate.long(announcement.validUntil)),
                in: Rect(x: body.origin.x, y: top, width: body.size.width, height: row * 0.75), size: row * 0.55,
                color: theme.text, centered: false, maxLines: 1)
            top += row
        }
        return items
    }
}
