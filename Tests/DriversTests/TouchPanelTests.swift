import CLinuxIO
import Core
import Foundation
import Testing

@testable import Drivers

@Suite("TouchPanel: evdev frames into one finger's contacts")
struct TouchPanelTests {
    static let range = AxisRange(minimum: 0, maximum: 4095)

    static func panel(_ touchProtocol: TouchPanel.TouchProtocol) -> TouchPanel {
        TouchPanel(touchProtocol: touchProtocol, xRange: range, yRange: range)
    }

    static func contacts(_ panel: TouchPanel, _ events: [InputEvent]) -> [TouchContact] {
        var panel = panel
        return events.flatMap { panel.handle($0) }
    }

    static func point(_ x: Int32, _ y: Int32) -> PanelPoint {
        TouchCalibration.identity.point(x: x, y: y, xRange: range, yRange: range)
    }

    @Test func theSharedTapAtTheCentreIsOneDownAndOneUpAtTheCentre() throws {
        let text = try String(contentsOfFile: Evemu.fixtures + "/tap-centre.events", encoding: .utf8)
        let contacts = Self.contacts(Self.panel(.multiTouchB), try Evemu.parse(text))
        let centre = Self.point(2048, 2048)
        #expect(
            contacts == [
                TouchContact(.down, centre, at: .milliseconds(500)), TouchContact(.up, centre, at: .milliseconds(580)),
            ])
        #expect(abs(centre.x - 0.5) < 0.001)
    }

    @Test func singleTouchFollowsBTNTouchAndReportsMoves() {
        var script = EventScript()
        script.frame(at: 10, (EV_ABS, ABS_X, 1000), (EV_ABS, ABS_Y, 500), (EV_KEY, BTN_TOUCH, 1))
        script.frame(at: 20, (EV_ABS, ABS_X, 1100))
        script.frame(at: 30)  // nothing changed: no contact
        script.frame(at: 40, (EV_KEY, BTN_TOUCH, 0))
        #expect(
            Self.contacts(Self.panel(.singleTouch), script.events) == [
                TouchContact(.down, Self.point(1000, 500), at: .milliseconds(10)),
                TouchContact(.move, Self.point(1100, 500), at: .milliseconds(20)),
                TouchContact(.up, Self.point(1100, 500), at: .milliseconds(40)),
            ])
    }

    /// A USB panel that presents itself as an absolute mouse (QEMU's usb-tablet, many resistive panels): its left
    /// button is the finger. A single-touch panel's BTN_LEFT (a stylus button) is not.
    @Test func anAbsolutePointerFollowsItsLeftButton() {
        var script = EventScript()
        script.frame(at: 10, (EV_ABS, ABS_X, 1000), (EV_ABS, ABS_Y, 500), (EV_KEY, BTN_LEFT, 1))
        script.frame(at: 20, (EV_ABS, ABS_X, 1100))
        script.frame(at: 40, (EV_KEY, BTN_LEFT, 0))
        #expect(
            Self.contacts(Self.panel(.absolutePointer), script.events) == [
                TouchContact(.down, Self.point(1000, 500), at: .milliseconds(10)),
                TouchContact(.move, Self.point(1100, 500), at: .milliseconds(20)),
                TouchContact(.up, Self.point(1100, 500), at: .milliseconds(40)),
            ])
        #expect(Self.contacts(Self.panel(.singleTouch), script.events).isEmpty)
    }

    @Test func theProtocolFollowsTheAxesAndKeysTheDeviceHas() {
        let plain: Set<UInt16> = [UInt16(ABS_X), UInt16(ABS_Y)]
        let touch: Set<UInt16> = [UInt16(BTN_TOUCH)]
        let left: Set<UInt16> = [UInt16(BTN_LEFT), UInt16(BTN_RIGHT), UInt16(BTN_MIDDLE)]
        #expect(TouchPanel.TouchProtocol(absoluteAxes: plain, keys: touch) == .singleTouch)
        #expect(TouchPanel.TouchProtocol(absoluteAxes: plain, keys: left) == .absolutePointer)
        #expect(TouchPanel.TouchProtocol(absoluteAxes: plain, keys: touch.union(left)) == .singleTouch)
        let multi = plain.union([UInt16(ABS_MT_POSITION_X), UInt16(ABS_MT_POSITION_Y)])
        #expect(TouchPanel.TouchProtocol(absoluteAxes: multi, keys: touch) == .multiTouchA)
        #expect(TouchPanel.TouchProtocol(absoluteAxes: multi.union([UInt16(ABS_MT_SLOT)]), keys: touch) == .multiTouchB)
    }

    @Test func protocolBFollowsTheFirstFingerOnly() {
        var script = EventScript()
        script.frame(
            at: 10, (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, 7), (EV_ABS, ABS_MT_POSITION_X, 400),
            (EV_ABS, ABS_MT_POSITION_Y, 400))
        // A second finger in slot 1, moving; the first moves a little too.
        script.frame(
            at: 20, (EV_ABS, ABS_MT_SLOT, 1), (EV_ABS, ABS_MT_TRACKING_ID, 8), (EV_ABS, ABS_MT_POSITION_X, 3000),
            (EV_ABS, ABS_MT_POSITION_Y, 3000), (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_POSITION_X, 410))
        script.frame(at: 30, (EV_ABS, ABS_MT_SLOT, 1), (EV_ABS, ABS_MT_POSITION_X, 3500))
        // The first lifts; the second stays down and moves: it never becomes the followed finger.
        script.frame(at: 40, (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, -1))
        script.frame(at: 50, (EV_ABS, ABS_MT_SLOT, 1), (EV_ABS, ABS_MT_POSITION_X, 3600))
        script.frame(at: 60, (EV_ABS, ABS_MT_TRACKING_ID, -1))
        // A new finger later is followed again.
        script.frame(
            at: 90, (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, 9), (EV_ABS, ABS_MT_POSITION_X, 2000),
            (EV_ABS, ABS_MT_POSITION_Y, 1000))
        #expect(
            Self.contacts(Self.panel(.multiTouchB), script.events) == [
                TouchContact(.down, Self.point(400, 400), at: .milliseconds(10)),
                TouchContact(.move, Self.point(410, 400), at: .milliseconds(20)),
                TouchContact(.up, Self.point(410, 400), at: .milliseconds(40)),
                TouchContact(.down, Self.point(2000, 1000), at: .milliseconds(90)),
            ])
    }

    @Test func protocolASynthesisesTheReleaseAndFollowsTheFirstContactOfEachFrame() {
        var script = EventScript()
        script.event(at: 10, EV_ABS, ABS_MT_POSITION_X, 800)
        script.event(at: 10, EV_ABS, ABS_MT_POSITION_Y, 900)
        script.event(at: 10, EV_SYN, SYN_MT_REPORT, 0)
        script.event(at: 10, EV_ABS, ABS_MT_POSITION_X, 3000)  // a second finger
        script.event(at: 10, EV_ABS, ABS_MT_POSITION_Y, 3000)
        script.event(at: 10, EV_SYN, SYN_MT_REPORT, 0)
        script.frame(at: 10)
        script.event(at: 20, EV_ABS, ABS_MT_POSITION_X, 820)
        script.event(at: 20, EV_ABS, ABS_MT_POSITION_Y, 900)
        script.event(at: 20, EV_SYN, SYN_MT_REPORT, 0)
        script.frame(at: 20)
        // No contact in the frame: the finger lifted (protocol A has no release event).
        script.event(at: 30, EV_SYN, SYN_MT_REPORT, 0)
        script.frame(at: 30)
        #expect(
            Self.contacts(Self.panel(.multiTouchA), script.events) == [
                TouchContact(.down, Self.point(800, 900), at: .milliseconds(10)),
                TouchContact(.move, Self.point(820, 900), at: .milliseconds(20)),
                TouchContact(.up, Self.point(820, 900), at: .milliseconds(30)),
            ])
    }

    @Test func droppedEventsCancelTheContactUntilTheFingerLifts() {
        var script = EventScript()
        script.frame(at: 10, (EV_ABS, ABS_X, 1000), (EV_ABS, ABS_Y, 500), (EV_KEY, BTN_TOUCH, 1))
        script.event(at: 20, EV_SYN, SYN_DROPPED, 0)
        script.event(at: 20, EV_ABS, ABS_X, 3000)  // lost in the drop: ignored up to the next SYN_REPORT
        script.frame(at: 20)
        script.frame(at: 30, (EV_ABS, ABS_X, 1200))  // the same finger still down: not a new touch
        script.frame(at: 40, (EV_KEY, BTN_TOUCH, 0))
        script.frame(at: 90, (EV_KEY, BTN_TOUCH, 1))
        let contacts = Self.contacts(Self.panel(.singleTouch), script.events)
        #expect(
            contacts == [
                TouchContact(.down, Self.point(1000, 500), at: .milliseconds(10)),
                TouchContact(.cancelled, Self.point(1000, 500), at: .milliseconds(20)),
                TouchContact(.down, Self.point(1200, 500), at: .milliseconds(90)),
            ])
    }

    @Test func theCalibrationIsApplied() {
        var script = EventScript()
        script.frame(at: 10, (EV_ABS, ABS_X, 0), (EV_ABS, ABS_Y, 4095), (EV_KEY, BTN_TOUCH, 1))
        let panel = TouchPanel(
            touchProtocol: .singleTouch, xRange: Self.range, yRange: Self.range,
            calibration: TouchCalibration(swapXY: false, invertX: true, invertY: true))
        #expect(Self.contacts(panel, script.events).map(\.point) == [PanelPoint(x: 1, y: 0)])
    }

    @Test func touchPanelsAreTheDevicesWithAbsoluteXAndY() {
        #expect(TouchPanel.isTouchPanel(absoluteAxes: [UInt16(ABS_X), UInt16(ABS_Y)]))
        #expect(TouchPanel.isTouchPanel(absoluteAxes: [UInt16(ABS_MT_POSITION_X), UInt16(ABS_MT_POSITION_Y)]))
        #expect(!TouchPanel.isTouchPanel(absoluteAxes: [UInt16(ABS_X)]))
        #expect(!TouchPanel.isTouchPanel(absoluteAxes: []))
    }
}

@Suite("Keypad: evdev keys into the kiosk's keys")
struct KeypadTests {
    static func key(_ code: Int32, _ value: Int32) -> KioskEvent.Key? {
        Keypad.key(InputEvent(type: UInt16(EV_KEY), code: UInt16(code), value: value, time: .zero))
    }

    @Test func digitsOfTheRowAndThePadAreTheSame() {
        #expect(Self.key(KEY_7, 1) == .digit(7))
        #expect(Self.key(KEY_KP7, 1) == .digit(7))
        #expect(Self.key(KEY_0, 1) == .digit(0))
        #expect(Self.key(KEY_KP0, 1) == .digit(0))
    }

    @Test func theNamedKeys() {
        #expect(Self.key(KEY_ENTER, 1) == .enter)
        #expect(Self.key(KEY_KPENTER, 1) == .enter)
        #expect(Self.key(KEY_ESC, 1) == .escape)
        #expect(Self.key(KEY_BACKSPACE, 1) == .backspace)
        #expect(Self.key(KEY_UP, 1) == .up)
        #expect(Self.key(KEY_DOWN, 1) == .down)
        #expect(Self.key(KEY_LEFT, 1) == .left)
        #expect(Self.key(KEY_RIGHT, 1) == .right)
        #expect(Self.key(KEY_Q, 1) == nil)
    }

    @Test func onlyTheKeyGoingDownActsNeitherReleaseNorAutorepeat() {
        #expect(Self.key(KEY_5, 0) == nil)
        #expect(Self.key(KEY_5, 2) == nil)
        #expect(Keypad.key(InputEvent(type: UInt16(EV_ABS), code: UInt16(KEY_5), value: 1, time: .zero)) == nil)
    }

    @Test func aKeypadHasEnterAndTenDigits() {
        let row = [KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9].map { UInt16($0) }
        #expect(Keypad.isKeypad(keys: Set(row + [UInt16(KEY_ENTER)])))
        #expect(!Keypad.isKeypad(keys: Set(row)))
        #expect(!Keypad.isKeypad(keys: [UInt16(BTN_TOUCH), UInt16(KEY_ENTER)]))
    }

    @Test func aConfiguredKeypadNeedsOnlyOneKeyTheKioskUses() {
        let arrows = Set([KEY_UP, KEY_DOWN, KEY_ENTER].map { UInt16($0) })
        #expect(InputDevices.isKeypad(arrows, configured: true))
        #expect(!InputDevices.isKeypad(arrows, configured: false))
        #expect(!InputDevices.isKeypad([UInt16(BTN_TOUCH), UInt16(KEY_POWER)], configured: true))
    }
}

/// SYN_DROPPED with the state read back, as libevdev does: raw events in, a fake of the device's state queries.
@Suite("TouchPanel: resynchronising after the kernel dropped events")
struct TouchPanelResyncTests {
    /// The device's state as EVIOCGKEY, EVIOCGABS and EVIOCGMTSLOTS would give it.
    struct FakeState: TouchStateSource {
        var keys: Set<UInt16> = []
        var axes: [UInt16: Int32] = [:]
        var slots: [UInt16: [Int32]] = [:]
        var fails = false

        func keysDown() throws(InputError) -> Set<UInt16> {
            if fails { throw InputError(code: 19, call: "EVIOCGKEY", device: "fake") }
            return keys
        }
        func axisValue(_ code: UInt16) throws(InputError) -> Int32 {
            if fails { throw InputError(code: 19, call: "EVIOCGABS", device: "fake") }
            return axes[code] ?? 0
        }
        func slotValues(_ code: UInt16, count: Int) throws(InputError) -> [Int32] {
            if fails { throw InputError(code: 19, call: "EVIOCGMTSLOTS", device: "fake") }
            return Array((slots[code] ?? []).prefix(count))
        }
    }

    static func panel(_ touchProtocol: TouchPanel.TouchProtocol, _ state: FakeState) -> TouchPanel {
        var panel = TouchPanelTests.panel(touchProtocol)
        panel.stateSource = state
        panel.slotCount = 2
        return panel
    }

    static func point(_ x: Int32, _ y: Int32) -> PanelPoint { TouchPanelTests.point(x, y) }

    /// A drop at 20 ms: what was lost comes before the SYN_REPORT that ends it, and is discarded.
    static func drop(_ script: inout EventScript, lost: [(Int32, Int32, Int32)] = [(EV_ABS, ABS_X, 4000)]) {
        script.event(at: 20, EV_SYN, SYN_DROPPED, 0)
        for (type, code, value) in lost { script.event(at: 20, type, code, value) }
        script.frame(at: 20)
    }

    @Test func aSingleTouchFingerStillDownGoesOnFromWhereItIs() {
        var script = EventScript()
        script.frame(at: 10, (EV_ABS, ABS_X, 1000), (EV_ABS, ABS_Y, 500), (EV_KEY, BTN_TOUCH, 1))
        Self.drop(&script)
        script.frame(at: 40, (EV_KEY, BTN_TOUCH, 0))
        let state = FakeState(keys: [UInt16(BTN_TOUCH)], axes: [UInt16(ABS_X): 1500, UInt16(ABS_Y): 600])
        #expect(
            TouchPanelTests.contacts(Self.panel(.singleTouch, state), script.events) == [
                TouchContact(.down, Self.point(1000, 500), at: .milliseconds(10)),
                TouchContact(.move, Self.point(1500, 600), at: .milliseconds(20)),
                TouchContact(.up, Self.point(1500, 600), at: .milliseconds(40)),
            ])
    }

    @Test func aFingerThatLiftedDuringTheDropIsCancelledAndTheNextTouchCounts() {
        var script = EventScript()
        script.frame(at: 10, (EV_ABS, ABS_X, 1000), (EV_ABS, ABS_Y, 500), (EV_KEY, BTN_TOUCH, 1))
        Self.drop(&script, lost: [(EV_KEY, BTN_TOUCH, 0)])
        script.frame(at: 90, (EV_ABS, ABS_X, 2000), (EV_KEY, BTN_TOUCH, 1))
        let state = FakeState(keys: [], axes: [UInt16(ABS_X): 1100, UInt16(ABS_Y): 500])
        #expect(
            TouchPanelTests.contacts(Self.panel(.singleTouch, state), script.events) == [
                TouchContact(.down, Self.point(1000, 500), at: .milliseconds(10)),
                TouchContact(.cancelled, Self.point(1000, 500), at: .milliseconds(20)),
                TouchContact(.down, Self.point(2000, 500), at: .milliseconds(90)),
            ])
    }

    @Test func protocolBKeepsFollowingTheSameTrackingID() {
        var script = EventScript()
        script.frame(
            at: 10, (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, 7), (EV_ABS, ABS_MT_POSITION_X, 400),
            (EV_ABS, ABS_MT_POSITION_Y, 400))
        Self.drop(&script, lost: [(EV_ABS, ABS_MT_SLOT, 1), (EV_ABS, ABS_MT_TRACKING_ID, 8)])
        // After the resync the current slot is 1 (from EVIOCGABS(ABS_MT_SLOT)): this moves the second finger.
        script.frame(at: 30, (EV_ABS, ABS_MT_POSITION_X, 3900))
        script.frame(at: 40, (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, -1))
        let state = FakeState(
            axes: [UInt16(ABS_MT_SLOT): 1],
            slots: [
                UInt16(ABS_MT_TRACKING_ID): [7, 8], UInt16(ABS_MT_POSITION_X): [450, 3000],
                UInt16(ABS_MT_POSITION_Y): [420, 3000],
            ])
        #expect(
            TouchPanelTests.contacts(Self.panel(.multiTouchB, state), script.events) == [
                TouchContact(.down, Self.point(400, 400), at: .milliseconds(10)),
                TouchContact(.move, Self.point(450, 420), at: .milliseconds(20)),
                TouchContact(.up, Self.point(450, 420), at: .milliseconds(40)),
            ])
    }

    @Test func protocolBCancelsAFingerReplacedDuringTheDropAndStartsOneThatTouched() {
        var replaced = EventScript()
        replaced.frame(
            at: 10, (EV_ABS, ABS_MT_SLOT, 0), (EV_ABS, ABS_MT_TRACKING_ID, 7), (EV_ABS, ABS_MT_POSITION_X, 400),
            (EV_ABS, ABS_MT_POSITION_Y, 400))
        Self.drop(&replaced)
        // Slot 0 now holds another finger (id 9): the first lifted in the drop.
        let other = FakeState(
            slots: [
                UInt16(ABS_MT_TRACKING_ID): [9, -1], UInt16(ABS_MT_POSITION_X): [2000, 0],
                UInt16(ABS_MT_POSITION_Y): [2000, 0],
            ])
        #expect(
            TouchPanelTests.contacts(Self.panel(.multiTouchB, other), replaced.events) == [
                TouchContact(.down, Self.point(400, 400), at: .milliseconds(10)),
                TouchContact(.cancelled, Self.point(400, 400), at: .milliseconds(20)),
            ])

        var touched = EventScript()
        Self.drop(&touched)
        touched.frame(at: 40, (EV_ABS, ABS_MT_TRACKING_ID, -1))
        #expect(
            TouchPanelTests.contacts(Self.panel(.multiTouchB, other), touched.events) == [
                TouchContact(.down, Self.point(2000, 2000), at: .milliseconds(20)),
                TouchContact(.up, Self.point(2000, 2000), at: .milliseconds(40)),
            ])
    }

    @Test func aStateThatCannotBeReadCancelsTheFingerUntilItLifts() {
        var script = EventScript()
        script.frame(at: 10, (EV_ABS, ABS_X, 1000), (EV_ABS, ABS_Y, 500), (EV_KEY, BTN_TOUCH, 1))
        Self.drop(&script)
        script.frame(at: 30, (EV_ABS, ABS_X, 1200))
        script.frame(at: 40, (EV_KEY, BTN_TOUCH, 0))
        script.frame(at: 90, (EV_KEY, BTN_TOUCH, 1))
        #expect(
            TouchPanelTests.contacts(Self.panel(.singleTouch, FakeState(fails: true)), script.events) == [
                TouchContact(.down, Self.point(1000, 500), at: .milliseconds(10)),
                TouchContact(.cancelled, Self.point(1000, 500), at: .milliseconds(20)),
                TouchContact(.down, Self.point(1200, 500), at: .milliseconds(90)),
            ])
    }
}
