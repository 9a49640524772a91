package import Core
import Foundation

/// What a new PIN must be: `pin_length` digits, and not one of the first guesses of whoever finds a lost card.
/// Three wrong PINs lock a card, so a guesser gets three tries: the PINs refused here are the ones they would try.
package enum PINRules {
    /// Why a PIN is refused. Messages name the rule, never the digits.
    package enum Problem: Error, Equatable, CustomStringConvertible {
        case wrongLength(expected: Int)
        case notDigits
        case sameDigit
        case run
        case birthDate

        package var description: String {
            switch self {
            case .wrongLength(let n): "a PIN has exactly \(n) digits (identity.pin_length)"
            case .notDigits: "a PIN holds the digits 0-9 only"
            case .sameDigit: "the PIN repeats one digit; choose one that is hard to guess"
            case .run: "the PIN is a run of consecutive digits, up or down; choose one that is hard to guess"
            case .birthDate:
                "the PIN is the resident's birth date, which is printed on the e-KTP; choose one that is hard to guess"
            }
        }
    }

    /// The PIN in `text` (as typed, surrounding spaces ignored), or why it is refused.
    package static func check(_ text: String, length: Int, resident: Resident?) throws(Problem) -> PIN {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard typed.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notDigits }
        guard typed.count == length else { throw .wrongLength(expected: length) }
        let digits = typed.utf8.map { $0 - UInt8(ascii: "0") }
        if Set(digits).count == 1 { throw .sameDigit }
        let steps = Set(zip(digits, digits.dropFirst()).map { (Int($1) - Int($0) + 10) % 10 })
        if steps == [1] || steps == [9] { throw .run }
        if let resident, birthDateForms(resident).contains(String(typed)) { throw .birthDate }
        return PIN(digits: digits)
    }

    /// The birth date written the ways people write it (DDMMYY first), and the NIK's date digits, which carry
    /// day + 40 for women.
    static func birthDateForms(_ resident: Resident) -> Set<String> {
        let date = resident.birthDate
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n % 100)" }
        let (dd, mm, yy, yyyy) = (two(date.day), two(date.month), two(date.year % 100), String(date.year))
        let nikDate = String(resident.nik.digits.dropFirst(6).prefix(6))
        return [
            dd + mm + yy, yy + mm + dd, mm + dd + yy, dd + mm + yyyy, yyyy + mm + dd, mm + dd + yyyy, dd + mm,
            mm + dd, yyyy, nikDate, String(nikDate.prefix(4)),
        ]
    }
}
