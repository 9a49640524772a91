/// A day in the proleptic Gregorian calendar, without a time or a time zone: a birth date, the date printed on a
/// letter. Core keeps its own because it has no Foundation and no clock.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns `nil` unless the three numbers name a real day (so 29 February only in leap years).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// ISO 8601 form, `2026-11-22`.
    public var description: String {
        "\(year)-\(month.zeroPadded(2))-\(day.zeroPadded(2))"
    }

    /// Parses `YYYY-MM-DD`, the form of OpenSID exports.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The day `days` later (earlier when negative): "valid until" dates.
    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// `20261124`: the compact form of QR payloads.
    public var compact: String { "\(year.zeroPadded(4))\(month.zeroPadded(2))\(day.zeroPadded(2))" }

    /// The inverse of `daysSinceEpoch` (Hinnant's `civil_from_days`).
    public init(daysSinceEpoch z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }
}

/// A point in time as milliseconds since 1970-01-01T00:00:00Z. The kiosk's wall clock lives in Kiosk; Core only
/// computes with the numbers it is handed.
public struct Timestamp: Hashable, Comparable, Sendable, Codable {
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        a.millisecondsSince1970 < b.millisecondsSince1970
    }

    /// The calendar day this instant falls on at a fixed offset from UTC. Lampung keeps WIB, UTC+7, all year.
    public func date(utcOffsetSeconds: Int = TimeZoneOffset.wib) -> CalendarDate {
        let seconds = Int(millisecondsSince1970.floorDivided(by: 1000)) + utcOffsetSeconds
        return CalendarDate(daysSinceEpoch: seconds.floorDivided(by: 86_400))
    }
}

public enum TimeZoneOffset {
    /// Waktu Indonesia Barat, UTC+7, without daylight saving.
    public static let wib = 7 * 3600
}

extension BinaryInteger {
    func floorDivided(by d: Self) -> Self {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }

    /// Decimal digits, left-padded with zeros to `width`.
    func zeroPadded(_ width: Int) -> String {
        let digits = String(self)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
