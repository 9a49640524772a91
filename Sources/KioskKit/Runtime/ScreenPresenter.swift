package import Core
package import Drivers
package import Logging

/// The one holder of the screen on display. It puts the runtime's screens on the output (the panel through the
/// framebuffer driver, or a display that draws screens itself: the terminal, a test's capture), and keeps what
/// belongs to the screen shown: the button under the resident's finger, the animation step, the diagnostics overlay
/// (the panel's and the input devices' facts, the touch crosshair). It hit-tests touches on what it shows, and lets
/// a script or the animation wait for a screen. The driver below it draws pixels; the state machine above it
/// decides what is shown.
package actor ScreenPresenter: Display, TouchScreen {
    /// Where screens go.
    package enum Output: Sendable {
        /// A display that draws screens itself (the terminal, a test's capture).
        case display(any Display)
        /// The panel, through the framebuffer driver; screens are painted into display lists here.
        case framebuffer(FramebufferDriver, ScreenPainter)
    }

    let output: Output
    /// The drawn screen's physical size (rotation applied): what the 20 mm targets are laid out in.
    let layout: ScreenLayout
    /// Whether the idle screen animates (one small step a second); off, an idle kiosk has no wake-ups at all.
    let animatesIdle: Bool
    let logger: Logger
    /// Told of every frame put on the panel (the virtual backend writes snapshots from it).
    let framePresented: (@Sendable (Screen, [UInt8]) -> Void)?

    /// The screen on display now.
    package private(set) var current: Screen?
    /// The button under the resident's finger.
    package private(set) var highlighted: ButtonID?
    private var phase = 0
    /// The village board the idle screen shows beside its text, read again each time the idle screen comes up.
    private var board: BoardPanel?
    /// The board's items as last painted, and for what: the idle animation steps every second, the board's page
    /// only every `BoardPanel.secondsPerPage`, and laying its texts out each second cost more than the waves did.
    private var boardMemo: (screen: ScreenID, page: BoardPanel.Page?, pressed: Bool, items: [DisplayItem])?
    /// Where the board comes from (`BoardStore` and the clock, in `kiosk run`); `nil`: no board.
    private var boardSource: (@Sendable () -> BoardPanel?)?
    /// Where the last touch landed on the diagnostics screen (drawn coordinates).
    private var lastTouch: Point?
    /// The input devices' lines of the diagnostics screen.
    package private(set) var inputFacts: [String] = []
    private var waiters:
        [Int: (wanted: @Sendable (Screen) -> Bool, continuation: CheckedContinuation<Screen?, Never>)] = [:]
    private var nextWaiter = 0

    /// Screens on `display`, which draws them itself; touches are hit-tested in `size` without rotation.
    package init(display: any Display, size: SizeMM, logger: Logger = Logger(label: "kiosk.display")) throws {
        output = .display(display)
        layout = try ScreenLayout(size: size)
        animatesIdle = false
        self.logger = logger
        framePresented = nil
    }

    /// Screens on the panel through `driver`: painted with `renderer`'s metrics for a drawn screen of `size`
    /// millimetres. `framePresented`, when given, receives each screen shown as PNG (costly: for the virtual
    /// backend's snapshots only).
    package init(
        driver: FramebufferDriver, size: SizeMM, renderer: Renderer, animatesIdle: Bool = true,
        logger: Logger = Logger(label: "kiosk.display"), framePresented: (@Sendable (Screen, [UInt8]) -> Void)? = nil
    ) throws {
        layout = try ScreenLayout(size: size)
        output = .framebuffer(driver, ScreenPainter(layout: layout, size: driver.drawnSize, measurer: renderer))
        self.animatesIdle = animatesIdle
        self.logger = logger
        self.framePresented = framePresented
    }

    /// Has the idle screen show the board `source` gives (read each time the idle screen comes up).
    package func showBoard(from source: @escaping @Sendable () -> BoardPanel?) async {
        boardSource = source
        board = source()
        boardMemo = nil
        if current?.id == .idle { await redraw() }
    }

    /// Whether screens are drawn in pixels here (and so animate and show a highlight).
    package nonisolated var drawsPixels: Bool {
        if case .framebuffer = output { return true }
        return false
    }

    private var driver: FramebufferDriver? {
        if case .framebuffer(let driver, _) = output { return driver }
        return nil
    }

    // MARK: Display

    package func show(_ screen: Screen) async {
        let isNew = current?.id != screen.id
        current = screen
        if isNew {
            highlighted = nil
            phase = 0
            lastTouch = nil
            if screen.id == .idle {
                board = boardSource?()
                boardMemo = nil
            }
        }
        switch output {
        case .display(let display):
            await display.show(screen)
        case .framebuffer(let driver, _):
            await redraw()
            if let framePresented, let png = try? await driver.png() { framePresented(screen, png) }
        }
        for (id, waiter) in waiters where waiter.wanted(screen) {
            waiters[id] = nil
            waiter.continuation.resume(returning: screen)
        }
    }

    /// Draws `screen` off screen once, so that the first frame finds fonts, glyphs and memory ready (framebuffer
    /// output only); nothing reaches the panel. A failure here is the first frame's to report.
    package func prepare(_ screen: Screen) async {
        guard case .framebuffer(let driver, let painter) = output else { return }
        try? await driver.prepare(painter.page(screen))
    }

    /// The next screen is drawn over every pixel, so no trace of the resident's data stays.
    package func sessionCleared() async {
        switch output {
        case .display(let display): await display.sessionCleared()
        case .framebuffer(let driver, _): await driver.wipeNextFrame()
        }
    }

    // MARK: Touch

    /// The button at a touch, given as fractions 0...1 of the panel in its native orientation; on the diagnostics
    /// screen the touch also gets a crosshair.
    package func target(at point: PanelPoint) async -> ButtonID? {
        guard let current else { return nil }
        let drawn = (driver?.rotation ?? .none).drawn(fromPanel: point.x, point.y)
        if current.id == .diagnostics, case .framebuffer(_, let painter) = output {
            lastTouch = Point(x: drawn.x * painter.size.width, y: drawn.y * painter.size.height)
            await redraw()
        }
        return hitTest(PointMM(x: drawn.x * layout.size.width, y: drawn.y * layout.size.height))
    }

    /// The button at `point` (millimetres of the drawn screen) on the screen shown; on the idle screen, the village
    /// board's box too, as the page it shows now.
    package func hitTest(_ point: PointMM) -> ButtonID? {
        guard let current else { return nil }
        let laidOut = layout.layout(current)
        if let button = laidOut.hitTest(point) { return button }
        guard current.id == .idle, let board = boardShown, let page = board.page(at: phase),
            layout.idleAreas(laidOut).board.contains(point)
        else { return nil }
        return .boardPage(page)
    }

    /// The board as drawn now: on the idle screen and its detail pages, on a panel drawn here.
    private var boardShown: BoardPanel? {
        guard drawsPixels else { return nil }
        switch current?.id {
        case .idle, .board: return board
        default: return nil
        }
    }

    /// Marks the button under the resident's finger (`nil` when the finger left every button): it changes colour
    /// at once, and acts only when released over it.
    package func highlight(_ button: ButtonID?) async {
        guard button != highlighted else { return }
        highlighted = button
        await redraw()
    }

    /// Sets the input devices' lines of the diagnostics screen; redraws when it is up, so a device plugged in or
    /// out shows at once.
    package func inputDevicesChanged(_ lines: [String]) async {
        guard lines != inputFacts else { return }
        inputFacts = lines
        if current?.id == .diagnostics { await redraw() }
    }

    // MARK: Animation and the console

    /// How often the screen shown animates: `nil` for a still screen (and for displays that draw themselves).
    package var animationInterval: Duration? {
        guard driver != nil else { return nil }
        switch current?.id {
        case .idle: return animatesIdle ? .seconds(1) : nil
        case .printing: return .milliseconds(250)
        default: return nil
        }
    }

    /// One step of the animation of the screen shown.
    package func advanceAnimation() async {
        phase &+= 1
        await redraw()
    }

    /// The console went to another VT: stop drawing.
    package func suspend() async {
        await driver?.suspend()
    }

    /// The console is back: everything is drawn again (another program may have drawn over it).
    package func resume() async {
        await driver?.resume()
        await redraw()
    }

    // MARK: Waiting

    /// Returns when a screen `wanted` accepts is on display (the current one included); `nil` if cancelled.
    package func waitFor(_ wanted: @escaping @Sendable (Screen) -> Bool) async -> Screen? {
        if let current, wanted(current) { return current }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiters[id] = (wanted, continuation)
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }

    // MARK: Drawing

    /// What the diagnostics screen says about the panel: a technician compares it with the panel's data sheet.
    package var panelFacts: [String] {
        guard let driver else { return [] }
        let panel = driver.framebuffer
        return Teks.panelFacts(
            device: panel.device, width: panel.width, height: panel.height, format: "\(panel.format)",
            stride: panel.stride, size: layout.size, rotation: driver.rotation.rawValue,
            panAndVsync: panel.canPanAndWait, pages: panel.flips ? 2 : 1)
    }

    /// Paints the screen shown with its highlight, animation step or diagnostics overlay and has the driver put
    /// what changed on the panel; returns the changed rectangles (drawn coordinates).
    @discardableResult
    package func redraw() async -> [PixelRect] {
        guard let current, case .framebuffer(let driver, let painter) = output else { return [] }
        let page =
            current.id == .diagnostics
            ? painter.page(current, highlighted: highlighted, facts: panelFacts + inputFacts, touch: lastTouch)
            : painter.page(
                current, highlighted: highlighted, phase: phase, board: boardShown,
                boardItems: boardShown.flatMap { boardItems(current, board: $0, painter: painter) })
        do {
            return try await driver.present(page)
        } catch {
            // A drawing failure must not take the kiosk down: the driver draws the next page in full.
            logger.error("screen not drawn", metadata: ["screen": "\(current.id)", "error": "\(error)"])
            return []
        }
    }

    /// The board's items on `screen`, painted again only when its page, its screen or the finger on it changed.
    private func boardItems(_ screen: Screen, board: BoardPanel, painter: ScreenPainter) -> [DisplayItem]? {
        let page = screen.id == .idle ? board.page(at: phase) : nil
        let pressed = highlighted.map { if case .boardPage = $0 { true } else { false } } ?? false
        if let memo = boardMemo, memo.screen == screen.id, memo.page == page, memo.pressed == pressed {
            return memo.items
        }
        guard let items = painter.boardItems(screen, board: board, phase: phase, highlighted: highlighted) else {
            return nil
        }
        boardMemo = (screen.id, page, pressed, items)
        return items
    }

    /// The drawn screen as PNG (framebuffer output only).
    package func png() async throws -> [UInt8] {
        guard let driver else { return [] }
        return try await driver.png()
    }
}
