import CLinuxIO
import Core
import Foundation
import Glibc
import Testing

@testable import Drivers

/// `WedgeReader`'s side of the work: evdev key codes to the decoder's keys, and waiting for a reader that is not
/// there. The reader on an emulated evdev node is in IntegrationTests (umockdev).
@Suite("WedgeReader: evdev key codes to card UIDs")
struct WedgeReaderTests {
    /// A reader typing `text` ("\n" for Enter) the way the shared fixture does: each key pressed, then released
    /// 4 ms later, every edge followed by a SYN_REPORT.
    static func typing(_ text: String, from start: Duration = .seconds(5)) -> [InputEvent] {
        let codes: [Character: Int32] = [
            "1": KEY_1, "2": KEY_2, "3": KEY_3, "4": KEY_4, "5": KEY_5, "6": KEY_6, "7": KEY_7, "8": KEY_8,
            "9": KEY_9, "0": KEY_0, "A": KEY_A, "B": KEY_B, "C": KEY_C, "D": KEY_D, "E": KEY_E, "F": KEY_F,
            "\n": KEY_ENTER, "Q": KEY_Q,
        ]
        return text.enumerated().flatMap { index, character -> [InputEvent] in
            let pressed = start + .milliseconds(8 * index)
            let code = UInt16(codes[character]!)
            return [
                InputEvent(type: UInt16(EV_KEY), code: code, value: 1, time: pressed),
                InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_REPORT), value: 0, time: pressed),
                InputEvent(type: UInt16(EV_KEY), code: code, value: 0, time: pressed + .milliseconds(4)),
                InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_REPORT), value: 0, time: pressed + .milliseconds(4)),
            ]
        }
    }

    static func decode(_ events: [InputEvent]) -> [WedgeDecoder.Outcome] {
        var decoder = WedgeDecoder()
        return events.compactMap { WedgeReader.decode($0, with: &decoder) }
    }

    static func key(_ code: Int32, _ value: Int32, _ time: Duration) -> InputEvent {
        InputEvent(type: UInt16(EV_KEY), code: UInt16(code), value: value, time: time)
    }

    @Test(
        arguments: [
            (KEY_1, WedgeKey.digit(1)), (KEY_9, .digit(9)), (KEY_0, .digit(0)), (KEY_KP0, .digit(0)),
            (KEY_KP1, .digit(1)),
            (KEY_KP5, .digit(5)), (KEY_KP9, .digit(9)), (KEY_A, .hexLetter(10)), (KEY_F, .hexLetter(15)),
            (KEY_ENTER, .enter), (KEY_KPENTER, .enter), (KEY_Q, .other), (KEY_G, .other), (KEY_ESC, .other),
            (KEY_TAB, .other), (KEY_BACKSPACE, .other),
        ] as [(Int32, WedgeKey)])
    func keyCodesMapToTheDecodersKeys(code: Int32, key: WedgeKey) {
        #expect(WedgeReader.key(UInt16(code)) == key)
    }

    @Test(arguments: [KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_NUMLOCK, KEY_CAPSLOCK])
    func modifiersAndLocksAreSkipped(code: Int32) {
        #expect(WedgeReader.key(UInt16(code)) == nil)
    }

    @Test func theSharedFixtureTapIsSitiAminahsCard() throws {
        #expect(Self.decode(Self.typing("1376422841\n")) == [.card(try CardUID(hex: "520A8BB9"))])
    }

    @Test func keypadDigitsAndKeypadEnterMakeACard() throws {
        let codes = [
            KEY_KP1, KEY_KP3, KEY_KP7, KEY_KP6, KEY_KP4, KEY_KP2, KEY_KP2, KEY_KP8, KEY_KP4, KEY_KP1, KEY_KPENTER,
        ]
        let events = codes.enumerated().flatMap { index, code in
            [Self.key(code, 1, .milliseconds(8 * index)), Self.key(code, 0, .milliseconds(8 * index + 4))]
        }
        #expect(Self.decode(events) == [.card(try CardUID(hex: "520A8BB9"))])
    }

    @Test func upperCaseHexTypedWithShiftMakesACard() throws {
        // 0489AB12CD34EF with Shift held around each letter, as a reader typing upper case does.
        var events: [InputEvent] = []
        var time = Duration.zero
        func press(_ code: Int32) {
            events += [Self.key(code, 1, time), Self.key(code, 0, time + .milliseconds(2))]
            time += .milliseconds(5)
        }
        let codes: [Character: Int32] = [
            "0": KEY_0, "4": KEY_4, "8": KEY_8, "9": KEY_9, "1": KEY_1, "2": KEY_2, "3": KEY_3,
            "A": KEY_A, "B": KEY_B, "C": KEY_C, "D": KEY_D, "E": KEY_E, "F": KEY_F,
        ]
        for character in "0489AB12CD34EF" {
            if character.isLetter {
                events.append(Self.key(KEY_LEFTSHIFT, 1, time))
                press(codes[character]!)
                events.append(Self.key(KEY_LEFTSHIFT, 0, time))
            } else {
                press(codes[character]!)
            }
        }
        press(KEY_ENTER)
        #expect(Self.decode(events) == [.card(try CardUID(hex: "0489AB12CD34EF"))])
    }

    @Test func autorepeatIsIgnored() throws {
        var events = Self.typing("1376422841\n")
        events.insert(Self.key(KEY_3, 2, .seconds(5) + .milliseconds(9)), at: 8)
        events.append(Self.key(KEY_ENTER, 2, .seconds(6)))
        #expect(Self.decode(events) == [.card(try CardUID(hex: "520A8BB9"))])
    }

    @Test func garbageThenAValidTapGivesARejectionThenTheCard() throws {
        let events = Self.typing("13Q6\n") + Self.typing("1376422841\n", from: .seconds(7))
        #expect(Self.decode(events) == [.rejected(.unexpectedKey), .card(try CardUID(hex: "520A8BB9"))])
    }

    @Test func eventsTheKernelDroppedSpoilTheNumber() throws {
        let dropped = InputEvent(type: UInt16(EV_SYN), code: UInt16(SYN_DROPPED), value: 0, time: .seconds(5))
        let events = Self.typing("13764") + [dropped] + Self.typing("1376422841\n", from: .seconds(8))
        #expect(Self.decode(events) == [.rejected(.eventsLost), .card(try CardUID(hex: "520A8BB9"))])
    }

    @Test func otherEventTypesCarryNothing() {
        let events = [
            InputEvent(type: UInt16(EV_MSC), code: UInt16(MSC_SCAN), value: 0x7001e, time: .zero),
            InputEvent(type: UInt16(EV_LED), code: UInt16(LED_NUML), value: 1, time: .zero),
        ]
        #expect(Self.decode(events).isEmpty)
    }

    @Test func aMissingReaderIsReportedOnceAndWaitedForUntilStopped() async throws {
        let path = "/dev/input/by-id/usb-none-event-kbd-\(UUID().uuidString)"
        let reader = WedgeReader(path: path, retryInterval: .milliseconds(20))
        reader.start()
        Task {
            try await Task.sleep(for: .milliseconds(300))  // some fifteen retries
            reader.stop()
        }
        let events = try #require(await drain(reader.events), "stop() ends the wait")
        #expect(events == [.unavailable(InputError(code: ENOENT, call: "open", device: path))])
    }
}
