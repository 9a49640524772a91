import Core
import Testing

@testable import KioskSimulator

@Suite("card scripts")
struct CardScriptTests {
    static let typeA = CardSetup(kind: .typeA, uid: CardKind.typeA.defaultUID)

    @Test("the documented example parses into taps, removes and waits with their durations")
    func example() throws {
        let script = try CardScript.parse(inline: "tap 2s; remove; wait 1s; tap 500ms; remove")
        #expect(
            script.steps == [
                .tap(Self.typeA, for: .seconds(2)), .remove, .wait(.seconds(1)),
                .tap(Self.typeA, for: .milliseconds(500)), .remove,
            ])
    }

    @Test("uid= and kind= change one tap; the command line's --uid and --kind fill the rest")
    func overrides() throws {
        let defaults = CardScript.Defaults(kind: .chip, uid: try CardUID(hex: "0102030405060708090A"))
        let script = try CardScript.parse(
            inline: "tap; remove; TAP kind=type-b uid=5a3c9e21 3s; remove; tap uid=11223344", defaults: defaults)
        #expect(
            script.steps == [
                .tap(CardSetup(kind: .chip, uid: try CardUID(hex: "0102030405060708090A")), for: nil), .remove,
                .tap(CardSetup(kind: .typeB, uid: try CardUID(hex: "5A3C9E21")), for: .seconds(3)), .remove,
                .tap(CardSetup(kind: .chip, uid: try CardUID(hex: "11223344")), for: nil),
            ])
        let typeB = try CardScript.parse(inline: "tap kind=type-b")
        #expect(typeB.steps == [.tap(CardSetup(kind: .typeB, uid: CardKind.typeB.defaultUID), for: nil)])
    }

    @Test(
        "durations are a number and a unit",
        arguments: [
            ("500ms", Duration.milliseconds(500)), ("2s", .seconds(2)), ("1.5s", .milliseconds(1500)),
            ("1m", .seconds(60)), ("0s", .zero), ("250MS", .milliseconds(250)),
        ])
    func durations(text: String, expected: Duration) throws {
        #expect(try CardScript.parseDuration(text) == expected)
    }

    @Test(
        "durations without a unit, with an unknown unit or no number are refused",
        arguments: ["2", "2x", "s", "1.2.3s", "-1s", ".s", "1e3s"])
    func badDurations(text: String) {
        #expect(throws: CardScriptError.Reason.self) { try CardScript.parseDuration(text) }
    }

    @Test(
        "bad steps fail with the step's number, its text and the reason",
        arguments: [
            ("tap; wat 1s", 2, "wat 1s", "unknown step `wat`"),
            ("remove", 1, "remove", "no card on the reader"),
            ("tap; tap", 2, "tap", "already on the reader"),
            ("tap; remove; wait", 3, "wait", "one duration"),
            ("wait 2", 1, "wait 2", "no unit"),
            ("tap uid=04A21", 1, "tap uid=04A21", "pairs of 0-9 and A-F"),
            ("tap uid=0102", 1, "tap uid=0102", "4, 7 or 10 bytes"),
            ("tap kind=type-c", 1, "tap kind=type-c", "kinds are type-a, type-b, chip"),
            ("tap kind=type-b uid=04A21B6C9E4F80", 1, "tap kind=type-b uid=04A21B6C9E4F80", "4-byte PUPI"),
            ("tap 1s 2s", 1, "tap 1s 2s", "second"),
            ("tap speed=9", 1, "tap speed=9", "unknown setting"),
            ("tap; remove now", 2, "remove now", "takes nothing"),
        ])
    func badSteps(script: String, number: Int, text: String, reason: String) {
        do {
            _ = try CardScript.parse(inline: script)
            Issue.record("`\(script)` should not parse")
        } catch {
            #expect(error.unit == "step")
            #expect(error.number == number)
            #expect(error.text == text)
            #expect(error.reason.contains(reason), "\(error.reason)")
            #expect(error.description.hasPrefix("card script step \(number) (`\(text)`): "))
        }
    }

    @Test("a script file has one step per line, comments and blank lines; errors name the line")
    func file() throws {
        let text = "# a resident taps twice\ntap 2s\n\nremove  # card away\nwait 1s\r\ntap kind=type-b\n"
        let script = try CardScript.parse(file: text)
        #expect(script.steps.count == 4)
        #expect(script.steps[3] == .tap(CardSetup(kind: .typeB, uid: CardKind.typeB.defaultUID), for: nil))
        #expect(
            throws: CardScriptError(
                unit: "line", number: 3, text: "wiat 1s", reason: "unknown step `wiat`; steps are tap, remove and wait")
        ) {
            try CardScript.parse(file: "tap\n# comment\nwiat 1s\n")
        }
    }

    @Test("a script without steps is refused", arguments: ["", " ; ;", "# only a comment"])
    func empty(text: String) {
        #expect(throws: CardScriptError.self) { try CardScript.parse(file: text) }
        #expect(throws: CardScriptError.self) { try CardScript.parse(inline: text.replacingHash()) }
    }
}

extension String {
    /// `--script` has no comments, so a comment-only file becomes blank steps there.
    fileprivate func replacingHash() -> String { contains("#") ? "" : self }
}
