package import Core

/// The screen as touch input sees it: which button is under a point of the panel, and how to show one pressed in.
/// `ScreenPresenter` implements it (it knows the rotation, the panel's millimetres and what it shows);
/// `InputService` asks it for every contact and tells it every highlight.
package protocol TouchScreen: Sendable {
    /// The button under `point` on the screen shown now, if any.
    func target(at point: PanelPoint) async -> ButtonID?
    /// Shows `button` pressed in, or none (`nil`).
    func highlight(_ button: ButtonID?) async
    /// The input devices open now, one line each, for the technician's diagnostics screen.
    func inputDevicesChanged(_ lines: [String]) async
}
