/// Nomor Induk Kependudukan: the 16-digit national identity number, `PPRRSS DDMMYY XXXX` (province, regency,
/// district at issuance; birth date with day + 40 for women; serial).
///
/// Printing a `NIK` with `\(nik)` gives the masked form, so a NIK that slips into a log line or an error message
/// stays masked; the full number is only ever read through `digits`, on purpose.
public struct NIK: Hashable, Sendable, CustomStringConvertible {
    /// The sixteen ASCII digits.
    public let digits: String

    public init(_ text: some StringProtocol) throws(NIKError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16 else { throw .wrongLength(found: bytes.count) }
        if let bad = bytes.firstIndex(where: { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            throw .notADigit(position: bad + 1)
        }
        let d = bytes.map { Int($0 - UInt8(ascii: "0")) }
        func number(_ from: Int, _ count: Int) -> Int { d[from..<from + count].reduce(0) { $0 * 10 + $1 } }

        if d[0] == 0 { throw .temporaryNumber }
        guard NIK.provinceCodes.contains(number(0, 2)) else { throw .unknownProvince }
        guard number(2, 2) != 0 else { throw .invalidRegency }
        guard number(4, 2) != 0 else { throw .invalidDistrict }
        let encodedDay = number(6, 2)
        guard (1...31).contains(encodedDay) || (41...71).contains(encodedDay) else { throw .invalidDay }
        let month = number(8, 2)
        guard (1...12).contains(month) else { throw .invalidMonth }
        let yy = number(10, 2)
        let day = encodedDay % 40
        // The two-digit year is ambiguous: the date must exist in 19yy or 20yy (29 February 1900 does not).
        guard
            CalendarDate(year: 1900 + yy, month: month, day: day) != nil
                || CalendarDate(year: 2000 + yy, month: month, day: day) != nil
        else { throw .impossibleDate }
        self.digits = String(decoding: bytes, as: UTF8.self)
    }

    private func number(_ from: Int, _ count: Int) -> Int {
        Int(digits.utf8.dropFirst(from).prefix(count).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
    }

    /// The province, regency and district of issuance, `PPRRSS`.
    public var regionCode: String { String(digits.prefix(6)) }
    public var provinceCode: Int { number(0, 2) }
    public var serial: String { String(digits.suffix(4)) }

    public var sex: Sex { number(6, 2) > 40 ? .female : .male }

    /// The birth date, resolving the two-digit year to the latest century that does not put it after
    /// `referenceYear` (the current year, which Core does not know by itself).
    public func birthDate(referenceYear: Int) -> CalendarDate? {
        let yy = number(10, 2)
        let month = number(8, 2)
        let day = number(6, 2) % 40
        let century = 2000 + yy <= referenceYear ? 2000 : 1900
        // 29 February 00 exists in 2000 only: fall back to the other century rather than to none.
        return CalendarDate(year: century + yy, month: month, day: day)
            ?? CalendarDate(year: (century == 2000 ? 1900 : 2000) + yy, month: month, day: day)
    }

    /// The form for slips and screens: the region code and the serial stay, the birth date is hidden:
    /// `180907******0011`.
    public var masked: String { regionCode + "******" + serial }

    public var description: String { masked }

    /// Province codes of Permendagri 56/2015 and the 2022 Papua provinces.
    static let provinceCodes: Set<Int> = Set(11...19).union([21]).union(31...36).union(51...53)
        .union(61...65).union(71...76).union(81...82).union(91...96)
}

public enum Sex: String, Hashable, Sendable, CaseIterable {
    case male = "L"
    case female = "P"

    /// As letters print it.
    public var label: String { self == .male ? "LAKI-LAKI" : "PEREMPUAN" }
}

/// Why a text is not a valid NIK. The message names the rule, never the digits.
public enum NIKError: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongLength(found: Int)
    case notADigit(position: Int)
    /// A leading 0 marks OpenSID's temporary numbers, not an e-KTP's.
    case temporaryNumber
    case unknownProvince
    case invalidRegency
    case invalidDistrict
    case invalidDay
    case invalidMonth
    case impossibleDate

    public var description: String {
        switch self {
        case .wrongLength(let n): "a NIK has 16 digits, this one has \(n)"
        case .notADigit(let p): "a NIK holds digits only; character \(p) is not a digit"
        case .temporaryNumber: "a NIK starting with 0 is a temporary number, not one from an e-KTP"
        case .unknownProvince: "the first two digits are not an Indonesian province code"
        case .invalidRegency: "the regency part (digits 3-4) is 00"
        case .invalidDistrict: "the district part (digits 5-6) is 00"
        case .invalidDay: "the birth-day part (digits 7-8) must be 01-31, or 41-71 for women"
        case .invalidMonth: "the birth-month part (digits 9-10) must be 01-12"
        case .impossibleDate: "the birth date (digits 7-12) is not a real calendar date"
        }
    }
}
