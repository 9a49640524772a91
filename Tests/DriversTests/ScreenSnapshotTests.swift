import Core
import Foundation
import Testing

@testable import Drivers

/// Every screen at the panel sizes kiosks use, drawn through the framebuffer path and compared with golden PNGs
/// in Fixtures/screens/ (`KIOSK_UPDATE_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests` rewrites them after
/// an intended change; look at them before committing).
@Suite("Screens: golden snapshots, contrast, text inside its frames")
struct ScreenSnapshotTests {
    struct Panel: CustomTestStringConvertible, Sendable {
        let name: String
        let pixels: (width: Int, height: Int)
        let mm: SizeMM
        let rotation: ScreenRotation
        let format: PixelFormat

        var testDescription: String { name }
    }

    static let panels = [
        Panel(
            name: "800x480", pixels: (800, 480), mm: SizeMM(width: 154, height: 86), rotation: .none, format: .rgb565),
        Panel(
            name: "1024x600", pixels: (1024, 600), mm: SizeMM(width: 222, height: 125), rotation: .none,
            format: .xrgb8888),
        Panel(
            name: "1280x800", pixels: (1280, 800), mm: SizeMM(width: 217, height: 136), rotation: .none,
            format: .xbgr8888),
        // A 1280x800 panel standing upright: drawn 800 x 1280, turned 90° onto the panel.
        Panel(
            name: "1280x800-rotated-90", pixels: (1280, 800), mm: SizeMM(width: 217, height: 136), rotation: .quarter,
            format: .xrgb8888),
    ]

    static let renderer = try! Renderer()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/screens"
    static var updating: Bool { ProcessInfo.processInfo.environment["KIOSK_UPDATE_SNAPSHOTS"] == "1" }

    @Test("every screen matches its golden PNG within a tolerance for font hinting", arguments: panels)
    func snapshots(panel: Panel) async throws {
        let framebuffer = try Framebuffer.virtual(
            width: panel.pixels.width, height: panel.pixels.height, format: panel.format)
        let drawnMM = panel.rotation.drawnSize(width: panel.mm.width, height: panel.mm.height)
        let size = SizeMM(width: drawnMM.width, height: drawnMM.height)
        let display = try FramebufferDriver(
            framebuffer: framebuffer, rotation: panel.rotation, fonts: Self.renderer.fonts)
        let painter = ScreenPainter(
            layout: try ScreenLayout(size: size), size: display.drawnSize, measurer: Self.renderer)
        // The diagnostics screen lists the panel's facts, in the words the kiosk's presenter gives them.
        let facts = Teks.panelFacts(
            device: framebuffer.device, width: framebuffer.width, height: framebuffer.height,
            format: "\(framebuffer.format)", stride: framebuffer.stride, size: size, rotation: panel.rotation.rawValue,
            panAndVsync: framebuffer.canPanAndWait, pages: framebuffer.flips ? 2 : 1)
        let folder = Self.fixtures + "/" + panel.name
        if Self.updating { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        for (name, screen) in ScreenGallery.screens(pageSize: painter.layout.choiceCapacity()) {
            try await display.present(
                screen.id == .diagnostics ? painter.page(screen, facts: facts) : painter.page(screen))
            let golden = folder + "/" + name + ".png"
            if Self.updating { try Data(try await display.png()).write(to: URL(fileURLWithPath: golden)) }
            let expected = try Self.decode(golden)
            // What the panel holds, read back through its own pixel format and turned back to the drawn orientation
            // (for the first screens; the rest compare what was drawn, which is quicker in a debug build).
            let shown =
                name < "04"
                ? Self.drawnPixels(of: framebuffer, rotation: panel.rotation)
                : await display.drawnImage()
            #expect(expected.width == shown.width && expected.height == shown.height, "\(name)")
            let different = shown.differences(from: expected, tolerance: panel.format.bytesPerPixel == 2 ? 24 : 8).count
            #expect(
                Double(different) / Double(shown.width * shown.height) < 0.003,
                "\(panel.name)/\(name): \(different) pixels differ from the golden PNG")
        }
    }

    /// A village board for the idle screen: figures, activities (one in Javanese script), an announcement.
    static func boardPanel(stale: Bool = false) -> BoardPanel {
        let today = CalendarDate(year: 2026, month: 12, day: 6)!
        let board = VillageBoard(
            year: 2026, asOf: CalendarDate(year: 2026, month: 11, day: 30)!,
            summary: [
                .init(title: "Pendapatan", budget: 1_234_567_890, realised: 563_000_000),
                .init(title: "Belanja", budget: 1_200_000_000, realised: 450_000_000),
            ],
            byBidang: [
                .init(title: "Bidang 1: Penyelenggaraan Pemerintahan Desa", budget: 300_000_000, realised: 150_000_000),
                .init(title: "Bidang 2: Pelaksanaan Pembangunan Desa", budget: 800_000_000, realised: 200_000_000),
                .init(title: "Bidang 3: Pembinaan Kemasyarakatan Desa", budget: 60_000_000, realised: 60_000_000),
            ],
            activities: [
                .init(title: "Rabat beton jalan Dusun II", bidang: 2, status: .ongoing, progress: 60),
                .init(title: "Posyandu Melati: alat timbang", bidang: 4, status: .done, progress: 100),
                .init(title: "ꦥꦁꦒꦺꦴꦭꦺꦏ꧀ꦲꦤ꧀ sumur bor", bidang: 2, status: .notStarted, progress: 0),
            ],
            announcements: [
                .init(
                    title: "Musyawarah Desa RKPDes 2027",
                    body: "Seluruh warga diundang ke balai desa, Sabtu 12 Desember 2026 pukul 09.00 WIB.",
                    validFrom: today.adding(days: -3), validUntil: today.adding(days: 6))
            ],
            complaints: "Kantor Desa Hanura, Jl. Raya Hanura No. 1")
        return BoardPanel(
            stored: StoredBoard(board: board, confirmedOn: stale ? today.adding(days: -20) : today), today: today)
    }

    /// The idle screen with each page of the board, and a stale board; each page opened in detail by a touch:
    /// (name, screen, phase, board).
    static var boardScreens: [(String, Screen, Int, BoardPanel)] {
        let idle = KioskScreens.idle(health: Health())
        let pages: [BoardPanel.Page] = [.realisation, .bidang, .activities, .announcements]
        return [
            ("idle-board-1-realisation", idle, 0, boardPanel()),
            ("idle-board-2-bidang", idle, BoardPanel.secondsPerPage, boardPanel()),
            ("idle-board-3-activities", idle, 2 * BoardPanel.secondsPerPage, boardPanel()),
            ("idle-board-4-announcements", idle, 3 * BoardPanel.secondsPerPage, boardPanel()),
            ("idle-board-stale", idle, 0, boardPanel(stale: true)),
        ]
            + pages.enumerated().map { index, page in
                ("board-detail-\(index + 1)-\(page.name)", KioskScreens.boardDetail(page), 0, boardPanel())
            } + [("board-detail-stale", KioskScreens.boardDetail(.realisation), 0, boardPanel(stale: true))]
    }

    @Test(
        "the idle screen with the village board matches its golden PNGs, the e-KTP prompt on every page",
        .serialized, arguments: panels)
    func boardSnapshots(panel: Panel) async throws {
        let framebuffer = try Framebuffer.virtual(
            width: panel.pixels.width, height: panel.pixels.height, format: panel.format)
        let drawnMM = panel.rotation.drawnSize(width: panel.mm.width, height: panel.mm.height)
        let layout = try ScreenLayout(size: SizeMM(width: drawnMM.width, height: drawnMM.height))
        let display = try FramebufferDriver(
            framebuffer: framebuffer, rotation: panel.rotation, fonts: Self.renderer.fonts)
        let painter = ScreenPainter(layout: layout, size: display.drawnSize, measurer: Self.renderer)
        let idle = KioskScreens.idle(health: Health())
        let folder = Self.fixtures + "/" + panel.name
        for (name, screen, phase, board) in Self.boardScreens {
            let page = painter.page(screen, phase: phase, board: board)
            // Joined by spaces: a body line wrapped over two rows reads on as one.
            let texts = page.texts.joined(separator: " ")
            if screen.id == .idle {
                // The idle screen's job first: its title and instructions are on every page of the board.
                for line in [Teks.idleTitle] + Teks.idleLines {
                    #expect(texts.contains(line), "\(name) lacks \(line)")
                }
            } else {
                // In detail: the page's heading and its way back, and the board's box clear of the Kembali button.
                #expect(texts.contains(Teks.Board.detailTitle) && texts.contains(Teks.back), "\(name)")
                #expect(texts.contains("2026") || texts.contains(Teks.Board.announcements), "\(name): no heading")
                let laidOut = layout.layout(screen)
                let box = layout.boardDetailArea(laidOut)
                #expect(laidOut.buttonFrames.allSatisfy { !$0.1.intersects(box) }, "\(name)")
                #expect(box.width >= layout.size.width - 6.5, "\(name): the page is not full width")
            }
            #expect(texts.contains("Data per 30 November 2026"), "\(name)")
            #expect(texts.contains("BELUM DIPERBARUI") == name.hasSuffix("stale"), "\(name): the stale label")
            // 7:1 for every text, inside the screen, none too small to read.
            for (index, item) in page.items.enumerated() {
                guard case .text(let run) = item else { continue }
                let behind = Self.fill(under: run.origin, in: page.items[..<index])
                #expect(Self.contrast(run.color, behind) >= 7, "\(name): \"\(run.text)\"")
                let width = Self.renderer.width(of: run.text, in: run.font)
                #expect(
                    run.origin.x >= 0 && run.origin.x + width <= display.drawnSize.width + 0.5
                        && run.origin.y <= display.drawnSize.height, "\(name): \"\(run.text)\" leaves the screen")
                #expect(run.font.size >= display.drawnSize.height / 60, "\(name): \"\(run.text)\" too small")
            }
            try await display.present(page)
            let golden = folder + "/" + name + ".png"
            if Self.updating { try Data(try await display.png()).write(to: URL(fileURLWithPath: golden)) }
            let expected = try Self.decode(golden)
            let shown = await display.drawnImage()
            let different = shown.differences(from: expected, tolerance: panel.format.bytesPerPixel == 2 ? 24 : 8).count
            #expect(
                Double(different) / Double(shown.width * shown.height) < 0.003,
                "\(panel.name)/\(name): \(different) pixels differ from the golden PNG")
        }
        // The pages turn with the idle animation's steps, and only there: the same step draws the same page.
        let first = painter.page(idle, phase: 0, board: Self.boardPanel()).texts
        let stillFirst = painter.page(idle, phase: BoardPanel.secondsPerPage - 1, board: Self.boardPanel()).texts
        let second = painter.page(idle, phase: BoardPanel.secondsPerPage, board: Self.boardPanel()).texts
        #expect(first == stillFirst && first != second)
    }

    /// Hostile board data as the kiosk keeps it (BoardStore trims the texts): 10,000 activities, the 5 MB
    /// announcement cut to `VillageBoard.maximumBody`, titles in Javanese script, a realisation of 250 % and a bidang
    /// with no budget. Every page, on idle and in detail, stays inside its box: a screenful of lines, never a list
    /// run off the panel, and the e-KTP prompt still on the idle screen.
    @Test("a hostile board draws every page inside its box, on idle and in detail", arguments: panels)
    func hostileBoard(panel: Panel) async throws {
        // Seconds of CPU in a debug build: off the concurrency pool, so the scripted sessions of other suites keep
        // their threads.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try Self.hostileBoard(panel: panel) }) }
        }
    }

    static func hostileBoard(panel: Panel) throws {
        let drawn = panel.rotation.drawnSize(width: Double(panel.pixels.width), height: Double(panel.pixels.height))
        let mm = panel.rotation.drawnSize(width: panel.mm.width, height: panel.mm.height)
        let layout = try ScreenLayout(size: SizeMM(width: mm.width, height: mm.height))
        let painter = ScreenPainter(layout: layout, size: drawn, measurer: Self.renderer)
        let today = CalendarDate(year: 2026, month: 12, day: 6)!
        let javanese = "ꦥꦁꦒꦺꦴꦭꦺꦏ꧀ꦲꦤ꧀ ꦢꦺꦱ"
        let board = VillageBoard(
            year: 2026, asOf: today,
            summary: [
                .init(title: javanese, budget: 1_000, realised: 2_500), .init(title: "Belanja", budget: 0, realised: 0),
            ],
            byBidang: [.init(title: String(repeating: "Bidang ", count: 100), budget: 0, realised: 7)],
            activities: (0..<10_000).map {
                .init(title: "\(javanese) \($0)", bidang: 2, status: $0 % 3 == 0 ? .done : .ongoing, progress: $0 % 101)
            },
            announcements: [
                .init(
                    title: javanese, body: String(repeating: "Pengumuman ", count: 500_000), validFrom: today,
                    validUntil: today)
            ],
            complaints: "Kantor Desa"
        ).trimmed()
        let panelBoard = BoardPanel(stored: StoredBoard(board: board, confirmedOn: today), today: today)
        #expect(panelBoard.pages == [.realisation, .bidang, .activities, .announcements])
        let idle = KioskScreens.idle(health: Health())
        for (index, page) in panelBoard.pages.enumerated() {
            for screen in [idle, KioskScreens.boardDetail(page)] {
                let laidOut = layout.layout(screen)
                let box = painter.pixels(
                    screen.id == .idle ? layout.idleAreas(laidOut).board : layout.boardDetailArea(laidOut))
                let items = try #require(
                    painter.boardItems(
                        screen, board: panelBoard, phase: index * BoardPanel.secondsPerPage, highlighted: nil))
                let runs = items.compactMap { if case .text(let run) = $0 { run } else { nil } }
                #expect(runs.count < 80, "\(page) on \(screen.id): \(runs.count) texts")
                for run in runs {
                    let width = Self.renderer.width(of: run.text, in: run.font)
                    #expect(
                        run.origin.x >= box.origin.x - 0.5 && run.origin.x + width <= box.maxX + 0.5
                            && run.origin.y > box.origin.y && run.origin.y <= box.maxY,
                        "\(page) on \(screen.id): \"\(run.text.prefix(30))\" leaves the board's box")
                }
                for case .fill(let bar, _) in items {
                    #expect(bar.maxX <= box.maxX + 0.5, "\(page) on \(screen.id): a bar of 250 % leaves the box")
                }
                if screen.id == .idle {
                    let texts = painter.page(screen, phase: index * BoardPanel.secondsPerPage, board: panelBoard).texts
                        .joined(separator: " ")
                    #expect(texts.contains(Teks.idleTitle) && texts.contains(Teks.idleLines[0]))
                }
            }
        }
    }

    @Test("every text is drawn in at least 7:1 contrast with the fill behind it", arguments: panels)
    func contrast(panel: Panel) throws {
        let drawn = panel.rotation.drawnSize(width: Double(panel.pixels.width), height: Double(panel.pixels.height))
        let mm = panel.rotation.drawnSize(width: panel.mm.width, height: panel.mm.height)
        let painter = ScreenPainter(
            layout: try ScreenLayout(size: SizeMM(width: mm.width, height: mm.height)), size: drawn,
            measurer: Self.renderer)
        for (name, screen) in ScreenGallery.screens(pageSize: painter.layout.choiceCapacity()) {
            // A pressed button has one colour pair whatever its role: the first button stands for all.
            for highlighted in [nil, screen.buttons.first?.id] {
                let items = painter.page(screen, highlighted: highlighted).items
                for (index, item) in items.enumerated() {
                    guard case .text(let run) = item else { continue }
                    let behind = Self.fill(under: run.origin, in: items[..<index])
                    #expect(
                        Self.contrast(run.color, behind) >= 7,
                        "\(name): \"\(run.text)\" at \(Self.contrast(run.color, behind)):1")
                }
            }
        }
    }

    @Test("every text fits inside the screen, and buttons' labels inside their buttons", arguments: panels)
    func textInside(panel: Panel) throws {
        let drawn = panel.rotation.drawnSize(width: Double(panel.pixels.width), height: Double(panel.pixels.height))
        let mm = panel.rotation.drawnSize(width: panel.mm.width, height: panel.mm.height)
        let layout = try ScreenLayout(size: SizeMM(width: mm.width, height: mm.height))
        let painter = ScreenPainter(layout: layout, size: drawn, measurer: Self.renderer)
        for (name, screen) in ScreenGallery.screens(pageSize: layout.choiceCapacity()) {
            let page = painter.page(screen)
            let buttons = layout.layout(screen).buttonFrames.map { painter.pixels($0.1) }
            for case .text(let run) in page.items {
                let width = Self.renderer.width(of: run.text, in: run.font)
                let box = Rect(
                    x: run.origin.x, y: run.origin.y - run.font.size * 0.72, width: width, height: run.font.size * 0.72)
                #expect(
                    box.origin.x >= 0 && box.maxX <= drawn.width + 0.5 && box.origin.y >= 0
                        && run.origin.y <= drawn.height, "\(name): \"\(run.text)\"")
                if let button = buttons.first(where: {
                    $0.contains(Point(x: box.origin.x + width / 2, y: run.origin.y))
                }) {
                    #expect(
                        box.origin.x >= button.origin.x && box.maxX <= button.maxX,
                        "\(name): \"\(run.text)\" leaves its button")
                }
                // Residents' screens only: the technician's diagnostics lines may be set smaller.
                #expect(
                    name.hasSuffix("diagnostics") || run.font.size >= drawn.height / 60,
                    "\(name): \"\(run.text)\" at \(run.font.size) px is too small to read")
            }
        }
    }

    // MARK: Helpers

    /// The colour of the last fill drawn under `point` before the text.
    static func fill(under point: Point, in items: ArraySlice<DisplayItem>) -> Color {
        for item in items.reversed() {
            switch item {
            case .fill(let rect, let color), .roundedRect(let rect, _, let color):
                if rect.contains(point) { return color }
            default: continue
            }
        }
        return .white
    }

    /// WCAG 2 contrast ratio.
    static func contrast(_ a: Color, _ b: Color) -> Double {
        func linear(_ c: Double) -> Double { c <= 0.039_28 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        func luminance(_ c: Color) -> Double {
            0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
        }
        let (x, y) = (luminance(a) + 0.05, luminance(b) + 0.05)
        return max(x, y) / min(x, y)
    }

    static func decode(_ path: String) throws -> RasterImage { try renderer.raster(png: path) }

    /// The framebuffer's pixels as XRGB words in the drawn orientation.
    static func drawnPixels(of framebuffer: Framebuffer, rotation: ScreenRotation) -> RasterImage {
        let drawn = rotation.drawnSize(width: Double(framebuffer.width), height: Double(framebuffer.height))
        let (width, height) = (Int(drawn.width), Int(drawn.height))
        var pixels = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let (px, py): (Int, Int) =
                    switch rotation {
                    case .none: (x, y)
                    case .quarter: (height - 1 - y, x)
                    case .half: (width - 1 - x, height - 1 - y)
                    case .threeQuarters: (y, width - 1 - x)
                    }
                let c = framebuffer.color(x: px, y: py)
                pixels[y * width + x] = 0xFF00_0000 | UInt32(c.red) << 16 | UInt32(c.green) << 8 | UInt32(c.blue)
            }
        }
        return RasterImage(width: width, height: height, wordsPerRow: width, pixels: pixels)
    }
}
