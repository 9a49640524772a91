import Core
import Drivers
import Testing

@testable import Kiosk

/// Touch through the framebuffer display: the panel point is turned by the rotation, hit-tested in millimetres,
/// the button is drawn pressed on the panel at once, and the press is sent on release.
@Suite("Touch on the framebuffer display")
struct FramebufferTouchTests {
    @Test func aTapOnAnUpsideDownPanelPressesTheButtonDrawnUnderTheFinger() async throws {
        let framebuffer = try Framebuffer.virtual(width: 1024, height: 600)
        let display = try FramebufferDisplay(
            framebuffer: framebuffer, size: SizeMM(width: 222, height: 125), rotation: .half, renderer: try Renderer())
        await display.show(KioskScreens.done(draft: false))
        let events = KioskEvents()
        let service = InputServiceTests.service(display, events)
        var gesture = TouchGesture<ButtonID>()
        // Selesai spans the bottom of the drawn screen; the panel is mounted upside down, so it is at the top.
        let finger = PanelPoint(x: 0.5, y: 0.06)
        let (x, y) = (512, Int(0.06 * 600))
        let before = framebuffer.color(x: x, y: y)
        await service.handle(.touch(TouchContact(.down, finger, at: .milliseconds(0))), gesture: &gesture)
        #expect(await display.highlighted == .finish)
        let pressed = framebuffer.color(x: x, y: y)
        #expect(pressed != before, "the pressed button changed colour on the panel")
        #expect(pressed == (0xFF, 0xD2, 0x3F), "the theme's pressed fill")
        await service.handle(.touch(TouchContact(.up, finger, at: .milliseconds(90))), gesture: &gesture)
        events.send(.tick)
        #expect(await InputServiceTests.sent(events, count: 2) == [.press(.finish), .tick])
        #expect(await display.highlighted == nil)
    }
}
