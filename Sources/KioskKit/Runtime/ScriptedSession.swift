package import Core
import Foundation

/// A resident session written as text, one step per line, played against a running kiosk: the demo's resident,
/// integration tests, and a technician's way to drive a kiosk without touching it. `kiosk-sim resident` writes one.
///
///     await idle                 wait until this screen is on display (`error` matches any error screen)
///     see PIN salah              wait until a screen shows this text (in its title or lines)
///     tap 04A21B6C9E4F80         put a card with this UID on the reader
///     remove                     take it away
///     press Cetak                touch the centre of the button whose label contains this text (a single
///                                character: the key labelled exactly so)
///     touch 120.5 80             touch a point, in millimetres from the top left
///     key 1 | enter | escape | backspace | up | down | left | right
///     sleep 2.5                  let time pass, in seconds (timeouts)
///     # comment
package struct ScriptedSession {
    package enum Step: Equatable {
        case await(String)
        case see(String)
        case tap(CardUID)
        case remove
        case press(String)
        case touch(PointMM)
        case key(KioskEvent.Key)
        case sleep(Duration)
    }

    package struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        package var description: String { "script line \(line): \(message)" }
    }

    let steps: [(line: Int, step: Step)]

    package init(text: String) throws(ParseError) {
        var steps: [(Int, Step)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            let argument = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
            func fail(_ message: String) -> ParseError { ParseError(line: index + 1, message: message) }
            switch words[0] {
            case "await":
                guard !argument.isEmpty else { throw fail("await needs a screen name, e.g. await menu") }
                steps.append((index + 1, .await(argument)))
            case "see":
                guard !argument.isEmpty else { throw fail("see needs the text to wait for, e.g. see PIN salah") }
                steps.append((index + 1, .see(argument)))
            case "tap":
                do throws(CardUIDError) { steps.append((index + 1, .tap(try CardUID(hex: argument)))) } catch {
                    throw fail("tap needs a card UID in hex: \(error)")
                }
            case "remove":
                steps.append((index + 1, .remove))
            case "press":
                guard !argument.isEmpty else { throw fail("press needs part of a button's label, e.g. press Cetak") }
                steps.append((index + 1, .press(argument)))
            case "touch":
                let xy = argument.split(separator: " ").compactMap { Double($0) }
                guard xy.count == 2 else { throw fail("touch needs two numbers in mm, e.g. touch 120 80") }
                steps.append((index + 1, .touch(PointMM(x: xy[0], y: xy[1]))))
            case "key":
                guard let key = Self.key(argument) else {
                    throw fail(
                        "unknown key \"\(argument)\"; keys are 0-9, enter, escape, backspace, up, down, left, right")
                }
                steps.append((index + 1, .key(key)))
            case "sleep":
                guard let seconds = Double(argument), seconds >= 0 else {
                    throw fail("sleep needs seconds, e.g. sleep 2")
                }
                steps.append((index + 1, .sleep(.milliseconds(Int(seconds * 1000)))))
            default:
                throw fail("unknown step \"\(words[0])\"; steps are await, see, tap, remove, press, touch, key, sleep")
            }
        }
        self.steps = steps
    }

    static func key(_ name: String) -> KioskEvent.Key? {
        if name.count == 1, let digit = Int(name) { return .digit(digit) }
        switch name.lowercased() {
        case "enter": return .enter
        case "escape", "esc": return .escape
        case "backspace": return .backspace
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        default: return nil
        }
    }
}

/// How a script puts a card on the reader and takes it away.
package protocol CardPlacer: Sendable {
    func tap(_ card: CardUID) async throws
    func remove() async throws
}

/// A reader that exists only for scripts: the card a script taps is presented in process, no pcscd involved
/// (`[card_reader] backend = "script"`).
package struct ScriptedCardReader: CardPlacer {
    let events: KioskEvents

    init(events: KioskEvents) { self.events = events }

    package func tap(_ card: CardUID) {
        events.send(.cardPresented(card, chip: nil))
    }

    package func remove() {
        events.send(.cardRemoved)
    }
}
