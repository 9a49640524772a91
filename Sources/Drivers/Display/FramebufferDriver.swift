public import Core

/// The framebuffer driver: a page of display items drawn off screen by a `ScreenCanvas` where it changed, and only
/// those rectangles copied onto the panel, turned by the rotation (the split of LVGL's `lv_linux_fbdev.c`: the
/// driver flushes rectangles). It knows pixels, not screens: which screen is up, what is pressed, animated or
/// listed on the diagnostics screen is the presenter's business, outside Drivers.
///
/// Nothing is drawn while nothing changes, so an idle kiosk costs no CPU. The driver runs on a thread of its own:
/// where frames flip, presenting one waits for the vertical blank.
public actor FramebufferDriver {
    private let executor = BlockingExecutor(label: "kiosk.display")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let framebuffer: Framebuffer
    public nonisolated let rotation: ScreenRotation
    /// The drawn screen's size in pixels (the panel's, turned by the rotation): what pages are laid out in.
    public nonisolated let drawnSize: Size
    let canvas: ScreenCanvas
    /// The console switched to another VT: draw nothing until it comes back.
    private var suspended = false
    /// The next frame goes onto every page: a session ended.
    private var wipesEveryPage = false

    /// Draws with the renderer's `fonts` onto `framebuffer`, turned by `rotation`.
    public init(framebuffer: Framebuffer, rotation: ScreenRotation = .none, fonts: Fonts) throws(GraphicsError) {
        self.framebuffer = framebuffer
        self.rotation = rotation
        drawnSize = rotation.drawnSize(width: Double(framebuffer.width), height: Double(framebuffer.height))
        canvas = try ScreenCanvas(width: Int(drawnSize.width), height: Int(drawnSize.height), fonts: fonts)
    }

    /// Draws what changed since the last page and copies it to the panel; returns the changed rectangles (drawn
    /// coordinates). Nothing while suspended. A drawing failure leaves the canvas to be drawn in full next time.
    @discardableResult
    public func present(_ page: DisplayPage) throws(GraphicsError) -> [PixelRect] {
        guard !suspended else { return [] }
        let dirty: [PixelRect]
        do {
            dirty = try canvas.draw(page)
        } catch {
            canvas.invalidate()
            throw error
        }
        framebuffer.present(dirty, from: canvas, rotation: rotation, everyPage: wipesEveryPage)
        wipesEveryPage = false
        return dirty
    }

    /// Draws `page` off screen only, before the first frame: fonts loaded, glyphs cached and the canvas's memory
    /// touched while start-up waits on other work, not on the path to READY=1. The next page is drawn in full.
    public func prepare(_ page: DisplayPage) throws(GraphicsError) {
        try canvas.draw(page)
        canvas.invalidate()
    }

    /// The console went to another VT: stop drawing.
    public func suspend() {
        suspended = true
    }

    /// The console is back: the next page is drawn in full (another program may have drawn over the panel).
    public func resume() {
        suspended = false
        canvas.invalidate()
    }

    /// The next page paints every pixel of every page of the panel: after a session, so no trace of a resident's
    /// data survives anywhere on it (a partial update would already cover what changed; this does not rely on it).
    public func wipeNextFrame() {
        canvas.invalidate()
        wipesEveryPage = true
    }

    /// The drawn screen's pixels (drawn orientation), as the snapshot tests compare them.
    public func drawnImage() -> RasterImage {
        canvas.withPixels { pixels, stride in
            RasterImage(
                width: canvas.width, height: canvas.height, wordsPerRow: stride,
                pixels: Array(UnsafeBufferPointer(start: pixels, count: stride * canvas.height)))
        }
    }

    /// The drawn screen as PNG (drawn orientation).
    public func png() throws(GraphicsError) -> [UInt8] {
        try canvas.png()
    }
}
