/// Whether this kiosk issued a letter number typed in maintenance ("Periksa Surat"): what the operator at the
/// counter needs to tell a letter of this kiosk from one that only looks like it. Never the holder's name or NIK.
public enum LetterCheck: Hashable, Sendable {
    /// This kiosk issued it: its kind and the day.
    case issued(kindCode: String, on: CalendarDate)
    /// In this kiosk's own numbering (its series reached it), but its record was purged after the province
    /// acknowledged it and the retention passed: the kiosk issued it, and can no longer say when.
    case purged
    /// Not a number this kiosk gave.
    case notIssued
    /// Not a letter number at all: what was typed does not have the form the kiosk prints.
    case malformed
    /// The kiosk's records could not be read.
    case failed

    /// The answer's name, for logs: never the number.
    public var name: String {
        switch self {
        case .issued: "issued"
        case .purged: "purged"
        case .notIssued: "not-issued"
        case .malformed: "malformed"
        case .failed: "failed"
        }
    }
}

/// The kiosk's own record of the letters it issued (the record store).
public protocol IssuedLetters: Sendable {
    /// Whether this kiosk issued `number`; `.failed` when its records cannot be read.
    func check(_ number: LetterNumber) async -> LetterCheck
}

/// A letter number being typed in maintenance's "Periksa Surat", and what the kiosk found for it.
public struct LetterEntry: Hashable, Sendable {
    public var typed = ""
    /// Whether the keypad shows its letters (else its digits and signs).
    public var letterPage = false
    /// While the record store looks the number up.
    public var checking = false
    /// The answer, shown instead of the keypad.
    public var result: LetterCheck?

    public init(typed: String = "") { self.typed = typed }

    /// The longest number the keypad takes: a kind code, a serial with its station, a village code, a month, a
    /// year, and room to spare.
    public static let maximumLength = 40
}
