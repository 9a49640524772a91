import Core

/// A scripted sequence of taps for `kiosk-sim card --script`: `tap 2s; remove; wait 1s; tap 500ms; remove`.
///
/// Steps: `tap [DURATION] [uid=HEX] [kind=KIND]` puts a card on the reader (and keeps it there for DURATION
/// before the next step), `remove` takes it away, `wait DURATION` lets time pass. `uid=` and `kind=` apply to that
/// tap only; otherwise the command line's `--uid` and `--kind` do. Presence is checked while parsing, so a script
/// that taps twice without a `remove`, or removes a card that is not there, fails before anything connects.
/// Durations are a number and a unit: `500ms`, `2s`, `1.5s`, `1m`.
struct CardScript: Equatable, Sendable {
    var steps: [CardStep]

    /// What `--uid` and `--kind` say; a tap's `uid=`/`kind=` override them for that tap.
    struct Defaults: Equatable, Sendable {
        var kind: CardKind = .typeA
        var uid: CardUID?
    }

    /// `--script`: steps separated by `;` (or line ends); errors name the step number.
    static func parse(inline text: String, defaults: Defaults = Defaults()) throws(CardScriptError) -> CardScript {
        let pieces = text.split(omittingEmptySubsequences: false) { $0 == ";" || $0 == "\n" }
        return try parse(pieces.enumerated().map { ($0 + 1, String($1)) }, unit: "step", defaults: defaults)
    }

    /// `--script-file`: one step per line, `#` starts a comment; errors name the line number.
    static func parse(file text: String, defaults: Defaults = Defaults()) throws(CardScriptError) -> CardScript {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let numbered = lines.enumerated().map { ($0 + 1, String($1.prefix { $0 != "#" })) }
        return try parse(numbered, unit: "line", defaults: defaults)
    }

    private static func parse(
        _ numbered: [(Int, String)],
        unit: String,
        defaults: Defaults
    ) throws(CardScriptError) -> CardScript {
        var steps: [CardStep] = []
        var cardPresent = false
        for (number, text) in numbered {
            if let step = try step(in: text, number: number, unit: unit, defaults: defaults, cardPresent: &cardPresent)
            {
                steps.append(step)
            }
        }
        guard !steps.isEmpty else {
            throw CardScriptError(unit: unit, number: 0, text: "", reason: "the script has no steps")
        }
        return CardScript(steps: steps)
    }

    /// One line's step, `nil` for a blank line. `cardPresent` says whether the steps so far left a card on the
    /// reader, and is updated: a second `tap` or a `remove` of nothing is an error here, before anything connects.
    /// `--steps-from-stdin` parses each line with this as it arrives.
    static func step(
        in text: String,
        number: Int,
        unit: String,
        defaults: Defaults,
        cardPresent: inout Bool
    ) throws(CardScriptError) -> CardStep? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        guard let verb = words.first else { return nil }
        func fail(_ reason: String) -> CardScriptError {
            CardScriptError(unit: unit, number: number, text: text.trimmedSpaces, reason: reason)
        }
        let arguments = Array(words.dropFirst())
        switch verb.lowercased() {
        case "tap":
            guard !cardPresent else { throw fail("a card is already on the reader; `remove` it first") }
            let tap = try parseTap(arguments, defaults: defaults, fail: fail)
            cardPresent = true
            return tap
        case "remove":
            guard arguments.isEmpty else { throw fail("`remove` takes nothing after it") }
            guard cardPresent else { throw fail("there is no card on the reader to remove") }
            cardPresent = false
            return .remove
        case "wait":
            guard arguments.count == 1 else { throw fail("`wait` takes one duration, like `wait 1s`") }
            do throws(CardScriptError.Reason) {
                return .wait(try parseDuration(arguments[0]))
            } catch {
                throw fail(error.text)
            }
        default:
            throw fail("unknown step `\(verb)`; steps are tap, remove and wait")
        }
    }

    private static func parseTap(
        _ arguments: [String],
        defaults: Defaults,
        fail: (String) -> CardScriptError
    ) throws(CardScriptError) -> CardStep {
        var duration: Duration?
        var kind: CardKind?
        var uid: CardUID?
        for argument in arguments {
            if let value = argument.value(for: "uid=") {
                guard uid == nil else { throw fail("`uid=` given twice") }
                // The value stays out of the message: steps' reasons reach stdout in `--steps-from-stdin`.
                do throws(CardUIDError) { uid = try CardUID(hex: value) } catch { throw fail("`uid=`: \(error)") }
            } else if let value = argument.value(for: "kind=") {
                guard kind == nil else { throw fail("`kind=` given twice") }
                guard let parsed = CardKind(rawValue: value.lowercased()) else {
                    let kinds = CardKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail("kind=\(value): unknown kind; kinds are \(kinds)")
                }
                kind = parsed
            } else if argument.contains("=") {
                throw fail("unknown setting `\(argument)`; a tap takes a duration, uid=HEX and kind=KIND")
            } else {
                guard duration == nil else { throw fail("`tap` takes one duration, found a second: `\(argument)`") }
                do throws(CardScriptError.Reason) { duration = try parseDuration(argument) } catch {
                    throw fail(error.text)
                }
            }
        }
        let resolvedKind = kind ?? defaults.kind
        let resolvedUID = uid ?? defaults.uid ?? resolvedKind.defaultUID
        if let problem = resolvedKind.problem(with: resolvedUID) { throw fail(problem) }
        return .tap(CardSetup(kind: resolvedKind, uid: resolvedUID), for: duration)
    }

    /// `500ms`, `2s`, `1.5s`, `1m`: digits with at most one decimal point, then a unit.
    static func parseDuration(_ text: String) throws(CardScriptError.Reason) -> Duration {
        let number = text.prefix { ("0"..."9").contains($0) || $0 == "." }
        let unit = text.dropFirst(number.count).lowercased()
        guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != ".", let value = Double(number)
        else {
            throw .init(text: "`\(text)` is not a duration; write a number and a unit: 500ms, 2s, 1.5s, 1m")
        }
        let milliseconds: Double
        switch unit {
        case "ms": milliseconds = value
        case "s": milliseconds = value * 1000
        case "m", "min": milliseconds = value * 60_000
        case "": throw .init(text: "`\(text)` has no unit; write \(number)ms, \(number)s or \(number)m")
        default: throw .init(text: "`\(text)`: unknown unit `\(unit)`; units are ms, s and m")
        }
        guard milliseconds <= 24 * 3_600_000 else { throw .init(text: "`\(text)` is longer than a day") }
        return .milliseconds(Int64(milliseconds.rounded()))
    }
}

/// One card on the reader: what kind it is and its UID.
struct CardSetup: Equatable, Sendable {
    var kind: CardKind
    var uid: CardUID
}

enum CardStep: Equatable, Sendable {
    /// Put the card on the reader; stay `for` that long before the next step (no time at all when `nil`).
    case tap(CardSetup, for: Duration?)
    case remove
    case wait(Duration)
}

/// A script line that cannot be played: where, what it said, and why.
struct CardScriptError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `step` for `--script`, `line` for `--script-file`.
    var unit: String
    /// 1-based; 0 for errors about the whole script.
    var number: Int
    var text: String
    var reason: String

    /// Why a word of a step is wrong, before the step's position is known.
    struct Reason: Error, Equatable {
        var text: String
    }

    var description: String {
        number == 0 ? "card script: \(reason)" : "card script \(unit) \(number) (`\(text)`): \(reason)"
    }
}

extension String {
    /// Without leading and trailing blanks, for quoting a step in an error.
    fileprivate var trimmedSpaces: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }

    /// What follows `prefix` (case-insensitive), or `nil` when the string does not start with it.
    fileprivate func value(for prefix: String) -> String? {
        lowercased().hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
