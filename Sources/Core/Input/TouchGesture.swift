/// Turns one finger's contacts into button highlights and presses: pure, time passed in, actions returned as
/// values (the shape of Hummingbird's connection state machines).
///
/// A press acts on **release inside the same target it went down on**, as on a phone: a resident who touches the
/// wrong button can slide off it and lift without consequence. Sliding out removes the highlight, sliding back in
/// restores it. A finger that lands outside every button does nothing, even if it then slides onto one.
///
/// `Target` is what can be pressed: `ButtonID` on the kiosk's screens, a grid cell on a technician's touch test.
/// The caller hit-tests each contact's point against the screen on display and passes the answer as `target`: the
/// hit test belongs to the display (rotation, millimetres) and may be asynchronous, which a pure state machine
/// cannot await.
public struct TouchGesture<Target: Hashable & Sendable>: Sendable {
    public enum Action: Hashable, Sendable {
        /// Show this target pressed-in (`nil`: none).
        case highlight(Target?)
        /// The target was tapped.
        case press(Target)
    }

    /// Contacts shorter than this are ignored: 10 ms. A finger tap lasts 50-200 ms; contacts of a few
    /// milliseconds are a resistive panel's spark or a capacitive panel's noise, not a resident.
    public var minimumContact: Duration = .milliseconds(10)
    /// A touch that starts within this long after the previous lift is ignored, with everything up to its own
    /// lift: 60 ms. A lifting finger often bounces (up, down, up again within 20-40 ms), which would otherwise
    /// highlight the button again; nobody taps twice within 60 ms on purpose (a fast double tap is 100+ ms apart).
    public var bounceInterval: Duration = .milliseconds(60)

    private enum State: Hashable, Sendable {
        case idle
        /// A finger is down; `target` is the button it went down on, `inside` whether it is over it now.
        case touching(target: Target?, inside: Bool, since: Duration)
        /// A bounce: ignored until it lifts.
        case ignoring
    }

    private var state = State.idle
    private var lastLift: Duration?

    public init() {}

    /// Feeds one contact and the target under its point (`nil` for none).
    public mutating func handle(_ contact: TouchContact, target: Target?) -> [Action] {
        switch (state, contact.phase) {
        case (.idle, .down):
            if let lastLift, contact.time - lastLift < bounceInterval {
                state = .ignoring
                return []
            }
            state = .touching(target: target, inside: target != nil, since: contact.time)
            return target.map { [.highlight($0)] } ?? []

        case (.touching(let down, let inside, let since), .move):
            guard let down else { return [] }
            let nowInside = target == down
            state = .touching(target: down, inside: nowInside, since: since)
            if nowInside == inside { return [] }
            return [.highlight(nowInside ? down : nil)]

        case (.touching(let down, let inside, let since), .up):
            state = .idle
            lastLift = contact.time
            guard let down else { return [] }
            var actions: [Action] = inside ? [.highlight(nil)] : []
            if target == down, contact.time - since >= minimumContact { actions.append(.press(down)) }
            return actions

        case (.touching(let down, let inside, _), .cancelled):
            state = .idle
            lastLift = contact.time
            return down != nil && inside ? [.highlight(nil)] : []

        case (.ignoring, .up), (.ignoring, .cancelled):
            state = .idle
            lastLift = contact.time
            return []

        case (.touching, .down):
            // A second finger (the panel driver follows the first only, but a panel may say so anyway): ignored.
            return []

        case (.idle, _), (.ignoring, _):
            return []
        }
    }
}
