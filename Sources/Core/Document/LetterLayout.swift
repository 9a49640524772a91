/// Lays a composed letter out on paper as a display list: letterhead, title and number, the holder's fields,
/// the body, the signature block with the QR, and a footer with the page count.
///
/// Every line is measured through the renderer's `TextMeasurer` and wrapped to the column it sits in, so a
/// 200-character name wraps instead of running off the page. What does not fit flows onto another page, which
/// repeats the letterhead and the number; the signature block and the QR are never split.
public struct LetterLayout: Sendable {
    public var paper: Paper
    public var measurer: any TextMeasurer

    public init(paper: Paper, measurer: any TextMeasurer) {
        self.paper = paper
        self.measurer = measurer
    }

    // The type scale: 12 pt body text (a KUA refused a letter for small type, OpenSID issue #8839).
    static let body = Font(.serif, size: 12)
    static let kop = Font(.sans, size: 14, bold: true)
    static let kopVillage = Font(.sans, size: 16, bold: true)
    static let kopAddress = Font(.sans, size: 10)
    static let title = Font(.serif, size: 13, bold: true)
    static let small = Font(.sans, size: 8)
    /// The smallest QR side, and the size of one module (0.6 mm): a module is then 3.5 pixels of a page scanned at
    /// 150 dpi and large enough for a phone's camera at arm's length. A link makes the code denser (version 10-11,
    /// 57-61 modules), so the side follows the code: about 40 mm.
    static let qrMinimumSide = 80.0
    static let qrModule = 0.6 * 72 / 25.4
    /// Modules a side when the measurer cannot say: a version 13 code (69), denser than any letter's link.
    static let qrAssumedModules = 69
    static let signatureSpace = 56.0

    public func layout(_ letter: Letter) -> DisplayList {
        var pages = PageFlow(paper: paper, breaker: LineBreaker(measurer: measurer)) { flow in
            flow.letterhead(letter.letterhead)
            if flow.pageCount > 1 {
                flow.centered("Nomor : \(letter.number.formatted) (lanjutan)", font: Self.body)
                flow.gap(10)
            }
        }
        pages.centered(letter.title.uppercased(), font: Self.title, underline: true)
        pages.centered("Nomor : \(letter.number.formatted)", font: Self.body)
        if letter.isDraft {
            pages.centered("DRAF: sah setelah ditandatangani dan dicap oleh petugas desa", font: Self.small.bold())
        }
        pages.gap(14)
        pages.paragraph(letter.opening, font: Self.body)
        pages.gap(6)
        pages.table(letter.holderFields, font: Self.body, indent: 28)
        pages.gap(6)
        for paragraph in letter.body {
            pages.paragraph(paragraph, font: Self.body)
            pages.gap(6)
        }
        pages.gap(10)
        pages.signatureBlock(letter)
        return DisplayList(pages: pages.finish(footer: letter.footer, isDraft: letter.isDraft))
    }
}

/// The pages being filled, top to bottom, with a cursor `y`.
private struct PageFlow {
    let paper: Paper
    let breaker: LineBreaker
    let header: (inout PageFlow) -> Void
    private(set) var pages: [DisplayPage] = []
    private var items: [DisplayItem] = []
    private var y: Double
    private var fillingHeader = false

    init(paper: Paper, breaker: LineBreaker, header: @escaping (inout PageFlow) -> Void) {
        self.paper = paper
        self.breaker = breaker
        self.header = header
        y = paper.margins.top
        startPage()
    }

    var pageCount: Int { pages.count + 1 }
    var left: Double { paper.margins.left }
    var width: Double { paper.size.width - paper.margins.left - paper.margins.right }
    var bottom: Double { paper.size.height - paper.margins.bottom }

    static func lineHeight(_ font: Font) -> Double { font.size * 1.35 }
    func measure(_ text: String, _ font: Font) -> Double { breaker.measurer.width(of: text, in: font) }

    mutating func startPage() {
        y = paper.margins.top
        fillingHeader = true
        header(&self)
        fillingHeader = false
    }

    mutating func newPage() {
        pages.append(DisplayPage(size: paper.size, items: items))
        items = []
        startPage()
    }

    /// Makes room for `height` more points, on a new page if this one is full (never inside the header).
    mutating func ensure(_ height: Double) {
        if !fillingHeader, y + height > bottom { newPage() }
    }

    mutating func gap(_ height: Double) { y += height }

    mutating func line(_ text: String, x: Double, font: Font) {
        let height = Self.lineHeight(font)
        ensure(height)
        items.append(.text(TextRun(text, at: Point(x: x, y: y + font.size), font: font)))
        y += height
    }

    mutating func centered(
        _ text: String, font: Font, within: (x: Double, width: Double)? = nil, underline: Bool = false
    ) {
        let column = within ?? (left, width)
        for line in breaker.lines(text, font: font, width: column.width) {
            let w = measure(line, font)
            let x = column.x + (column.width - w) / 2
            self.line(line, x: x, font: font)
            if underline {
                let underY = y - Self.lineHeight(font) + font.size + 2
                items.append(.rule(from: Point(x: x, y: underY), to: Point(x: x + w, y: underY), width: 0.8))
            }
        }
    }

    mutating func paragraph(_ text: String, font: Font) {
        for line in breaker.lines(text, font: font, width: width) { self.line(line, x: left, font: font) }
    }

    /// Label, colon, value: the value wraps within its own column, under itself.
    mutating func table(_ fields: [Letter.Field], font: Font, indent: Double) {
        let labelWidth = (fields.map { measure($0.label, font) }.max() ?? 0) + 8
        let colonX = left + indent + labelWidth
        let valueX = colonX + measure(": ", font)
        let valueWidth = left + width - valueX
        for field in fields {
            for (index, line) in breaker.lines(field.value, font: font, width: valueWidth).enumerated() {
                ensure(Self.lineHeight(font))
                if index == 0 {
                    let baseline = y + font.size
                    items.append(.text(TextRun(field.label, at: Point(x: left + indent, y: baseline), font: font)))
                    items.append(.text(TextRun(":", at: Point(x: colonX, y: baseline), font: font)))
                }
                self.line(line, x: valueX, font: font)
            }
        }
    }

    mutating func letterhead(_ head: Letterhead) {
        let top = y
        let logoSide = 64.0
        if let logo = head.logo {
            items.append(.image(path: logo, frame: Rect(x: left, y: y, width: logoSide, height: logoSide)))
        }
        // Centred on the page, clear of the logo on both sides so the block stays symmetric.
        let inset = head.logo == nil ? 0 : logoSide + 6
        let column = (x: left + inset, width: width - 2 * inset)
        centered("PEMERINTAH KABUPATEN \(head.regency.uppercased())", font: LetterLayout.kop, within: column)
        centered("KECAMATAN \(head.district.uppercased())", font: LetterLayout.kop, within: column)
        centered("DESA \(head.village.uppercased())", font: LetterLayout.kopVillage, within: column)
        centered(head.address, font: LetterLayout.kopAddress, within: column)
        y = max(y, top + (head.logo == nil ? 0 : logoSide)) + 4
        items.append(.rule(from: Point(x: left, y: y), to: Point(x: left + width, y: y), width: 2))
        items.append(.rule(from: Point(x: left, y: y + 3), to: Point(x: left + width, y: y + 3), width: 0.75))
        y += 16
    }

    /// Place and date, the signer on the right and the holder on the left, the QR under them; kept together.
    mutating func signatureBlock(_ letter: Letter) {
        let font = LetterLayout.body
        let lineHeight = Self.lineHeight(font)
        let rightX = left + width * 0.55
        let columnWidth = width * 0.45
        let holderWidth = width * 0.4
        let signer = breaker.lines(letter.letterhead.signerTitle, font: font, width: columnWidth)
        let signerName = letter.letterhead.signerName ?? "(.................................)"
        let signerNameLines = breaker.lines(signerName, font: font.bold(), width: columnWidth)
        let holderLines = breaker.lines(letter.holderName, font: font.bold(), width: holderWidth)
        let rows = 1 + max(signer.count, 1) + max(signerNameLines.count, holderLines.count)
        // The quiet zone of 4 modules a side is inside the frame (the renderer draws it white).
        let modules = breaker.measurer.qrModules(for: letter.seal) ?? LetterLayout.qrAssumedModules
        let qrSide = max(LetterLayout.qrMinimumSide, Double(modules + 8) * LetterLayout.qrModule)
        let height = Double(rows) * lineHeight + LetterLayout.signatureSpace + 8 + qrSide + 14
        ensure(height)

        let top = y
        func put(_ text: String, x: Double, row: Double, font: Font) {
            items.append(.text(TextRun(text, at: Point(x: x, y: top + row * lineHeight + font.size), font: font)))
        }
        put(letter.placeAndDate, x: rightX, row: 0, font: font)
        for (i, line) in signer.enumerated() { put(line, x: rightX, row: Double(1 + i), font: font) }
        put("Pemegang Surat", x: left, row: Double(signer.count), font: font)
        let namesTop = Double(1 + signer.count) + LetterLayout.signatureSpace / lineHeight
        for (i, line) in signerNameLines.enumerated() {
            put(line, x: rightX, row: namesTop + Double(i), font: font.bold())
        }
        for (i, line) in holderLines.enumerated() { put(line, x: left, row: namesTop + Double(i), font: font.bold()) }
        y = top + (namesTop + Double(max(signerNameLines.count, holderLines.count))) * lineHeight + 8

        let qrX = left + (width - qrSide) / 2
        items.append(.qr(payload: letter.seal, frame: Rect(x: qrX, y: y, width: qrSide, height: qrSide)))
        y += qrSide + 2
        centered("Pindai kode QR untuk memeriksa keaslian surat ini", font: LetterLayout.small)
    }

    /// Closes the last page and puts the footer on every page, now that their number is known.
    mutating func finish(footer: String, isDraft: Bool) -> [DisplayPage] {
        pages.append(DisplayPage(size: paper.size, items: items))
        let baseline = paper.size.height - paper.margins.bottom / 2
        let font = LetterLayout.small
        for index in pages.indices {
            let left = (isDraft ? "DRAF · " : "") + footer
            let right = "Halaman \(index + 1) dari \(pages.count)"
            pages[index].items.append(.text(TextRun(left, at: Point(x: self.left, y: baseline), font: font)))
            let x = self.left + width - measure(right, font)
            pages[index].items.append(.text(TextRun(right, at: Point(x: x, y: baseline), font: font)))
        }
        return pages
    }
}
