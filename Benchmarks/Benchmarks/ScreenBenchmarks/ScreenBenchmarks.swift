import Benchmark
import Core
import Drivers

/// Drawing screens (DESIGN.md §9: a full 1024x600 frame ≤ 4 ms median, a partial update ≤ 1 ms), from Core's
/// screen model through the painter, cairo and the copy into a framebuffer in memory with the panel's format.
/// Idle CPU and wake-ups of the running daemon are measured by Benchmarks/Report (make bench) and, with the animation
/// off too, by Benchmarks/Screens/idle.sh.
let renderer = try! Renderer()
let letters = LetterCatalogue.openSIDSelfService.selfService

/// The heaviest screen: six letter choices, two actions, the resident's greeting and a page line.
let menu = KioskScreens.menu(letters: Array(letters.prefix(6)), page: 0, pages: 3, residentName: "I KETUT WIRAWAN")
let confirm = KioskScreens.confirm(letter: letters[0], resident: ScreenGallery.sample, purpose: "Melamar pekerjaan")

struct Panel {
    let name: String
    let width, height: Int
    let mm: SizeMM
}

let panels = [
    Panel(name: "800x480", width: 800, height: 480, mm: SizeMM(width: 154, height: 86)),
    Panel(name: "1024x600", width: 1024, height: 600, mm: SizeMM(width: 222, height: 125)),
    Panel(name: "1920x1080", width: 1920, height: 1080, mm: SizeMM(width: 344, height: 194)),
]

/// A painter, a canvas and a framebuffer for one panel. Made once, outside the measured closures: a benchmark's
/// closure is one sample, so anything made inside it would be measured with every frame.
final class Frame: @unchecked Sendable {
    let painter: ScreenPainter
    let canvas: ScreenCanvas
    let framebuffer: Framebuffer

    init(_ panel: Panel, format: PixelFormat = .xrgb8888) {
        painter = ScreenPainter(
            layout: try! ScreenLayout(size: panel.mm),
            size: Size(width: Double(panel.width), height: Double(panel.height)), measurer: renderer)
        canvas = try! ScreenCanvas(width: panel.width, height: panel.height, fonts: renderer.fonts)
        framebuffer = try! Framebuffer.virtual(width: panel.width, height: panel.height, format: format)
    }

    /// Paints `screen` and copies what changed; returns the pixels copied.
    @discardableResult
    func show(_ screen: Screen, highlighted: ButtonID? = nil, phase: Int = 0) -> Int {
        let dirty = try! canvas.draw(painter.page(screen, highlighted: highlighted, phase: phase))
        framebuffer.copy(dirty, from: canvas, rotation: .none)
        return dirty.reduce(0) { $0 + $1.area }
    }
}

/// Counts across samples: each sample is one closure call, and each must change the screen from the last one.
final class Step: @unchecked Sendable {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(3), maxIterations: 200)

    for panel in panels {
        let frame = Frame(panel)
        Benchmark("Full frame \(panel.name): menu (paint, draw, copy XRGB8888)") { benchmark in
            for _ in benchmark.scaledIterations {
                frame.canvas.invalidate()
                blackHole(frame.show(menu))
            }
        }
    }
    // A 1024x600 RGB565 panel standing upright: drawn 600 x 1024, turned 90° or 270° pixel by pixel into 16 bits.
    let portrait = Frame(Panel(name: "", width: 600, height: 1024, mm: SizeMM(width: 125, height: 222)))
    let rgb565 = try! Framebuffer.virtual(width: 1024, height: 600, format: .rgb565)
    for (angle, rotation) in [(90, ScreenRotation.quarter), (270, .threeQuarters)] {
        Benchmark("Full frame 1024x600 RGB565 rotated \(angle): menu") { benchmark in
            for _ in benchmark.scaledIterations {
                portrait.canvas.invalidate()
                let dirty = try! portrait.canvas.draw(portrait.painter.page(menu))
                rgb565.copy(dirty, from: portrait.canvas, rotation: rotation)
                blackHole(dirty)
            }
        }
    }
    // The copy alone: the turn and the packing into 16 bits of a frame already drawn.
    Benchmark("Copy 1024x600 RGB565 rotated 90 (copy only)") { benchmark in
        _ = try! portrait.canvas.draw(portrait.painter.page(menu))
        for _ in benchmark.scaledIterations {
            rgb565.copy([portrait.canvas.bounds], from: portrait.canvas, rotation: .quarter)
        }
    }

    let wide = panels[1]
    let step = Step()
    let pressing = Frame(wide)
    pressing.show(confirm)
    Benchmark("Partial 1024x600: button highlight (Cetak pressed, released)") { benchmark in
        let frame = pressing
        for _ in benchmark.scaledIterations {
            blackHole(frame.show(confirm, highlighted: step.next().isMultiple(of: 2) ? .confirm : nil))
        }
    }
    let counting = Frame(wide)
    counting.show(KioskScreens.timeoutWarning(secondsLeft: 15))
    Benchmark("Partial 1024x600: countdown digit") { benchmark in
        let frame = counting
        for _ in benchmark.scaledIterations {
            blackHole(frame.show(KioskScreens.timeoutWarning(secondsLeft: 14 - step.next() % 10)))
        }
    }
    let spinning = Frame(wide)
    let printing = KioskScreens.printing(progress: 40, number: nil)
    spinning.show(printing)
    Benchmark("Partial 1024x600: spinner frame") { benchmark in
        let frame = spinning
        for _ in benchmark.scaledIterations {
            blackHole(frame.show(printing, phase: step.next()))
        }
    }
    // What the kiosk's screen presenter does for a touch: hit-test in millimetres, paint the page with the button
    // pressed, and have the framebuffer driver put the changed rectangles on the panel.
    let driver = try! FramebufferDriver(
        framebuffer: try! Framebuffer.virtual(width: 1024, height: 600), fonts: renderer.fonts)
    let touchPainter = ScreenPainter(
        layout: try! ScreenLayout(size: wide.mm), size: driver.drawnSize, measurer: renderer)
    Benchmark("Input 1024x600: touch down -> button found -> drawn pressed on the panel") { benchmark in
        _ = try? await driver.present(touchPainter.page(confirm))
        for _ in benchmark.scaledIterations {
            // Cetak is the bottom-right button; each iteration presses it in and lets it out.
            let target = touchPainter.layout.layout(confirm).hitTest(
                PointMM(x: 0.9 * wide.mm.width, y: 0.92 * wide.mm.height))
            blackHole(try? await driver.present(touchPainter.page(confirm, highlighted: target)))
            blackHole(try? await driver.present(touchPainter.page(confirm)))
        }
    }
}
