import Testing

@testable import Core

@Suite("TouchGesture: a press acts on release inside the button it went down on")
struct TouchGestureTests {
    /// Two buttons side by side: `.cancel` on the left half, `.confirm` on the right; nothing below y 0.5.
    static func target(_ point: PanelPoint) -> ButtonID? {
        guard point.y < 0.5 else { return nil }
        return point.x < 0.5 ? .cancel : .confirm
    }

    static let left = PanelPoint(x: 0.25, y: 0.25)
    static let right = PanelPoint(x: 0.75, y: 0.25)
    static let nowhere = PanelPoint(x: 0.5, y: 0.9)

    /// Feeds (phase, point, milliseconds) and collects every action.
    static func run(_ steps: [(TouchContact.Phase, PanelPoint, Int)], gesture: inout TouchGesture<ButtonID>)
        -> [TouchGesture<ButtonID>.Action]
    {
        steps.flatMap { phase, point, ms in
            gesture.handle(TouchContact(phase, point, at: .milliseconds(ms)), target: target(point))
        }
    }

    static func run(_ steps: [(TouchContact.Phase, PanelPoint, Int)]) -> [TouchGesture<ButtonID>.Action] {
        var gesture = TouchGesture<ButtonID>()
        return run(steps, gesture: &gesture)
    }

    @Test func aTapHighlightsThenPressesOnRelease() {
        var gesture = TouchGesture<ButtonID>()
        #expect(
            gesture.handle(TouchContact(.down, Self.left, at: .milliseconds(1000)), target: .cancel)
                == [.highlight(.cancel)])
        #expect(gesture.handle(TouchContact(.move, Self.left, at: .milliseconds(1030)), target: .cancel) == [])
        #expect(
            gesture.handle(TouchContact(.up, Self.left, at: .milliseconds(1080)), target: .cancel)
                == [.highlight(nil), .press(.cancel)])
    }

    @Test func draggingOutCancelsThePress() {
        let actions = Self.run([(.down, Self.left, 0), (.move, Self.right, 40), (.up, Self.right, 90)])
        #expect(actions == [.highlight(.cancel), .highlight(nil)])
    }

    @Test func draggingOutAndBackHighlightsAgainAndPresses() {
        let actions = Self.run([
            (.down, Self.left, 0), (.move, Self.nowhere, 30), (.move, Self.nowhere, 40), (.move, Self.left, 60),
            (.up, Self.left, 100),
        ])
        #expect(
            actions == [.highlight(.cancel), .highlight(nil), .highlight(.cancel), .highlight(nil), .press(.cancel)])
    }

    @Test func aFingerLandingOutsideEveryButtonDoesNothingEvenOnAButton() {
        let actions = Self.run([(.down, Self.nowhere, 0), (.move, Self.left, 40), (.up, Self.left, 90)])
        #expect(actions == [])
    }

    @Test func aContactOfAFewMillisecondsIsNoPress() {
        let actions = Self.run([(.down, Self.left, 0), (.up, Self.left, 4)])
        #expect(actions == [.highlight(.cancel), .highlight(nil)])
    }

    @Test func aBounceAfterTheLiftIsIgnoredWholly() {
        let actions = Self.run([
            (.down, Self.left, 0), (.up, Self.left, 80),
            // The finger bounces 20 ms later and stays 30 ms: neither highlight nor a second press.
            (.down, Self.left, 100), (.up, Self.left, 130),
            // A deliberate second tap later counts.
            (.down, Self.right, 400), (.up, Self.right, 480),
        ])
        #expect(
            actions == [
                .highlight(.cancel), .highlight(nil), .press(.cancel), .highlight(.confirm), .highlight(nil),
                .press(.confirm),
            ])
    }

    @Test func aSecondFingerIsIgnored() {
        var gesture = TouchGesture<ButtonID>()
        var actions = gesture.handle(TouchContact(.down, Self.left, at: .milliseconds(0)), target: .cancel)
        actions += gesture.handle(TouchContact(.down, Self.right, at: .milliseconds(20)), target: .confirm)
        actions += gesture.handle(TouchContact(.up, Self.left, at: .milliseconds(90)), target: .cancel)
        #expect(actions == [.highlight(.cancel), .highlight(nil), .press(.cancel)])
    }

    @Test func aCancelledContactEndsWithoutAPress() {
        let actions = Self.run([(.down, Self.left, 0), (.cancelled, Self.left, 50), (.up, Self.left, 90)])
        #expect(actions == [.highlight(.cancel), .highlight(nil)])
    }
}
