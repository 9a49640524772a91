import Core
import Drivers
import Testing

@testable import KioskKit

/// Touch through the framebuffer display: the panel point is turned by the rotation, hit-tested in millimetres,
/// the button is drawn pressed on the panel at once, and the press is sent on release.
@Suite("Touch on the framebuffer display")
struct FramebufferTouchTests {
    @Test func aTapOnAnUpsideDownPanelPressesTheButtonDrawnUnderTheFinger() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600)
        let display = try ScreenPresenterTests.presenter(framebuffer, rotation: .half)
        await display.show(KioskScreens.done(draft: false))
        let events = KioskEvents()
        let service = InputServiceTests.service(display, events)
        var state = InputService.State()
        // Selesai spans the bottom of the drawn screen; the panel is mounted upside down, so it is at the top.
        let finger = PanelPoint(x: 0.5, y: 0.06)
        let (x, y) = (512, Int(0.06 * 600))
        let before = framebuffer.color(x: x, y: y)
        await service.handle(.touch(TouchContact(.down, finger, at: .milliseconds(0))), state: &state)
        #expect(await display.highlighted == .finish)
        let pressed = framebuffer.color(x: x, y: y)
        #expect(pressed != before, "the pressed button changed colour on the panel")
        #expect(pressed == (0xFF, 0xD2, 0x3F), "the theme's pressed fill")
        await service.handle(.touch(TouchContact(.up, finger, at: .milliseconds(90))), state: &state)
        events.send(.tick)
        #expect(await InputServiceTests.sent(events, count: 2) == [.press(.finish), .tick])
        #expect(await display.highlighted == nil)
    }

    /// The technician's diagnostics screen lists the input devices as they come and go: the service hands the
    /// display one line per device, and the display redraws at once.
    @Test func theDiagnosticsScreenListsTheInputDevicesAsTheyComeAndGo() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600)
        let display = try ScreenPresenterTests.presenter(framebuffer)
        await display.show(KioskScreens.diagnostics())
        let service = InputServiceTests.service(display, KioskEvents())
        var state = InputService.State()
        let empty = try await display.png()
        let touch = InputDevices.TouchFacts(
            touchProtocol: .multiTouchB, xRange: AxisRange(minimum: 0, maximum: 4095),
            yRange: AxisRange(minimum: 0, maximum: 4095),
            calibration: try #require(TouchCalibration(matrix: [0, -1, 1, 1, 0, 0])),
            calibrationSource: .udev)
        await service.handle(
            .connected(
                path: "/dev/input/event7", name: "Goodix Capacitive TouchScreen", kind: .touch, detail: "", touch: touch
            ),
            state: &state)
        await service.handle(
            .connected(path: "/dev/input/event9", name: "USB Keypad", kind: .keypad, detail: "keys"), state: &state)
        #expect(
            await display.inputFacts == [
                "Sentuh: /dev/input/event7 (Goodix Capacitive TouchScreen), multi-touch B, x 0..4095, y 0..4095, "
                    + "kalibrasi 0 -1 1 1 0 0 (udev)",
                "Keypad: /dev/input/event9 (USB Keypad)",
            ])
        let listed = try await display.png()
        #expect(listed != empty, "the lines are drawn on the diagnostics screen at once")
        await service.handle(
            .removed(path: "/dev/input/event7", error: InputError(code: 19, call: "read", device: "/dev/input/event7")),
            state: &state)
        #expect(await display.inputFacts == ["Keypad: /dev/input/event9 (USB Keypad)"])
        await service.handle(
            .removed(path: "/dev/input/event9", error: InputError(code: 19, call: "read", device: "/dev/input/event9")),
            state: &state)
        #expect(await display.inputFacts == ["Masukan: tidak ada perangkat terhubung"])
    }
}
