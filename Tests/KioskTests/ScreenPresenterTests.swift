import Core
import Foundation
import Testing

@testable import Drivers
@testable import KioskKit

/// The screen presenter on the framebuffer driver: partial updates of what changed, the highlight, the animation,
/// wiping a resident's data, page flipping, the diagnostics overlay and hit-testing through the rotation.
@Suite("ScreenPresenter on the framebuffer: partial updates, wiping, flipping, diagnostics, touch")
struct ScreenPresenterTests {
    static let renderer = try! Renderer()

    /// A presenter on `framebuffer` through its driver, for a 222 x 125 mm panel turned by `rotation`.
    static func presenter(_ framebuffer: Framebuffer, rotation: ScreenRotation = .none, size: SizeMM? = nil) throws
        -> ScreenPresenter
    {
        let drawn = rotation.drawnSize(width: 222, height: 125)
        return try ScreenPresenter(
            driver: try FramebufferDriver(framebuffer: framebuffer, rotation: rotation, fonts: renderer.fonts),
            size: size ?? SizeMM(width: drawn.width, height: drawn.height), renderer: renderer)
    }

    @Test("a pressed button, a countdown step and an animation step redraw only a small area")
    func partialUpdates() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600)
        let display = try Self.presenter(framebuffer)
        let screenArea = 1024 * 600
        let confirm = KioskScreens.confirm(
            letter: LetterCatalogue.openSIDSelfService.selfService[0], resident: ScreenGallery.sample,
            purpose: "Lainnya")
        await display.show(confirm)
        #expect(await display.redraw().isEmpty, "nothing changed, nothing drawn")

        await display.highlight(.confirm)
        // The same screen shown again (health unchanged) keeps the finger's highlight.
        await display.show(confirm)
        #expect(await display.highlighted == .confirm)

        await display.show(KioskScreens.timeoutWarning(secondsLeft: 14))
        let countdown = try await Self.changes(framebuffer) {
            await display.show(KioskScreens.timeoutWarning(secondsLeft: 13))
        }
        #expect(countdown > 0 && countdown < screenArea / 20, "countdown step redrew \(countdown) pixels")

        await display.show(KioskScreens.idle(health: Health()))
        let wave = try await Self.changes(framebuffer) { await display.advanceAnimation() }
        #expect(wave > 0 && wave < screenArea / 20, "idle animation step redrew \(wave) pixels")

        await display.show(KioskScreens.printing(progress: 30, number: nil))
        let spin = try await Self.changes(framebuffer) { await display.advanceAnimation() }
        #expect(spin > 0 && spin < screenArea / 50, "spinner step redrew \(spin) pixels")

        await display.show(confirm)
        let press = try await Self.changes(framebuffer) { await display.highlight(.confirm) }
        #expect(press > 0 && press < screenArea / 10, "pressing Cetak redrew \(press) pixels")
    }

    @Test(
        "the board beside the idle text: a wave step and a page turn redraw only their own area, a card replaces it all"
    )
    func boardOnIdle() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600)
        let display = try Self.presenter(framebuffer)
        let today = CalendarDate(year: 2026, month: 12, day: 6)!
        let board = VillageBoard(
            year: 2026, asOf: today,
            summary: [.init(title: "Pendapatan", budget: 1_000_000, realised: 456_000)],
            byBidang: [.init(title: "Bidang 2: Pelaksanaan Pembangunan Desa", budget: 800_000, realised: 200_000)],
            activities: [.init(title: "Rabat beton", status: .ongoing, progress: 60)], complaints: "Kantor Desa")
        let panel = BoardPanel(stored: StoredBoard(board: board, confirmedOn: today), today: today)
        await display.showBoard { panel }
        await display.show(KioskScreens.idle(health: Health()))
        let screenArea = 1024 * 600
        let wave = try await Self.changes(framebuffer) { await display.advanceAnimation() }
        #expect(wave > 0 && wave < screenArea / 20, "a wave step redrew \(wave) pixels")
        // Turning the page: the board's box changes, the idle title and instructions above it do not move.
        func band() -> [UInt32] { (0..<160).flatMap { y in (0..<1024).map { framebuffer.pixel(x: $0, y: y) } } }
        let top = band()
        for _ in 2..<BoardPanel.secondsPerPage { await display.advanceAnimation() }
        let turn = try await Self.changes(framebuffer) { await display.advanceAnimation() }
        #expect(turn > screenArea / 100 && turn < screenArea / 2, "a page turn redrew \(turn) pixels")
        #expect(band() == top, "the idle text moved when the board turned its page")
        // A card on the reader: the next screen is drawn whole at once, with no trace of the board.
        let reading = KioskScreens.readingCard()
        await display.show(reading)
        let fresh = try Framebuffer.virtual(width: 1024, height: 600)
        let clean = try Self.presenter(fresh)
        await clean.show(reading)
        #expect(memcmp(framebuffer.base, fresh.base, framebuffer.stride * framebuffer.height) == 0)
    }

    @Test("a touch on the idle screen's board opens the page it shows; the title and the other screens do not")
    func touchingTheBoard() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600)
        let display = try Self.presenter(framebuffer)
        let today = CalendarDate(year: 2026, month: 12, day: 6)!
        let board = VillageBoard(
            year: 2026, asOf: today, summary: [.init(title: "Pendapatan", budget: 1_000_000, realised: 456_000)],
            byBidang: [.init(title: "Bidang 2", budget: 800_000, realised: 200_000)], complaints: "Kantor Desa")
        let panel = BoardPanel(stored: StoredBoard(board: board, confirmedOn: today), today: today)
        let idle = KioskScreens.idle(health: Health())
        await display.show(idle)
        // No board yet: the idle screen has nothing to touch.
        #expect(await display.target(at: PanelPoint(x: 0.7, y: 0.7)) == nil)
        await display.showBoard { panel }
        let layout = try ScreenLayout(size: SizeMM(width: 222, height: 125))
        let box = layout.idleAreas(layout.layout(idle)).board
        let centre = PanelPoint(x: (box.x + box.width / 2) / 222, y: (box.y + box.height / 2) / 125)
        #expect(await display.target(at: centre) == .boardPage(.realisation))
        #expect(await display.target(at: PanelPoint(x: 0.1, y: 0.9)) == nil, "the card illustration opens nothing")
        #expect(await display.target(at: PanelPoint(x: 0.5, y: 0.05)) == nil, "the title opens nothing")
        // A finger on the board marks it, as a button.
        let press = try await Self.changes(framebuffer) { await display.highlight(.boardPage(.realisation)) }
        #expect(press > 0)
        await display.highlight(nil)
        for _ in 0..<BoardPanel.secondsPerPage { await display.advanceAnimation() }
        #expect(await display.target(at: centre) == .boardPage(.bidang), "the page shown at the touch")
        // The page opened in detail: the board is drawn under its title; Kembali is its one button.
        await display.show(KioskScreens.boardDetail(.bidang))
        #expect(await display.target(at: centre) == nil)
        let back = try #require(layout.layout(KioskScreens.boardDetail(.bidang)).buttonFrames.first)
        #expect(back.0 == .back)
        // Not on a screen without the board.
        await display.show(KioskScreens.readingCard())
        #expect(await display.target(at: centre) == nil)
    }

    /// Pixels of the panel that differ after `change`.
    static func changes(_ framebuffer: Framebuffer, _ change: () async -> Void) async throws -> Int {
        func pixels() -> [UInt32] {
            (0..<framebuffer.height).flatMap { y in (0..<framebuffer.width).map { framebuffer.pixel(x: $0, y: y) } }
        }
        let before = pixels()
        await change()
        return zip(before, pixels()).count { $0 != $1 }
    }

    @Test("a screen prepared off screen at start puts nothing on the panel, and the first frame is drawn in full")
    func preparedFirstFrame() async throws {
        let prepared = try Framebuffer.virtual(width: 1024, height: 600)
        let plain = try Framebuffer.virtual(width: 1024, height: 600)
        let display = try Self.presenter(prepared)
        let untouched = Array(UnsafeRawBufferPointer(start: prepared.base, count: prepared.stride * prepared.height))
        await display.prepare(KioskScreens.idle(health: Health()))
        #expect(
            memcmp(prepared.base, untouched, untouched.count) == 0, "preparing drew nothing onto the panel")
        // The same screen as prepared: a driver that believed the panel held it would copy nothing.
        await display.show(KioskScreens.idle(health: Health()))
        await (try Self.presenter(plain)).show(KioskScreens.idle(health: Health()))
        #expect(memcmp(prepared.base, plain.base, plain.stride * plain.height) == 0)
    }

    @Test("after a session the panel holds exactly a fresh idle screen: no trace of the resident's data")
    func wipe() async throws {
        let used = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565)
        let fresh = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565)
        let session = try Self.presenter(used, size: SizeMM(width: 154, height: 86))
        let clean = try Self.presenter(fresh, size: SizeMM(width: 154, height: 86))
        for (_, screen) in ScreenGallery.screens() { await session.show(screen) }
        await session.show(KioskScreens.idle(health: Health()))
        await clean.show(KioskScreens.idle(health: Health()))
        #expect(memcmp(used.base, fresh.base, used.stride * used.height) == 0)
    }

    @Test("with two pages every frame is shown whole, and after a session neither page keeps the resident's data")
    func flipping() async throws {
        let paged = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565, pages: 2)
        let single = try Framebuffer.virtual(width: 800, height: 480, format: .rgb565)
        let flipping = try Self.presenter(paged, size: SizeMM(width: 154, height: 86))
        let reference = try Self.presenter(single, size: SizeMM(width: 154, height: 86))
        let confirm = KioskScreens.confirm(
            letter: LetterCatalogue.openSIDSelfService.selfService[0], resident: ScreenGallery.sample,
            purpose: "Lainnya")
        // Full frames and partial ones, alternating, so the hidden page must catch up on what it missed.
        let steps: [@Sendable (ScreenPresenter) async -> Void] = [
            { await $0.show(confirm) }, { await $0.highlight(.confirm) }, { await $0.highlight(nil) },
            { await $0.show(KioskScreens.timeoutWarning(secondsLeft: 14)) },
            { await $0.show(KioskScreens.timeoutWarning(secondsLeft: 13)) },
            { await $0.show(KioskScreens.timeoutWarning(secondsLeft: 12)) },
            { await $0.show(KioskScreens.printing(progress: 30, number: nil)) }, { await $0.advanceAnimation() },
            { await $0.advanceAnimation() }, { await $0.show(KioskScreens.printing(progress: 60, number: nil)) },
        ]
        let bytes = paged.stride * paged.height
        for (index, step) in steps.enumerated() {
            let before = paged.shown
            await step(flipping)
            await step(reference)
            #expect(paged.shown != before, "step \(index) was not flipped in")
            #expect(
                memcmp(paged.pages[paged.shown], single.pages[0], bytes) == 0, "step \(index) shows another picture")
        }
        #expect(paged.flips)

        // Through the port, as the runtime does it.
        let port: any Display = flipping
        await port.sessionCleared()
        await port.show(KioskScreens.idle(health: Health()))
        await reference.show(KioskScreens.idle(health: Health()))
        #expect(memcmp(paged.pages[0], single.pages[0], bytes) == 0)
        #expect(memcmp(paged.pages[1], single.pages[0], bytes) == 0)
    }

    @Test("the diagnostics screen lists the framebuffer's facts, shows colour bars and a crosshair at the touch")
    func diagnostics() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600, format: .bgr565)
        let display = try Self.presenter(framebuffer)
        await display.show(KioskScreens.diagnostics())
        let facts = await display.panelFacts
        #expect(facts[0].contains("1024x600") && facts[0].contains("BGR565"))
        // The first bar is red on the panel, through its BGR565 format (under two lines of 4 mm body text).
        let redBar = (x: 60, y: 255)
        #expect(
            framebuffer.color(x: redBar.x, y: redBar.y) == (255, 0, 0), "\(framebuffer.color(x: redBar.x, y: redBar.y))"
        )
        let before = framebuffer.color(x: 700, y: 520)
        _ = await display.target(at: PanelPoint(x: 700.0 / 1024, y: 520.0 / 600))
        let mark = framebuffer.color(x: 700, y: 520)
        #expect(mark != before && mark.red > 0x80 && mark.green < 0x40, "a red crosshair where the finger landed")
    }

    @Test("a touch is hit-tested through the rotation and the panel's millimetres")
    func touch() async throws {
        let display = try Self.presenter(try Framebuffer.virtual(width: 1024, height: 600), rotation: .half)
        await display.show(KioskScreens.done(draft: false))
        // Selesai spans the bottom of the drawn screen; turned 180°, that is the top of the panel.
        #expect(await display.target(at: PanelPoint(x: 0.5, y: 0.05)) == .finish)
        #expect(await display.target(at: PanelPoint(x: 0.5, y: 0.95)) == nil)
    }
}
