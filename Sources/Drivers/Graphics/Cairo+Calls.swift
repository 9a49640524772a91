import CCairo
import Core

/// Every cairo call goes through here: a canvas owns one `cairo_t` on one surface and draws display items on it;
/// the surfaces (PDF stream, image) are made and finished here too. Nothing outside Drivers/Graphics sees cairo.
final class CairoCanvas {
    let surface: OpaquePointer
    let cr: OpaquePointer
    let fonts: Fonts

    /// Draws on `surface` (which the canvas then owns), scaled by `scale` (device units per layout unit).
    init(surface: OpaquePointer, scale: Double, fonts: Fonts) throws(GraphicsError) {
        try Self.check(cairo_surface_status(surface), "cairo_surface_create")
        // Text drawn here is looked up in the kiosk's font configuration, never the machine's.
        _ = Fontconfig.loaded
        self.surface = surface
        cr = cairo_create(surface)
        self.fonts = fonts
        cairo_scale(cr, scale, scale)
        try Self.check(cairo_status(cr), "cairo_create")
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    static func check(_ status: cairo_status_t, _ call: String) throws(GraphicsError) {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .cairo(call: call, status: String(cString: cairo_status_to_string(status)))
        }
    }

    // MARK: Surfaces

    /// A PDF surface writing into `sink` (`cairo_pdf_surface_create_for_stream`), page size in points.
    static func pdfSurface(_ size: Size, sink: ByteSink) -> OpaquePointer {
        cairo_pdf_surface_create_for_stream(
            { closure, data, length in
                let sink = Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque(), size.width, size.height)!
    }

    /// An ARGB32 image surface (`cairo_image_surface_create`).
    static func imageSurface(width: Int, height: Int) -> OpaquePointer {
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
    }

    /// `cairo_show_page`: ends a PDF page and starts the next.
    func showPage() throws(GraphicsError) {
        cairo_show_page(cr)
        try Self.check(cairo_status(cr), "cairo_show_page")
    }

    /// `cairo_surface_finish`: flushes the PDF into its sink.
    func finish() throws(GraphicsError) {
        cairo_surface_finish(surface)
        try Self.check(cairo_surface_status(surface), "cairo_surface_finish")
    }

    /// The image surface's pixels (`cairo_image_surface_get_data`), premultiplied ARGB32 in native byte order.
    func pixels() -> RasterImage {
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        let words = data.withMemoryRebound(to: UInt32.self, capacity: stride / 4 * height) {
            Array(UnsafeBufferPointer(start: $0, count: stride / 4 * height))
        }
        return RasterImage(width: width, height: height, wordsPerRow: stride / 4, pixels: words)
    }

    /// `cairo_surface_write_to_png_stream`.
    func png() throws(GraphicsError) -> [UInt8] {
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(
            surface,
            { closure, data, length in
                let sink = Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        try Self.check(status, "cairo_surface_write_to_png_stream")
        return sink.bytes
    }

    // MARK: Drawing

    func clear(_ color: Color) {
        cairo_save(cr)
        setColor(color)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    func draw(_ item: DisplayItem) throws(GraphicsError) {
        switch item {
        case .text(let run):
            setFont(run.font)
            setColor(run.color)
            cairo_move_to(cr, run.origin.x, run.origin.y)
            cairo_show_text(cr, run.text)
        case .rule(let from, let to, let width):
            setColor(.black)
            cairo_set_line_width(cr, width)
            cairo_move_to(cr, from.x, from.y)
            cairo_line_to(cr, to.x, to.y)
            cairo_stroke(cr)
        case .fill(let rect, let color):
            setColor(color)
            cairo_rectangle(cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height)
            cairo_fill(cr)
        case .image(let path, let frame):
            try image(path, in: frame)
        case .qr(let payload, let frame):
            try qr(QRCode.encoded(payload), in: frame)
        case .roundedRect(let rect, let radius, let color):
            setColor(color)
            roundedRectangle(rect, radius: radius)
            cairo_fill(cr)
        case .outline(let rect, let radius, let width, let color):
            setColor(color)
            cairo_set_line_width(cr, width)
            roundedRectangle(rect.inset(by: width / 2), radius: max(0, radius - width / 2))
            cairo_stroke(cr)
        case .circle(let center, let radius, let color):
            setColor(color)
            cairo_new_path(cr)
            cairo_arc(cr, center.x, center.y, radius, 0, 2 * .pi)
            cairo_fill(cr)
        case .stroke(let points, let width, let color):
            setColor(color)
            cairo_set_line_width(cr, width)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            path(points)
            cairo_stroke(cr)
        case .polygon(let points, let color):
            setColor(color)
            path(points)
            cairo_close_path(cr)
            cairo_fill(cr)
        case .arc(let center, let radius, let from, let to, let width, let color):
            setColor(color)
            cairo_set_line_width(cr, width)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
            cairo_new_path(cr)
            cairo_arc(cr, center.x, center.y, radius, from, to)
            cairo_stroke(cr)
        }
        try Self.check(cairo_status(cr), "drawing \(item.kind)")
    }

    /// The advance width of `text` (`cairo_text_extents`' `x_advance`), remembered: screens measure the same
    /// labels on every frame, and a cairo measurement (font selection, shaping) costs far more than a lookup.
    func width(of text: String, in font: Font) -> Double {
        let key = MeasuredText(text: text, font: font)
        if let width = widths[key] { return width }
        setFont(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        if widths.count >= Self.rememberedWidths { widths.removeAll(keepingCapacity: true) }
        widths[key] = extents.x_advance
        return extents.x_advance
    }

    /// How many widths `width(of:in:)` remembers before it starts again. The texts that come back are a screen's
    /// labels and a letter's fixed lines, a few hundred; the rest come once, with a resident's name, a letter's
    /// number or a date in them, and would otherwise pile up. At 4,096 (the bound before) the two renderers of a
    /// kiosk could hold about 1.4 MB of widths (estimated from the entries' sizes), and `make soak-memory` counted
    /// their filling as growth for the first thousand sessions (heaptrack of a soak: about one new text a session
    /// per call site).
    static let rememberedWidths = 512

    /// How many widths are remembered now (for tests).
    var rememberedWidthCount: Int { widths.count }

    /// The ink height of "x" above the baseline (`cairo_text_extents`' `y_bearing`, negated): the font's real
    /// x-height at `font`'s size.
    func xHeight(of font: Font) -> Double {
        if let height = xHeights[font] { return height }
        setFont(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, "x", &extents)
        if xHeights.count >= 256 { xHeights.removeAll(keepingCapacity: true) }
        xHeights[font] = -extents.y_bearing
        return -extents.y_bearing
    }

    private var xHeights: [Font: Double] = [:]

    private struct MeasuredText: Hashable {
        let text: String
        let font: Font
    }

    private var widths: [MeasuredText: Double] = [:]

    /// A closed rounded-rectangle path, corners as quarter circles (`cairo_arc`).
    private func roundedRectangle(_ rect: Rect, radius: Double) {
        let r = min(radius, rect.size.width / 2, rect.size.height / 2)
        let (x, y, maxX, maxY) = (rect.origin.x, rect.origin.y, rect.maxX, rect.maxY)
        cairo_new_path(cr)
        cairo_arc(cr, maxX - r, y + r, r, -.pi / 2, 0)
        cairo_arc(cr, maxX - r, maxY - r, r, 0, .pi / 2)
        cairo_arc(cr, x + r, maxY - r, r, .pi / 2, .pi)
        cairo_arc(cr, x + r, y + r, r, .pi, 3 * .pi / 2)
        cairo_close_path(cr)
    }

    private func path(_ points: [Point]) {
        cairo_new_path(cr)
        guard let first = points.first else { return }
        cairo_move_to(cr, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(cr, point.x, point.y) }
    }

    /// Moves the origin (`cairo_translate`): a scratch canvas for one rectangle of a screen draws the screen's
    /// items at their screen positions.
    func translate(x: Double, y: Double) {
        cairo_translate(cr, x, y)
    }

    /// Copies all of `other`'s pixels here with their top-left corner at (`x`, `y`), replacing what was there
    /// (`cairo_set_source_surface`, `CAIRO_OPERATOR_SOURCE`, a pixel-aligned rectangle: a plain blit).
    func blit(_ other: CairoCanvas, x: Int, y: Int, width: Int, height: Int) {
        cairo_surface_flush(other.surface)
        cairo_save(cr)
        cairo_identity_matrix(cr)
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE)
        cairo_set_source_surface(cr, other.surface, Double(x), Double(y))
        cairo_rectangle(cr, Double(x), Double(y), Double(width), Double(height))
        cairo_fill(cr)
        cairo_restore(cr)
    }

    /// The image surface's pixel memory (`cairo_image_surface_get_data`) and its row stride in 32-bit words.
    func withPixels<R>(_ body: (UnsafePointer<UInt32>, Int) throws -> R) rethrows -> R {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        let height = Int(cairo_image_surface_get_height(surface))
        let data = cairo_image_surface_get_data(surface)!
        return try data.withMemoryRebound(to: UInt32.self, capacity: stride * height) { try body($0, stride) }
    }

    /// `cairo_surface_mark_dirty` after the pixels were changed behind cairo's back.
    func markDirty() {
        cairo_surface_mark_dirty(surface)
    }

    private func setFont(_ font: Font) {
        cairo_select_font_face(
            cr, fonts.family(font.family), CAIRO_FONT_SLANT_NORMAL,
            font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, font.size)
    }

    private func setColor(_ color: Color) {
        cairo_set_source_rgb(cr, color.red, color.green, color.blue)
    }

    /// A PNG file's size in pixels (`cairo_image_surface_create_from_png`), or why it cannot be read.
    static func pngSize(_ path: String) throws(GraphicsError) -> (width: Int, height: Int) {
        let image = cairo_image_surface_create_from_png(path)!
        defer { cairo_surface_destroy(image) }
        let status = cairo_surface_status(image)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .imageUnreadable(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
        return (Int(cairo_image_surface_get_width(image)), Int(cairo_image_surface_get_height(image)))
    }

    private func image(_ path: String, in frame: Rect) throws(GraphicsError) {
        let image = cairo_image_surface_create_from_png(path)!
        defer { cairo_surface_destroy(image) }
        let status = cairo_surface_status(image)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .imageUnreadable(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
        let width = Double(cairo_image_surface_get_width(image))
        let height = Double(cairo_image_surface_get_height(image))
        let scale = min(frame.size.width / width, frame.size.height / height)
        cairo_save(cr)
        cairo_translate(
            cr, frame.origin.x + (frame.size.width - width * scale) / 2,
            frame.origin.y + (frame.size.height - height * scale) / 2)
        cairo_scale(cr, scale, scale)
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// Dark modules as a stencil of one bit per module (`cairo_mask` with an A1 image: an /ImageMask in a PDF), scaled
    /// to `frame` without smoothing (`CAIRO_FILTER_NEAREST`, /Interpolate false), on white with the four-module quiet
    /// zone scanners need; drawn without antialiasing so rasters stay sharp. Not one rectangle per run of dark modules:
    /// in a letter's PDF those runs were 850 paths, 50 of the content stream's 66 kB, and printing and deflating their
    /// coordinates was about half the time a letter took (perf of LetterBenchmarks); the stencil is a few hundred
    /// bytes. A stencil, not an image: viewers and poppler smooth an upscaled image, never a stencil's edges.
    private func qr(_ code: QRCode, in frame: Rect) throws(GraphicsError) {
        let side = code.side + 8
        let stencil = cairo_image_surface_create(CAIRO_FORMAT_A1, Int32(side), Int32(side))!
        defer { cairo_surface_destroy(stencil) }
        try Self.check(cairo_surface_status(stencil), "cairo_image_surface_create")
        let words = Int(cairo_image_surface_get_stride(stencil)) / 4
        cairo_image_surface_get_data(stencil)!.withMemoryRebound(to: UInt32.self, capacity: words * side) { rows in
            rows.update(repeating: 0, count: words * side)
            // A1 pixels are bits of native 32-bit words, the leftmost pixel in the lowest bit (little-endian).
            for y in 0..<code.side {
                for x in 0..<code.side where code.isDark(x: x, y: y) {
                    rows[(y + 4) * words + (x + 4) / 32] |= 1 << UInt32((x + 4) % 32)
                }
            }
        }
        cairo_surface_mark_dirty(stencil)
        let module = min(frame.size.width, frame.size.height) / Double(side)
        cairo_save(cr)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE)
        cairo_translate(cr, frame.origin.x, frame.origin.y)
        cairo_scale(cr, module, module)
        setColor(.white)
        cairo_rectangle(cr, 0, 0, Double(side), Double(side))
        cairo_fill(cr)
        setColor(.black)
        let pattern = cairo_pattern_create_for_surface(stencil)!
        defer { cairo_pattern_destroy(pattern) }
        cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST)
        cairo_mask(cr, pattern)
        cairo_restore(cr)
    }
}

/// Collects what cairo's stream callbacks write.
final class ByteSink {
    var bytes: [UInt8] = []
}

extension DisplayItem {
    /// For error messages: what was being drawn, without its content (a text run may hold a name).
    var kind: String {
        switch self {
        case .text: "text"
        case .rule: "a rule"
        case .fill: "a fill"
        case .image: "an image"
        case .qr: "a QR code"
        case .roundedRect: "a rounded rectangle"
        case .outline: "an outline"
        case .circle: "a circle"
        case .stroke: "a line"
        case .polygon: "a polygon"
        case .arc: "an arc"
        }
    }
}
