import Core
import Logging
import ServiceLifecycle

/// Plays a `ScriptedSession` into the runtime as a resident would: cards, touches, keys, waiting for screens.
/// Ends the kiosk when the script ends; fails loudly when the kiosk does not do what the script expects.
package struct ScriptPlayer: Service {
    let session: ScriptedSession
    let card: any CardPlacer
    let events: KioskEvents
    let screens: ScreenPresenter
    let layout: ScreenLayout
    /// How long `await` waits for a screen before the script fails.
    let awaitLimit: Duration
    let logger: Logger

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    package func run() async throws {
        for (line, step) in session.steps {
            switch step {
            case .await(let name):
                guard await waitFor({ Self.named($0, name) }) != nil else {
                    let current = await screens.current.map { "\($0.id)" } ?? "none"
                    throw Failure(
                        description:
                            "script line \(line): screen \(name) did not appear within \(awaitLimit) (showing: \(current))"
                    )
                }
            case .see(let text):
                let lowered = text.lowercased()
                let shows: @Sendable (Screen) -> Bool = { screen in
                    ([screen.title] + screen.lines).contains { $0.lowercased().contains(lowered) }
                }
                guard await waitFor(shows) != nil else {
                    let current = await screens.current.map { "\($0.id)" } ?? "none"
                    throw Failure(
                        description:
                            "script line \(line): no screen showed \"\(text)\" within \(awaitLimit) (showing: \(current))"
                    )
                }
            case .tap(let uid):
                try await card.tap(uid)
            case .remove:
                try await card.remove()
            case .key(let key):
                events.send(.key(key))
            case .touch(let point):
                try await touch(point, line: line)
            case .press(let label):
                // Waits for a screen that has the button, so a script never races the kiosk's last step. One
                // character names a keypad's key exactly ("press S" is not "Hapus" on the keypad's other page).
                let lowered = label.lowercased()
                let exact = lowered.count == 1
                let hasButton: @Sendable (Screen) -> Bool = {
                    $0.buttons.contains {
                        exact ? $0.label.lowercased() == lowered : $0.label.lowercased().contains(lowered)
                    }
                }
                guard let screen = await waitFor(hasButton) else {
                    let current = await screens.current
                    let labels = current?.buttons.map(\.label).joined(separator: ", ") ?? ""
                    throw Failure(
                        description:
                            "script line \(line): no button \"\(label)\" appeared within \(awaitLimit); screen \(current.map { "\($0.id)" } ?? "none") has: \(labels)"
                    )
                }
                let button = Self.best(screen.buttons, for: lowered)!
                let frame = layout.layout(screen).buttonFrames.first { $0.0 == button.id }!.1
                try await touch(PointMM(x: frame.x + frame.width / 2, y: frame.y + frame.height / 2), line: line)
            case .sleep(let duration):
                try await Task.sleep(for: duration)
            }
        }
        logger.info("scripted session finished", metadata: ["steps": "\(session.steps.count)"])
    }

    /// A touch goes through the same hit-testing as the touchscreen's (the village board's box included).
    private func touch(_ point: PointMM, line: Int) async throws {
        guard await screens.current != nil else {
            throw Failure(description: "script line \(line): nothing on screen yet")
        }
        if let button = await screens.hitTest(point) { events.send(.press(button)) }
    }

    /// The button whose label (without its "3. " choice number) is the text, else the first that contains it.
    static func best(_ buttons: [Button], for lowered: String) -> Button? {
        let candidates = buttons.filter { $0.label.lowercased().contains(lowered) }
        return candidates.first { button in
            let label = button.label.lowercased()
            let title = label.drop { $0.isNumber }.drop { $0 == "." || $0 == " " }
            return label == lowered || title == lowered
        } ?? candidates.first
    }

    static func named(_ screen: Screen, _ name: String) -> Bool {
        "\(screen.id)" == name || "\(screen.id)".hasPrefix(name + "-")
    }

    /// Waits up to `awaitLimit` for a screen `wanted` accepts.
    private func waitFor(_ wanted: @escaping @Sendable (Screen) -> Bool) async -> Screen? {
        let screens = screens
        if let shown = await TimeLimit.run(awaitLimit, { await screens.waitFor(wanted) }) { return shown }
        // The limit and the screen can come due together on a busy machine; the screen wins.
        return await screens.current.flatMap { wanted($0) ? $0 : nil }
    }
}
