package import Core
package import Drivers

/// The screen as touch input sees it: which button is under a point of the panel, and how to show one pressed in.
/// The display implements it (it knows the rotation, the panel's millimetres and what it drew); `InputService`
/// asks it for every contact and tells it every highlight.
package protocol TouchScreen: Sendable {
    /// The button under `point` on the screen shown now, if any.
    func target(at point: PanelPoint) async -> ButtonID?
    /// Shows `button` pressed in, or none (`nil`).
    func highlight(_ button: ButtonID?) async
    /// The input devices open now, one line each, for the technician's diagnostics screen.
    func inputDevicesChanged(_ lines: [String]) async
}

/// Touch on a display that draws no highlight (the terminal display): hit-tests the screen on display through
/// Core's layout, the panel's 0...1 coordinates scaled to the display's millimetres without rotation.
package struct LayoutTouchScreen: TouchScreen {
    let screens: ScreenWatch
    let layout: ScreenLayout

    package func target(at point: PanelPoint) async -> ButtonID? {
        guard let screen = await screens.current else { return nil }
        return layout.layout(screen).hitTest(
            PointMM(x: point.x * layout.size.width, y: point.y * layout.size.height))
    }

    package func highlight(_ button: ButtonID?) async {}

    package func inputDevicesChanged(_ lines: [String]) async {}
}

/// Touch on the framebuffer: the display hit-tests through its rotation and millimetres, and draws the highlight.
extension FramebufferDisplay: TouchScreen {
    package func target(at point: PanelPoint) async -> ButtonID? {
        button(atPanel: point.x, point.y)
    }

    package func inputDevicesChanged(_ lines: [String]) async {
        setInputFacts(lines)
    }
}
