public import Core
import NIOConcurrencyHelpers

/// Draws Core's display lists with cairo: a letter into PDF for CUPS, a page into PNG for tests and the demo, or
/// into memory for screens and thermal rasters. Also the `TextMeasurer` layout wraps lines with, so that what
/// layout measured is exactly what gets drawn.
///
/// Unchecked: its one mutable part, the scratch canvas, is reached only under its lock.
public final class Renderer: TextMeasurer, @unchecked Sendable {
    public let fonts: Fonts
    /// One scratch context for measuring; cairo contexts are not thread-safe, so it is used under a lock.
    private let scratch: NIOLockedValueBox<CairoCanvas>

    /// Checks the fonts first: a missing font is an error at start, not a letter set in the wrong metrics.
    public init(fonts: Fonts = Fonts()) throws(GraphicsError) {
        try fonts.verify()
        self.fonts = fonts
        scratch = NIOLockedValueBox(try CairoCanvas(surface: CairoCanvas.imageSurface(width: 1, height: 1), scale: 1, fonts: fonts))
    }

    /// Starts reading fontconfig's configuration and caches on a thread of their own, for a process that makes a
    /// renderer soon (`kiosk run`): the first font match, on the path to the first screen, then finds them read.
    public static func loadFontsInBackground() {
        Fontconfig.loadInBackground()
    }

    public func width(of text: String, in font: Font) -> Double {
        scratch.withLockedValue { $0.width(of: text, in: font) }
    }

    public func xHeight(of font: Font) -> Double {
        scratch.withLockedValue { $0.xHeight(of: font) }
    }

    /// The side of `payload`'s QR in modules, as `draw` will encode it (libqrencode, level M); `nil` when it does
    /// not fit a QR at all.
    public func qrModules(for payload: String) -> Int? {
        try? QRCode.encoded(payload).side
    }

    /// Every page into one PDF document (`cairo_pdf_surface_create_for_stream`); sizes are in points.
    public func pdf(_ list: DisplayList) throws(GraphicsError) -> [UInt8] {
        let sink = ByteSink()
        let first = list.pages.first?.size ?? Paper.a4.size
        let canvas = try CairoCanvas(surface: CairoCanvas.pdfSurface(first, sink: sink), scale: 1, fonts: fonts)
        for page in list.pages {
            for item in page.items { try canvas.draw(item) }
            try canvas.showPage()
        }
        try canvas.finish()
        return sink.bytes
    }

    /// One page drawn into memory on white, `scale` pixels per layout unit (72 dpi pages at `scale` 150/72 are
    /// 150 dpi).
    public func raster(_ page: DisplayPage, scale: Double = 1) throws(GraphicsError) -> RasterImage {
        try canvas(page, scale: scale).pixels()
    }

    /// One page as PNG.
    public func png(_ page: DisplayPage, scale: Double = 1) throws(GraphicsError) -> [UInt8] {
        try canvas(page, scale: scale).png()
    }

    /// A PNG file's pixels at its own size, on white (a screen dump or a golden snapshot, to compare with
    /// `RasterImage.differences`).
    public func raster(png path: String) throws(GraphicsError) -> RasterImage {
        let (width, height) = try CairoCanvas.pngSize(path)
        let frame = Rect(x: 0, y: 0, width: Double(width), height: Double(height))
        return try raster(DisplayPage(size: frame.size, items: [.image(path: path, frame: frame)]))
    }

    private func canvas(_ page: DisplayPage, scale: Double) throws(GraphicsError) -> CairoCanvas {
        let surface = CairoCanvas.imageSurface(
            width: Int((page.size.width * scale).rounded(.up)), height: Int((page.size.height * scale).rounded(.up)))
        let canvas = try CairoCanvas(surface: surface, scale: scale, fonts: fonts)
        canvas.clear(.white)
        for item in page.items { try canvas.draw(item) }
        return canvas
    }
}
