import Testing

@testable import Core

@Suite("WedgeDecoder: what a keyboard-wedge reader types, as card UIDs")
struct WedgeDecoderTests {
    typealias Outcome = WedgeDecoder.Outcome
    typealias KeyEvent = (key: WedgeKey, action: KeyAction, time: Duration)

    /// The decoder's key for a character: 0-9, A-F, "\n" for Enter, anything else `.other`.
    static func key(_ character: Character) -> WedgeKey {
        switch character {
        case "0"..."9": .digit(UInt8(character.asciiValue! - 48))
        case "A"..."F": .hexLetter(UInt8(character.asciiValue! - 55))
        case "\n": .enter
        default: .other
        }
    }

    /// Presses and releases as a reader types them: a press every `step` from `start`, each released halfway to
    /// the next (the shared fixture's 4 ms per edge is a press every 8 ms).
    static func typing(_ text: String, from start: Duration = .zero, step: Duration = .milliseconds(8)) -> [KeyEvent] {
        text.enumerated().flatMap { index, character -> [KeyEvent] in
            let pressed = start + step * index
            return [
                (key(character), KeyAction.pressed, pressed), (key(character), KeyAction.released, pressed + step / 2),
            ]
        }
    }

    static func outcomes(_ events: [KeyEvent], decoder: WedgeDecoder = WedgeDecoder()) -> [Outcome] {
        var decoder = decoder
        return events.compactMap { decoder.handle($0.key, $0.action, at: $0.time) }
    }

    static func card(_ hex: String) throws -> Outcome { .card(try CardUID(hex: hex)) }

    @Test func aTenDigitTapIsAFourByteUID() throws {
        #expect(Self.outcomes(Self.typing("1376422841\n")) == [try Self.card("520A8BB9")])
    }

    /// The registered tags of the fixture residents, as their readers typed them, and their UIDs.
    @Test(arguments: [
        ("3012887465", "B39503A9"), ("2871654490", "AB29F85A"), ("1111902233", "42464819"),
        ("3999800101", "EE681B25"), ("1304138576973696", "04A21B6C9E4F80"), ("0489AB12CD34EF", "0489AB12CD34EF"),
    ])
    func theFixtureTagsDecodeToTheirUIDs(tag: String, hex: String) throws {
        #expect(Self.outcomes(Self.typing(tag + "\n")) == [try Self.card(hex)])
    }

    @Test func leadingZerosAreKeptAsLeadingZeroBytes() throws {
        #expect(Self.outcomes(Self.typing("0000012345\n")) == [try Self.card("00003039")])
        #expect(Self.outcomes(Self.typing("0000000000\n")) == [try Self.card("00000000")])
        // Zero-padded to 14 digits, a 4-byte number still makes a 7-byte UID: the length decides.
        #expect(Self.outcomes(Self.typing("00001376422841\n")) == [try Self.card("000000520A8BB9")])
    }

    @Test func sixteenDigitsAreASevenByteUID() throws {
        #expect(Self.outcomes(Self.typing("1304138576973696\n")) == [try Self.card("04A21B6C9E4F80")])
        #expect(Self.outcomes(Self.typing("12345678901\n")) == [try Self.card("000002DFDC1C35")])
    }

    @Test func theLargestNumbersOfEachWidthFit() throws {
        #expect(Self.outcomes(Self.typing("4294967295\n")) == [try Self.card("FFFFFFFF")])
        #expect(Self.outcomes(Self.typing("72057594037927935\n")) == [try Self.card("FFFFFFFFFFFFFF")])
    }

    @Test func numbersTooLargeForTheirWidthAreRejected() {
        #expect(Self.outcomes(Self.typing("4294967296\n")) == [.rejected(.numberTooLarge(digits: 10))])
        #expect(Self.outcomes(Self.typing("72057594037927936\n")) == [.rejected(.numberTooLarge(digits: 17))])
        #expect(Self.outcomes(Self.typing("99999999999999999\n")) == [.rejected(.numberTooLarge(digits: 17))])
    }

    @Test func hexReadersGiveFourSevenAndTenByteUIDs() throws {
        #expect(Self.outcomes(Self.typing("DEADBEEF\n")) == [try Self.card("DEADBEEF")])
        #expect(Self.outcomes(Self.typing("0489AB12CD34EF\n")) == [try Self.card("0489AB12CD34EF")])
        #expect(Self.outcomes(Self.typing("0102030405060708090A\n")) == [try Self.card("0102030405060708090A")])
    }

    @Test func eightDigitsAreHexLikeCardTagUnlessShorterDecimalsAreAllowed() throws {
        #expect(Self.outcomes(Self.typing("12345678\n")) == [try Self.card("12345678")])
        #expect(CardTag("12345678")?.matches(try CardUID(hex: "12345678")) == true)
        let unpadded = WedgeDecoder(minimumDecimalDigits: 8)
        #expect(Self.outcomes(Self.typing("12345678\n"), decoder: unpadded) == [try Self.card("00BC614E")])
        #expect(Self.outcomes(Self.typing("123456789\n"), decoder: unpadded) == [try Self.card("075BCD15")])
    }

    @Test func hexOfNoUIDLengthIsRejected() {
        #expect(Self.outcomes(Self.typing("ABCDEF012\n")) == [.rejected(.notAUID(count: 9))])
        #expect(Self.outcomes(Self.typing("ABCDEF0123\n")) == [.rejected(.notAUID(count: 10))])
        #expect(Self.outcomes(Self.typing("ABC\n")) == [.rejected(.tooShort(count: 3))])
    }

    @Test func partialReadsAreTooShort() {
        #expect(Self.outcomes(Self.typing("13764\n")) == [.rejected(.tooShort(count: 5))])
        #expect(Self.outcomes(Self.typing("137642284\n")) == [.rejected(.tooShort(count: 9))])
        #expect(Self.outcomes(Self.typing("1\n")) == [.rejected(.tooShort(count: 1))])
    }

    @Test func tooManyDigitsAreRejected() {
        #expect(Self.outcomes(Self.typing("137642284113764228\n")) == [.rejected(.tooLong(count: 18))])
        #expect(
            Self.outcomes(Self.typing(String(repeating: "7", count: 25) + "\n")) == [.rejected(.tooLong(count: 25))])
        #expect(
            Self.outcomes(Self.typing(String(repeating: "A", count: 300) + "\n")) == [.rejected(.tooLong(count: 300))])
    }

    @Test func enterAloneIsRejected() throws {
        #expect(Self.outcomes(Self.typing("\n")) == [.rejected(.enterAlone)])
        // A reader that sends Enter twice: the card, then an Enter alone.
        #expect(Self.outcomes(Self.typing("1376422841\n\n")) == [try Self.card("520A8BB9"), .rejected(.enterAlone)])
    }

    @Test func aKeyThatIsNoDigitSpoilsTheNumber() throws {
        #expect(Self.outcomes(Self.typing("1376Q22841\n")) == [.rejected(.unexpectedKey)])
        #expect(Self.outcomes(Self.typing("1376422841 \n")) == [.rejected(.unexpectedKey)])
        // The next tap is read normally.
        let events = Self.typing("13#6422841\n") + Self.typing("1376422841\n", from: .seconds(1))
        #expect(Self.outcomes(events) == [.rejected(.unexpectedKey), try Self.card("520A8BB9")])
    }

    @Test func slowTypingIsRejectedOnceAtEnter() {
        // A person at 150 ms per key: no card, one rejection, and nothing before Enter.
        let events = Self.typing("1376422841\n", step: .milliseconds(150))
        #expect(Self.outcomes(events) == [.rejected(.tooSlow(limit: .milliseconds(100)))])
        // Fast digits, then an Enter that comes too late.
        let late = Self.typing("1376422841") + Self.typing("\n", from: .milliseconds(500))
        #expect(Self.outcomes(late) == [.rejected(.tooSlow(limit: .milliseconds(100)))])
        // A few slow keys, then a quick partial: still a person typing.
        let mixed = Self.typing("12", step: .milliseconds(300)) + Self.typing("34\n", from: .seconds(1))
        #expect(Self.outcomes(mixed) == [.rejected(.tooSlow(limit: .milliseconds(100)))])
    }

    @Test func theKeyIntervalLimitIsAParameter() throws {
        let events = Self.typing("1376422841\n", step: .milliseconds(150))
        let patient = WedgeDecoder(maximumKeyInterval: .milliseconds(200))
        #expect(Self.outcomes(events, decoder: patient) == [try Self.card("520A8BB9")])
        let strict = WedgeDecoder(maximumKeyInterval: .milliseconds(5))
        #expect(
            Self.outcomes(Self.typing("1376422841\n"), decoder: strict) == [
                .rejected(.tooSlow(limit: .milliseconds(5)))
            ])
    }

    @Test func aStrayKeyBeforeATapIsForgottenQuietly() throws {
        let events = Self.typing("5") + Self.typing("1376422841\n", from: .seconds(2))
        #expect(Self.outcomes(events) == [try Self.card("520A8BB9")])
    }

    @Test func aBurstWithoutEnterIsReportedWhenTheNextKeysCome() throws {
        let events = Self.typing("1376422841") + Self.typing("3012887465\n", from: .seconds(1))
        #expect(Self.outcomes(events) == [.rejected(.noEnter(count: 10)), try Self.card("B39503A9")])
    }

    @Test func autorepeatAndReleasesAreIgnored() throws {
        var events = Self.typing("1376422841\n")
        // The kernel repeats a held key (value 2): a reader never holds one, so repeats carry nothing.
        events.insert((.digit(3), .repeated, .milliseconds(9)), at: 3)
        events.insert((.digit(3), .repeated, .milliseconds(10)), at: 4)
        events.append((.enter, .repeated, .milliseconds(300)))
        events.append((.enter, .released, .milliseconds(301)))
        #expect(Self.outcomes(events) == [try Self.card("520A8BB9")])
    }

    @Test func lostEventsSpoilTheNumberBeingTyped() throws {
        var decoder = WedgeDecoder()
        for event in Self.typing("13764") { #expect(decoder.handle(event.key, event.action, at: event.time) == nil) }
        #expect(decoder.eventsLost() == .rejected(.eventsLost))
        #expect(decoder.eventsLost() == nil)
        let outcomes = Self.typing("1376422841\n", from: .seconds(1)).compactMap {
            decoder.handle($0.key, $0.action, at: $0.time)
        }
        #expect(outcomes == [try Self.card("520A8BB9")])
    }

    @Test func twoTapsInARowGiveTwoCards() throws {
        let events = Self.typing("1376422841\n") + Self.typing("0489AB12CD34EF\n", from: .milliseconds(150))
        #expect(Self.outcomes(events) == [try Self.card("520A8BB9"), try Self.card("0489AB12CD34EF")])
    }

    @Test func reasonsNeverHoldWhatWasTyped() {
        let typed = ["13764", "1376Q22841", "4294967296", "137642284113764228", "ABCDEF012", "\n"]
        var reasons = typed.flatMap { Self.outcomes(Self.typing($0 + "\n")) }
        reasons += Self.outcomes(Self.typing("1376422841\n", step: .milliseconds(150)))
        reasons += Self.outcomes(Self.typing("1376422841") + Self.typing("1\n", from: .seconds(1)))
        for case .rejected(let reason) in reasons {
            let text = "\(reason)"
            for number in typed where number.count >= 4 { #expect(!text.contains(number.prefix(4))) }
            #expect(!text.contains("1376"))
        }
        #expect(reasons.count == 10)
    }

    /// Random key sequences, seeded so a failure repeats: the decoder never traps, and every card it reports is a
    /// valid UID whose hex or decimal form is what was typed just before Enter.
    @Test func fuzzedKeySequencesGiveOnlyValidUIDs() {
        var generator = SplitMix64(seed: 6_2024)
        let keys: [WedgeKey] = (0...9).map { .digit($0) } + (10...15).map { .hexLetter($0) } + [.enter, .other]
        var cards = 0
        for _ in 0..<300 {
            var decoder = WedgeDecoder()
            var time = Duration.seconds(Int64.random(in: 0...1_000_000, using: &generator))
            var typed = ""  // the characters pressed since the last Enter
            for _ in 0..<Int.random(in: 1...200, using: &generator) {
                // Mostly reader-like: a run of digits, then Enter, with the odd slow gap, repeat or stray key.
                let roll = Int.random(in: 0..<100, using: &generator)
                let key: WedgeKey =
                    roll < 70
                    ? .digit(UInt8.random(in: 0...9, using: &generator))
                    : roll < 80 ? .enter : keys.randomElement(using: &generator)!
                let action: KeyAction = [.pressed, .pressed, .pressed, .released, .repeated].randomElement(
                    using: &generator)!
                time += .milliseconds(Int.random(in: 0...(roll < 95 ? 20 : 400), using: &generator))
                if action == .pressed {
                    switch key {
                    case .digit(let d): typed.append(String(d))
                    case .hexLetter(let l): typed.append(String(l, radix: 16, uppercase: true))
                    case .other: typed.append("?")
                    case .enter: break
                    }
                }
                let outcome = decoder.handle(key, action, at: time)
                if case .card(let uid) = outcome {
                    cards += 1
                    #expect([4, 7, 10].contains(uid.bytes.count))
                    let decimalMatch = (1...17).contains { length in
                        typed.count >= length && UInt64(typed.suffix(length)).map { String($0) } == uid.decimal
                            && [4, 7].contains(uid.bytes.count)
                    }
                    #expect(typed.hasSuffix(uid.hex) || decimalMatch, "card \(uid) from \(typed)")
                }
                if key == .enter, action == .pressed { typed = "" }
            }
        }
        #expect(cards > 0, "the fuzz reaches complete numbers too")
    }
}
