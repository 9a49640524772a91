import Core
import Foundation
import Testing

@testable import Drivers

/// Issue 19's rule for older readers, measured on what is drawn: on every supported panel, every body line of
/// every screen of the gallery has an x-height of at least `ScreenLayout.minimumXHeight` (3.5 mm), taken from the
/// laid-out font size, the font's own x-height (cairo's extents of "x") and the panel's pixels per millimetre.
@Suite("Screens: body text sized for older readers")
struct ScreenTextSizeTests {
    struct Panel: CustomTestStringConvertible, Sendable {
        let name: String
        /// The drawn screen, rotation applied: pixels and millimetres.
        let pixels: Size
        let mm: SizeMM
        var testDescription: String { name }

        init(_ name: String, _ width: Double, _ height: Double, mm: Double, _ heightMM: Double) {
            self.name = name
            pixels = Size(width: width, height: height)
            self.mm = SizeMM(width: mm, height: heightMM)
        }
    }

    static let panels = [
        Panel("7\" 800x480", 800, 480, mm: 154, 86),
        Panel("7\" 800x480 upright", 480, 800, mm: 86, 154),
        Panel("smallest supported", 800, 480, mm: ScreenLayout.minimumSize.width, ScreenLayout.minimumSize.height),
        Panel("10.1\" 1024x600", 1024, 600, mm: 222, 125),
        Panel("10.1\" 1024x600 upright", 600, 1024, mm: 125, 222),
        Panel("10.1\" 1280x800", 1280, 800, mm: 217, 136),
        Panel("10.1\" 1280x800 upright", 800, 1280, mm: 136, 217),
        Panel("15.6\" 1920x1080", 1920, 1080, mm: 344, 194),
        Panel("15.6\" 1920x1080 upright", 1080, 1920, mm: 194, 344),
    ]

    static var renderer: Renderer { ScreenSnapshotTests.renderer }

    /// The x-height, in mm on the panel, of a text drawn in `font`.
    static func xHeight(_ font: Font, on panel: Panel) -> Double {
        renderer.xHeight(of: font) * panel.mm.height / panel.pixels.height
    }

    /// The text runs drawn inside each element of `kind`'s frame, per element.
    static func runs(
        of page: DisplayPage, in laidOut: LaidOutScreen, painter: ScreenPainter,
        where isKind: (LaidOutScreen.Kind) -> Bool
    ) -> [(LaidOutScreen.Element, [TextRun])] {
        let runs = page.items.compactMap { if case .text(let run) = $0 { run } else { nil } }
        return laidOut.elements.filter { isKind($0.kind) }.map { element in
            let frame = painter.pixels(element.frame)
            return (element, runs.filter { frame.contains(Point(x: $0.origin.x + 1, y: $0.origin.y - 1)) })
        }
    }

    static func isLine(_ kind: LaidOutScreen.Kind) -> Bool { if case .line = kind { true } else { false } }
    static func isTitle(_ kind: LaidOutScreen.Kind) -> Bool { if case .title = kind { true } else { false } }

    @Test(
        "every body line of every screen has an x-height of at least 3.5 mm, whole, under a larger title",
        arguments: panels)
    func bodyXHeight(panel: Panel) throws {
        let layout = try ScreenLayout(size: panel.mm)
        let painter = ScreenPainter(layout: layout, size: panel.pixels, measurer: Self.renderer)
        var measured = 0
        for (name, screen) in ScreenGallery.screens(pageSize: layout.choiceCapacity()) {
            let laidOut = layout.layout(screen)
            let page = painter.page(screen)
            let lines = Self.runs(of: page, in: laidOut, painter: painter, where: Self.isLine)
            let titles = Self.runs(of: page, in: laidOut, painter: painter, where: Self.isTitle).flatMap(\.1)
            for (element, runs) in lines {
                guard case .line(let line) = element.kind else { continue }
                #expect(!runs.isEmpty, "\(name): \"\(line)\" is not drawn")
                for run in runs {
                    let xHeight = Self.xHeight(run.font, on: panel)
                    #expect(
                        xHeight >= ScreenLayout.minimumXHeight - 0.005,
                        "\(name): \"\(run.text)\" has an x-height of \(xHeight) mm")
                    for title in titles {
                        #expect(title.font.size >= run.font.size, "\(name): the title \"\(title.text)\" is smaller")
                    }
                    measured += 1
                }
                // Wrapped into the rows the layout gave it, never cut: every character is on the screen (a letter
                // number wider than a 7-inch portrait panel is broken across rows).
                #expect(
                    runs.map(\.text).joined().filter { $0 != " " } == line.filter { $0 != " " },
                    "\(name): \"\(line)\" drawn as \(runs.map(\.text))")
            }
        }
        #expect(measured >= 60)
    }

    @Test("the body grows with the panel, from the floor on a 7-inch one")
    func bodyGrows() throws {
        let sizes = try Self.panels.map { panel in
            let painter = ScreenPainter(
                layout: try ScreenLayout(size: panel.mm), size: panel.pixels, measurer: Self.renderer)
            let idle = KioskScreens.idle(health: Health())
            let lines = Self.runs(
                of: painter.page(idle), in: painter.layout.layout(idle), painter: painter, where: Self.isLine)
            let run = try #require(lines.first?.1.first)
            return Self.xHeight(run.font, on: panel)
        }
        // The floor, give or take the pixel hinting rounds the x-height up to.
        #expect(sizes[0] < ScreenLayout.minimumXHeight + 0.2, "\(sizes)")
        #expect(sizes[3] > 4 && sizes[7] > sizes[3], "\(sizes)")
        #expect(sizes.allSatisfy { $0 <= 5.2 }, "\(sizes)")
    }

    @Test("a line too long for its rows at 3.5 mm is cut with an ellipsis, never set smaller, never off its box")
    func tooLongIsCut() throws {
        let panel = Self.panels[0]
        let layout = try ScreenLayout(size: panel.mm)
        let painter = ScreenPainter(layout: layout, size: panel.pixels, measurer: Self.renderer)
        let long = String(repeating: "Pengumuman panjang sekali ", count: 20)
        let screen = Screen(
            id: .readingCard, icon: .card, title: Teks.readingTitle, lines: [long, "Mohon tunggu."], prompt: "")
        let laidOut = layout.layout(screen)
        let lines = Self.runs(of: painter.page(screen), in: laidOut, painter: painter, where: Self.isLine)
        let (element, runs) = try #require(lines.first)
        #expect(runs.count == 3, "three rows at most: \(runs.map(\.text))")
        #expect(runs.last?.text.hasSuffix("…") == true)
        let frame = painter.pixels(element.frame)
        for run in runs {
            #expect(Self.xHeight(run.font, on: panel) >= ScreenLayout.minimumXHeight - 0.005)
            #expect(run.origin.x + Self.renderer.width(of: run.text, in: run.font) <= frame.maxX + 0.5)
        }
        // The short line keeps the screen's one size.
        #expect(lines[1].1.map(\.font) == [runs[0].font])
    }
}
