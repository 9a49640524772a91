/// Turns what a keyboard-wedge card reader types into card UIDs.
///
/// A wedge reader is a USB keyboard: on each tap it types the card's UID and Enter, a few milliseconds per key.
/// Most type the UID's bytes as one big-endian decimal number (10 digits, zero-padded, for 4-byte UIDs; 11-17 for
/// 7-byte ones); some type the hex (8, 14 or 20 characters). Anything else that reaches Enter (a partial read, a
/// stray key, a person typing) is rejected with a reason a technician can act on.
///
/// Pure: the caller passes each key with its timestamp (the kernel's, for evdev), so tests replay exact timings.
/// Reasons never contain what was typed: the card number identifies a resident.
public struct WedgeDecoder: Sendable {
    public enum Outcome: Hashable, Sendable {
        /// A complete number and Enter.
        case card(CardUID)
        case rejected(Rejection)
    }

    /// Why typed input was not a card. Holds counts and limits only, never the characters.
    public enum Rejection: Hashable, Sendable, CustomStringConvertible {
        /// Enter with nothing typed before it.
        case enterAlone
        /// Enter after fewer characters than any card number has: usually a card that left the field mid-read.
        case tooShort(count: Int)
        /// Enter after more characters than any card number has.
        case tooLong(count: Int)
        /// A key other than 0-9 and A-F came before Enter.
        case unexpectedKey
        /// Keys came further apart than `limit`: a person typing, or a reader set to type slowly.
        case tooSlow(limit: Duration)
        /// A burst of keys stopped without Enter.
        case noEnter(count: Int)
        /// Hex of a length no UID has (4, 7 or 10 bytes are 8, 14 or 20 characters).
        case notAUID(count: Int)
        /// A decimal number too large for the UID its length implies (10 digits: 4 bytes; 11-17: 7 bytes).
        case numberTooLarge(digits: Int)
        /// The system dropped key events while the reader typed (evdev `SYN_DROPPED`).
        case eventsLost

        public var description: String {
            switch self {
            case .enterAlone: "Enter with nothing typed before it"
            case .tooShort(let count):
                "Enter after \(count) character\(count == 1 ? "" : "s"): too few for a card number (card taken away?)"
            case .tooLong(let count): "Enter after \(count) characters: more than any card number has"
            case .unexpectedKey: "a key other than 0-9 and A-F came before Enter"
            case .tooSlow(let limit):
                "keys more than \(limit.milliseconds) ms apart: typed by hand, or a reader set too slow"
            case .noEnter(let count):
                "\(count) keys without Enter: the reader must end each number with Enter"
            case .notAUID(let count): "\(count) hex characters: a card UID has 8, 14 or 20"
            case .numberTooLarge(let digits):
                "a \(digits)-digit number too large for a \(digits <= 10 ? 4 : 7)-byte card UID"
            case .eventsLost: "key events were lost while the reader typed (system too busy)"
            }
        }
    }

    /// Keys further apart than this are not one reader's number. Readers type a key every few milliseconds;
    /// people need 30-50 ms at the very least, usually far more.
    public let maximumKeyInterval: Duration
    /// The fewest digits a decimal number may have. Readers zero-pad 4-byte UIDs to 10 digits, and OpenSID's
    /// `CardTag` reads shorter all-digit text as hex; lower it (to 8, say) only for a reader that drops leading
    /// zeros. All-digit text of 8 characters is then read as decimal, not hex.
    public let minimumDecimalDigits: Int

    /// The longest number of any form: 20 hex characters for a 10-byte UID.
    static let longest = 20
    /// The longest decimal number: a 7-byte UID has at most 17 digits.
    static let longestDecimal = 17

    /// The digits and letters typed since the last Enter, as values 0-15 (at most `longest + 1` are kept).
    private var values: [UInt8] = []
    /// Keys of any kind since the last Enter, `.other` included.
    private var count = 0
    private var hasLetter = false
    private var hasOther = false
    private var lastPress: Duration?
    /// A lone key was dropped for slowness since the last Enter: input that then fails to be a number is a person
    /// typing, and says so.
    private var slowKeysBefore = false

    public init(maximumKeyInterval: Duration = .milliseconds(100), minimumDecimalDigits: Int = 10) {
        self.maximumKeyInterval = maximumKeyInterval
        self.minimumDecimalDigits = min(max(minimumDecimalDigits, 1), 10)
    }

    /// Feeds one key event; returns an outcome when the event completes or abandons a number.
    ///
    /// `time` only needs a fixed origin across calls (evdev's event time since its clock's epoch). Only presses
    /// count: releases and autorepeat are ignored.
    public mutating func handle(_ key: WedgeKey, _ action: KeyAction, at time: Duration) -> Outcome? {
        guard action == .pressed else { return nil }
        defer { lastPress = time }
        let late = count > 0 && lastPress.map { time - $0 > maximumKeyInterval } == true
        if key == .enter {
            defer { clear(slowKeys: false) }
            if late { return .rejected(.tooSlow(limit: maximumKeyInterval)) }
            // After stray slow keys, whatever fails to be a number is a person typing.
            let outcome = finish()
            if case .rejected = outcome, slowKeysBefore { return .rejected(.tooSlow(limit: maximumKeyInterval)) }
            return outcome
        }
        var outcome: Outcome?
        if late {
            // What was typed so far stopped: a lone key is a stray press (forgotten quietly, the typing may be
            // slow), a burst is a reader that sends no Enter.
            let burst = count
            let spoiled = hasOther
            clear(slowKeys: burst == 1)
            if burst > 1 { outcome = .rejected(spoiled ? .unexpectedKey : .noEnter(count: burst)) }
        }
        count += 1
        switch key {
        case .digit(let value) where value <= 9:
            append(value)
        case .hexLetter(let value) where (10...15).contains(value):
            append(value)
            hasLetter = true
        default:
            hasOther = true
        }
        return outcome
    }

    /// The system dropped events (evdev `SYN_DROPPED`): a number being typed cannot be trusted.
    public mutating func eventsLost() -> Outcome? {
        defer { clear(slowKeys: false) }
        return count > 0 ? .rejected(.eventsLost) : nil
    }

    /// Forgets everything typed (the reader was unplugged).
    public mutating func reset() {
        clear(slowKeys: false)
        lastPress = nil
    }

    private mutating func append(_ value: UInt8) {
        if values.count <= Self.longest { values.append(value) }
    }

    private mutating func clear(slowKeys: Bool) {
        values.removeAll(keepingCapacity: true)
        count = 0
        hasLetter = false
        hasOther = false
        slowKeysBefore = slowKeys
    }

    /// The outcome of an Enter that came in time.
    private func finish() -> Outcome {
        guard count > 0 else { return .rejected(.enterAlone) }
        if hasOther { return .rejected(.unexpectedKey) }
        if count > Self.longest { return .rejected(.tooLong(count: count)) }
        let decimal = minimumDecimalDigits...Self.longestDecimal
        if !hasLetter, decimal.contains(count) { return Self.decimalUID(values) }
        // All-digit text of another length is hex (as `CardTag` reads it) when it has a UID's hex length.
        if !hasLetter, ![8, 20].contains(count) {
            return .rejected(count < minimumDecimalDigits ? .tooShort(count: count) : .tooLong(count: count))
        }
        guard [8, 14, 20].contains(count) else {
            return .rejected(count < 8 ? .tooShort(count: count) : .notAUID(count: count))
        }
        let bytes = stride(from: 0, to: count, by: 2).map { values[$0] << 4 | values[$0 + 1] }
        return Self.outcome(bytes)
    }

    /// A decimal number of up to 10 digits as 4 big-endian bytes, of 11-17 digits as 7.
    private static func decimalUID(_ digits: [UInt8]) -> Outcome {
        // At most 17 digits: below 10^17, far inside UInt64.
        let number = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1) }
        let width = digits.count <= 10 ? 4 : 7
        guard number >> (8 * UInt64(width)) == 0 else { return .rejected(.numberTooLarge(digits: digits.count)) }
        return outcome((0..<width).reversed().map { UInt8(truncatingIfNeeded: number >> (8 * UInt64($0))) })
    }

    private static func outcome(_ bytes: [UInt8]) -> Outcome {
        do throws(CardUIDError) {
            return .card(try CardUID(bytes: bytes))
        } catch {
            return .rejected(.notAUID(count: bytes.count * 2))  // unreachable: callers pass 4, 7 or 10 bytes
        }
    }
}
