public import Core
public import Logging

/// The resident screens on a framebuffer: Core's `ScreenPainter` makes the display list, a `ScreenCanvas` draws
/// it off screen where it changed, and only those rectangles are copied onto the panel, turned by the rotation.
///
/// Nothing is drawn while nothing changes, so an idle kiosk costs no CPU; the idle animation and the printing
/// spinner step only when `advanceAnimation()` is called (by the runtime, at `animationInterval`), each step
/// touching a few small rectangles.
///
/// The display runs on a thread of its own: where frames flip, showing one waits for the vertical blank.
public actor FramebufferDisplay: Display {
    private let executor = BlockingExecutor(label: "kiosk.display")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let framebuffer: Framebuffer
    public nonisolated let rotation: ScreenRotation
    /// The drawn screen's physical size (rotation applied): what the 20 mm targets are laid out in.
    public nonisolated let size: SizeMM
    let painter: ScreenPainter
    let canvas: ScreenCanvas
    let logger: Logger
    /// Whether the idle screen animates (one small step a second); off, an idle kiosk has no wake-ups at all.
    let animatesIdle: Bool

    /// The screen shown now, the button under the resident's finger, the animation step.
    public private(set) var screen: Screen?
    public private(set) var highlighted: ButtonID?
    private var phase = 0
    /// Where the last touch landed on the diagnostics screen (drawn coordinates).
    private var lastTouch: Point?
    /// Lines about the input devices, handed in by the kiosk: listed under the panel's facts on diagnostics.
    public private(set) var inputFacts: [String] = []
    /// The console switched to another VT: draw nothing until it comes back.
    private var suspended = false
    /// The next frame goes onto every page: a session ended.
    private var wipesEveryPage = false
    /// Told of every frame put on the panel (the virtual backend writes snapshots from it).
    private let framePresented: (@Sendable (Screen, [UInt8]) -> Void)?

    /// `size` is the drawn screen's physical size; `framePresented`, when given, receives each new screen as PNG
    /// (costly: for the virtual backend's snapshots only).
    public init(
        framebuffer: Framebuffer, size: SizeMM, rotation: ScreenRotation = .none, renderer: Renderer,
        animatesIdle: Bool = true, logger: Logger = Logger(label: "kiosk.display"),
        framePresented: (@Sendable (Screen, [UInt8]) -> Void)? = nil
    ) throws {
        let drawn = rotation.drawnSize(width: Double(framebuffer.width), height: Double(framebuffer.height))
        self.framebuffer = framebuffer
        self.rotation = rotation
        self.size = size
        painter = ScreenPainter(layout: try ScreenLayout(size: size), size: drawn, measurer: renderer)
        canvas = try ScreenCanvas(width: Int(drawn.width), height: Int(drawn.height), fonts: renderer.fonts)
        self.animatesIdle = animatesIdle
        self.logger = logger
        self.framePresented = framePresented
    }

    public func show(_ screen: Screen) async {
        let isNew = self.screen?.id != screen.id
        self.screen = screen
        if isNew {
            highlighted = nil
            phase = 0
            lastTouch = nil
        }
        present()
        if let framePresented, let png = try? canvas.png() { framePresented(screen, png) }
    }

    /// Marks the button under the resident's finger (`nil` when the finger left every button): it changes colour
    /// at once, and acts only when released over it.
    public func highlight(_ button: ButtonID?) {
        guard button != highlighted else { return }
        highlighted = button
        present()
    }

    /// How often the screen shown animates: `nil` for a still screen.
    public var animationInterval: Duration? {
        switch screen?.id {
        case .idle: animatesIdle ? .seconds(1) : nil
        case .printing: .milliseconds(250)
        default: nil
        }
    }

    /// One step of the animation of the screen shown.
    public func advanceAnimation() {
        phase &+= 1
        present()
    }

    /// The button at a touch, given as fractions 0...1 of the panel in its native orientation.
    public func button(atPanel x: Double, _ y: Double) -> ButtonID? {
        guard let screen else { return nil }
        let drawn = rotation.drawn(fromPanel: x, y)
        if screen.id == .diagnostics {
            lastTouch = Point(x: drawn.x * painter.size.width, y: drawn.y * painter.size.height)
            present()
        }
        let point = PointMM(x: drawn.x * size.width, y: drawn.y * size.height)
        return painter.layout.layout(screen).hitTest(point)
    }

    /// The console went to another VT: stop drawing.
    public func suspend() {
        suspended = true
    }

    /// The console is back: everything is drawn again (another program may have drawn over it).
    public func resume() {
        suspended = false
        canvas.invalidate()
        present()
    }

    /// The next screen paints every pixel: after a session, so no trace of a resident's data survives anywhere on
    /// the panel (a partial update would already cover what changed; this does not rely on it).
    public func sessionCleared() async {
        canvas.invalidate()
        wipesEveryPage = true
    }

    /// What the diagnostics screen says about the panel: a technician compares it with the panel's data sheet.
    public nonisolated var facts: [String] {
        let fb = framebuffer
        return [
            "Perangkat: \(fb.device), \(fb.width)x\(fb.height) piksel, \(fb.format), baris \(fb.stride) byte",
            "Ukuran: \(size), rotasi \(rotation.rawValue)°, pan+vsync: \(fb.canPanAndWait ? "ya" : "tidak"), "
                + "\(fb.flips ? "2 halaman" : "1 halaman")",
        ]
    }

    /// Sets the input devices' lines of the diagnostics screen (the kiosk knows the devices, the display only
    /// shows them); redraws when the diagnostics screen is up, so a device plugged in or out shows at once.
    public func setInputFacts(_ lines: [String]) {
        guard lines != inputFacts else { return }
        inputFacts = lines
        if screen?.id == .diagnostics { present() }
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
    public func png() throws -> [UInt8] {
        try canvas.png()
    }

    /// Draws what changed and copies it to the panel; returns the changed rectangles (drawn coordinates).
    @discardableResult
    public func present() -> [PixelRect] {
        guard let screen, !suspended else { return [] }
        do {
            let page =
                screen.id == .diagnostics
                ? painter.page(screen, highlighted: highlighted, facts: facts + inputFacts, touch: lastTouch)
                : painter.page(screen, highlighted: highlighted, phase: phase)
            let dirty = try canvas.draw(page)
            framebuffer.present(dirty, from: canvas, rotation: rotation, everyPage: wipesEveryPage)
            wipesEveryPage = false
            return dirty
        } catch {
            // A drawing failure must not take the kiosk down: the next screen is drawn in full.
            logger.error("screen not drawn", metadata: ["screen": "\(screen.id)", "error": "\(error)"])
            canvas.invalidate()
            return []
        }
    }
}
