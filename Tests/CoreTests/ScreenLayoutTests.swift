import Testing

@testable import Core

@Suite("ScreenLayout")
struct ScreenLayoutTests {
    struct Panel: Sendable, CustomTestStringConvertible {
        let name: String
        let size: SizeMM
        var testDescription: String { "\(name) (\(size))" }
    }

    static let sevenInch = Panel(name: "7\"", size: SizeMM(width: 154, height: 86))
    static let tenInchWSVGA = Panel(name: "10.1\" 1024x600", size: SizeMM(width: 222, height: 125))
    static let tenInchWXGA = Panel(name: "10.1\" 1280x800", size: SizeMM(width: 217, height: 136))
    static let fifteenInch = Panel(name: "15.6\"", size: SizeMM(width: 344, height: 194))
    static let smallest = Panel(name: "minimum", size: ScreenLayout.minimumSize)
    /// A 1280x800 panel mounted upright on a stand (rotation 90).
    static let portrait = Panel(name: "10.1\" portrait", size: SizeMM(width: 136, height: 217))
    static let displays = [sevenInch, tenInchWSVGA, tenInchWXGA, fifteenInch, smallest, portrait]

    /// Every screen the kiosk can show on this display, menus paged to what it fits.
    static func screens(for layout: ScreenLayout) -> [Screen] {
        let capacity = layout.choiceCapacity()
        return Fixtures.everyKioskScreen(pageSize: capacity)
            + Fixtures.everyKioskScreen(pageSize: capacity, catalogue: Fixtures.catalogue)
            + Fixtures.fullSessionScreens(pageSize: capacity).screens
            + Fixtures.fullSessionScreens(pageSize: capacity, catalogue: Fixtures.catalogue).screens
    }

    static func laidOut(_ display: Panel) throws -> [(Screen, LaidOutScreen)] {
        let layout = try ScreenLayout(size: display.size)
        return screens(for: layout).map { ($0, layout.layout($0)) }
    }

    @Test("every button is at least 20 mm wide and tall", arguments: displays)
    func fingerSized(display: Panel) throws {
        for (screen, laid) in try Self.laidOut(display) {
            for (id, frame) in laid.buttonFrames {
                #expect(frame.width >= ScreenLayout.minimumTarget, "\(screen.id) \(id): \(frame.width) mm wide")
                #expect(frame.height >= ScreenLayout.minimumTarget, "\(screen.id) \(id): \(frame.height) mm tall")
            }
        }
    }

    @Test("every element lies inside the display", arguments: displays)
    func insideDisplay(display: Panel) throws {
        for (screen, laid) in try Self.laidOut(display) {
            for element in laid.elements {
                let f = element.frame
                #expect(
                    f.x >= 0 && f.y >= 0 && f.maxX <= display.size.width + 1e-9 && f.maxY <= display.size.height + 1e-9,
                    "\(screen.id) \(element.kind) at \(f)")
            }
        }
    }

    @Test("no two buttons overlap", arguments: displays)
    func noOverlap(display: Panel) throws {
        for (screen, laid) in try Self.laidOut(display) {
            let frames = laid.buttonFrames
            for i in frames.indices {
                for j in frames.indices where j > i {
                    #expect(!frames[i].1.intersects(frames[j].1), "\(screen.id): \(frames[i].0) and \(frames[j].0)")
                }
            }
        }
    }

    @Test("every button of a screen is laid out, once", arguments: displays)
    func nothingLost(display: Panel) throws {
        for (screen, laid) in try Self.laidOut(display) {
            let laidIDs = laid.buttonFrames.map(\.0)
            #expect(laidIDs.count == screen.buttons.count, "\(screen.id)")
            #expect(Set(laidIDs) == Set(screen.buttons.map(\.id)), "\(screen.id)")
            #expect(laid.size == display.size)
        }
    }

    @Test("titles, lines, PIN dots and progress never run under a button", arguments: displays)
    func textClearOfButtons(display: Panel) throws {
        for (screen, laid) in try Self.laidOut(display) {
            let buttons = laid.buttonFrames
            for element in laid.elements {
                if case .button = element.kind { continue }
                for (id, frame) in buttons {
                    #expect(!element.frame.intersects(frame), "\(screen.id): \(element.kind) runs under \(id)")
                }
            }
        }
    }

    @Test("a touch at a button's centre hits that button", arguments: displays)
    func hitCentres(display: Panel) throws {
        for (screen, laid) in try Self.laidOut(display) {
            for (id, frame) in laid.buttonFrames {
                let centre = PointMM(x: frame.x + frame.width / 2, y: frame.y + frame.height / 2)
                #expect(laid.hitTest(centre) == id, "\(screen.id) \(id)")
            }
        }
    }

    @Test("a touch in the margin or off the display hits nothing", arguments: displays)
    func hitMargins(display: Panel) throws {
        let w = display.size.width
        let h = display.size.height
        let points = [
            PointMM(x: 1, y: 1), PointMM(x: w - 1, y: 1), PointMM(x: 1, y: h - 1), PointMM(x: w - 1, y: h - 1),
            PointMM(x: w / 2, y: h - 1), PointMM(x: w - 1, y: h / 2), PointMM(x: -5, y: h / 2),
            PointMM(x: w / 2, y: h + 5),
        ]
        for (screen, laid) in try Self.laidOut(display) {
            for point in points {
                #expect(laid.hitTest(point) == nil, "\(screen.id) at \(point)")
            }
        }
    }

    @Test("a touch in the gap between two action buttons hits nothing", arguments: displays)
    func hitGap(display: Panel) throws {
        let layout = try ScreenLayout(size: display.size)
        let laid = layout.layout(
            KioskScreens.confirm(letter: Fixtures.domicile, resident: Fixtures.woman, purpose: "Lainnya"))
        let frames = laid.buttonFrames.map(\.1)
        #expect(frames.count == 3)
        let gap = PointMM(x: (frames[0].maxX + frames[1].x) / 2, y: frames[0].y + frames[0].height / 2)
        #expect(frames[0].maxX < frames[1].x)
        #expect(laid.hitTest(gap) == nil)
        #expect(
            layout.layout(KioskScreens.idle(health: Health())).hitTest(
                PointMM(x: display.size.width / 2, y: display.size.height / 2)) == nil)
    }

    @Test("menus paged to choiceCapacity keep every choice above the action bar", arguments: displays)
    func menusFit(display: Panel) throws {
        let layout = try ScreenLayout(size: display.size)
        var checked = 0
        for screen in Self.screens(for: layout) where !screen.choices.isEmpty {
            let laid = layout.layout(screen)
            let choiceIDs = Set(screen.choices.map(\.id))
            let actionIDs = Set(screen.actions.map(\.id))
            let choices = laid.buttonFrames.filter { choiceIDs.contains($0.0) }.map(\.1)
            let barTop = laid.buttonFrames.filter { actionIDs.contains($0.0) }.map(\.1.y).min() ?? display.size.height
            #expect(choices.count == screen.choices.count)
            // Maintenance has its three actions and the survey its four faces in one row, whatever the capacity.
            #expect(
                screen.choices.count <= layout.choiceCapacity() || screen.id == .maintenance || screen.id == .survey)
            for frame in choices {
                #expect(
                    frame.maxY <= barTop, "\(screen.id): a choice reaches \(frame.maxY), the bar starts at \(barTop)")
            }
            checked += 1
        }
        #expect(checked >= 4)
    }

    @Test("a full menu page uses the capacity: rows of up to three columns")
    func capacityIsUsed() throws {
        for display in Self.displays {
            let layout = try ScreenLayout(size: display.size)
            let capacity = layout.choiceCapacity()
            let letters = Array(LetterCatalogue.openSIDSelfService.selfService.prefix(capacity))
            let laid = layout.layout(
                KioskScreens.menu(letters: letters, page: 0, pages: 5, residentName: "SITI AMINAH"))
            let xs = Set(laid.buttonFrames.filter { if case .letter = $0.0 { true } else { false } }.map(\.1.x))
            #expect((1...3).contains(xs.count), "\(display.name)")
            #expect(capacity % xs.count == 0, "\(display.name)")
        }
    }

    @Test("choiceCapacity is at least 2 on a 7-inch display and grows with the display")
    func capacityGrows() throws {
        let capacities = try Self.displays.map { try ScreenLayout(size: $0.size).choiceCapacity() }
        let seven = try ScreenLayout(size: Self.sevenInch.size).choiceCapacity()
        let ten = try ScreenLayout(size: Self.tenInchWSVGA.size).choiceCapacity()
        let tenHigh = try ScreenLayout(size: Self.tenInchWXGA.size).choiceCapacity()
        let fifteen = try ScreenLayout(size: Self.fifteenInch.size).choiceCapacity()
        #expect(seven >= 2)
        #expect(ten > seven)
        #expect(tenHigh >= ten)
        #expect(fifteen > tenHigh)
        #expect(capacities.allSatisfy { $0 >= 2 })
    }

    @Test("more lines of text leave room for no more choices")
    func capacityShrinksWithLines() throws {
        for display in Self.displays {
            let layout = try ScreenLayout(size: display.size)
            let counts = (0...8).map { layout.choiceCapacity(lines: $0) }
            #expect(counts == counts.sorted(by: >), "\(display.name): \(counts)")
            #expect(layout.choiceCapacity(lines: 40) == 0)
        }
    }

    @Test("the PIN pad keys are at least 20 mm square and all twelve are there", arguments: displays)
    func pinPad(display: Panel) throws {
        let laid = try ScreenLayout(size: display.size).layout(KioskScreens.pinEntry(entered: 2, length: 6))
        let keys = laid.buttonFrames.filter { id, _ in
            switch id {
            case .pinDigit, .pinDelete, .pinSubmit: true
            default: false
            }
        }
        #expect(keys.count == 12)
        #expect(Set(keys.map(\.0)) == Set((0...9).map { ButtonID.pinDigit($0) } + [.pinDelete, .pinSubmit]))
        for (_, frame) in keys { #expect(frame.width >= 20 && frame.height >= 20 && frame.width == frame.height) }
        #expect(laid.elements.contains { $0.kind == .pinDots(entered: 2, length: 6) })
    }

    @Test("the layout carries the title, the lines and the progress")
    func textElements() throws {
        let laid = try ScreenLayout(size: Self.tenInchWSVGA.size).layout(
            KioskScreens.printing(progress: 42, number: Fixtures.number))
        #expect(laid.elements.contains { $0.kind == .title(Teks.printingTitle) })
        #expect(laid.elements.contains { $0.kind == .line("Nomor: S-41/007/1809072001/XI/2026") })
        #expect(laid.elements.contains { $0.kind == .progress(42) })
        #expect(laid.elements.contains { $0.kind == .icon(.printer) })
        #expect(laid.buttonFrames.isEmpty)
    }

    @Test(
        "a display too small for 20 mm targets is refused, naming the setting to check",
        arguments: [SizeMM(width: 100, height: 60), SizeMM(width: 149.9, height: 100), SizeMM(width: 300, height: 84)])
    func tooSmall(size: SizeMM) {
        #expect(throws: LayoutError.displayTooSmall(size)) { try ScreenLayout(size: size) }
        let message = LayoutError.displayTooSmall(size).description
        #expect(message.contains("display.width_mm"))
        #expect(message.contains("\(size)"))
    }

    @Test("the too-small message for 100 x 60 mm")
    func tooSmallMessage() {
        do {
            _ = try ScreenLayout(size: SizeMM(width: 100, height: 60))
            Issue.record("100 x 60 mm was accepted")
        } catch {
            #expect(error == .displayTooSmall(SizeMM(width: 100, height: 60)))
            #expect(error.description.hasPrefix("a display of 100 x 60 mm is too small"))
            #expect(error.description.contains("150 x 85 mm"))
        }
    }

    @Test("screen ids have short stable names for logs and scripts")
    func screenNames() {
        #expect(ScreenID.idle.description == "idle")
        #expect(ScreenID.pinEntry.description == "pin")
        #expect(ScreenID.error(.printer(.paperOut)).description == "error-printer-paper-out")
        #expect(ScreenID.error(.unknownCard).description == "error-unknown-card")
        let names = Fixtures.allErrors.map { ScreenID.error($0).description }
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" } })
    }

    @Test("rectangles: edges that touch do not intersect; containment is half-open")
    func rectangles() {
        let a = RectMM(x: 0, y: 0, width: 10, height: 10)
        #expect(!a.intersects(RectMM(x: 10, y: 0, width: 5, height: 5)))
        #expect(a.intersects(RectMM(x: 9.9, y: 9.9, width: 5, height: 5)))
        #expect(a.contains(PointMM(x: 0, y: 0)))
        #expect(!a.contains(PointMM(x: 10, y: 5)))
        #expect(a.maxX == 10 && a.maxY == 10)
        #expect(SizeMM(width: 154.4, height: 85.6).description == "154 x 86 mm")
    }
}
