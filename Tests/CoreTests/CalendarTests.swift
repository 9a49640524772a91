import Testing

@testable import Core

@Suite("Calendar")
struct CalendarTests {
    // MARK: CalendarDate

    @Test("real days are accepted, impossible ones are not")
    func validity() {
        #expect(CalendarDate(year: 2026, month: 11, day: 22) != nil)
        #expect(CalendarDate(year: 2026, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2026, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2026, month: 0, day: 1) == nil)
        #expect(CalendarDate(year: 2026, month: 13, day: 1) == nil)
        #expect(CalendarDate(year: 2026, month: 1, day: 0) == nil)
        #expect(CalendarDate(year: 2026, month: 12, day: 32) == nil)
    }

    @Test(
        "leap years follow the Gregorian rule",
        arguments: [(1900, false), (2000, true), (2024, true), (2025, false), (2100, false), (2400, true)])
    func leapYears(year: Int, leap: Bool) {
        #expect(CalendarDate.isLeap(year) == leap)
        #expect(CalendarDate.daysIn(month: 2, year: year) == (leap ? 29 : 28))
    }

    @Test("month lengths")
    func monthLengths() {
        let lengths = (1...12).map { CalendarDate.daysIn(month: $0, year: 2026) }
        #expect(lengths == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    }

    @Test("ISO form is zero-padded and parses back")
    func iso() throws {
        let date = try #require(CalendarDate(year: 1968, month: 3, day: 4))
        #expect(date.description == "1968-03-04")
        #expect(CalendarDate(iso: "1968-03-04") == date)
        #expect(CalendarDate(iso: "2026-11-22") == CalendarDate(year: 2026, month: 11, day: 22))
    }

    @Test(
        "malformed ISO dates are rejected",
        arguments: ["1968-3-4", "68-03-04", "1968/03/04", "1968-02-30", "", "1968-03-04-01", "abcd-ef-gh"])
    func isoRejected(text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test("dates order by year, month, day")
    func ordering() throws {
        let a = try #require(CalendarDate(year: 1965, month: 11, day: 2))
        let b = try #require(CalendarDate(year: 1968, month: 3, day: 14))
        let c = try #require(CalendarDate(year: 1968, month: 3, day: 15))
        #expect(a < b && b < c)
        #expect([c, a, b].sorted() == [a, b, c])
    }

    @Test("days since the epoch, known values and round trips")
    func daysSinceEpoch() throws {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)?.daysSinceEpoch == 11_017)
        #expect(CalendarDate(year: 1969, month: 12, day: 31)?.daysSinceEpoch == -1)
        #expect(CalendarDate(daysSinceEpoch: 20_414) == CalendarDate(year: 2025, month: 11, day: 22))
        for days in stride(from: -100_000, through: 100_000, by: 997) {
            let date = CalendarDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(CalendarDate(year: date.year, month: date.month, day: date.day) == date)
        }
    }

    // MARK: Timestamp

    @Test("a timestamp's WIB date changes at 17:00 UTC")
    func wibDate() {
        // 1970-01-01T16:59:59.999Z is 23:59:59.999 WIB; a millisecond later it is the next day in Lampung.
        #expect(Timestamp(millisecondsSince1970: 61_199_999).date() == CalendarDate(year: 1970, month: 1, day: 1))
        #expect(Timestamp(millisecondsSince1970: 61_200_000).date() == CalendarDate(year: 1970, month: 1, day: 2))
        #expect(
            Timestamp(millisecondsSince1970: 61_200_000).date(utcOffsetSeconds: 0)
                == CalendarDate(year: 1970, month: 1, day: 1))
        #expect(TimeZoneOffset.wib == 25_200)
    }

    @Test("a recent instant lands on the right WIB day")
    func recentWIB() throws {
        // 2026-11-21T17:30:00Z = 2026-11-22 00:30 WIB.
        let day = try #require(CalendarDate(year: 2026, month: 11, day: 21)).daysSinceEpoch
        let ms = Int64(day) * 86_400_000 + Int64(17 * 3600 + 30 * 60) * 1000
        #expect(Timestamp(millisecondsSince1970: ms).date() == CalendarDate(year: 2026, month: 11, day: 22))
        #expect(
            Timestamp(millisecondsSince1970: ms).date(utcOffsetSeconds: 0)
                == CalendarDate(year: 2026, month: 11, day: 21))
    }

    @Test("instants before 1970 round down, not toward zero")
    func negativeTimestamps() {
        #expect(
            Timestamp(millisecondsSince1970: -1).date(utcOffsetSeconds: 0)
                == CalendarDate(year: 1969, month: 12, day: 31))
        #expect(Timestamp(millisecondsSince1970: -1).date() == CalendarDate(year: 1970, month: 1, day: 1))
        #expect(Timestamp(millisecondsSince1970: -25_200_001).date() == CalendarDate(year: 1969, month: 12, day: 31))
    }

    @Test("timestamps order by milliseconds")
    func timestampOrder() {
        #expect(Timestamp(millisecondsSince1970: 1) < Timestamp(millisecondsSince1970: 2))
        #expect(!(Timestamp(millisecondsSince1970: 2) < Timestamp(millisecondsSince1970: 2)))
    }

    // MARK: IndonesianDate

    @Test("the long form as letters write it")
    func longForm() throws {
        #expect(IndonesianDate.long(try #require(CalendarDate(year: 2026, month: 11, day: 22))) == "22 November 2026")
        #expect(IndonesianDate.long(try #require(CalendarDate(year: 1968, month: 3, day: 4))) == "4 Maret 1968")
        #expect(IndonesianDate.long(try #require(CalendarDate(year: 2000, month: 8, day: 17))) == "17 Agustus 2000")
        #expect(IndonesianDate.monthNames.count == 12)
        #expect(IndonesianDate.monthNames.first == "Januari")
        #expect(IndonesianDate.monthNames.last == "Desember")
    }

    @Test(
        "Roman months and back",
        arguments: zip(1...12, ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]))
    func romanMonths(month: Int, roman: String) {
        #expect(IndonesianDate.romanMonth(month) == roman)
        #expect(IndonesianDate.month(roman: roman) == month)
    }

    @Test("unknown Roman months give nil", arguments: ["", "XIII", "iv", "IIII", "0", "M"])
    func romanRejected(text: String) {
        #expect(IndonesianDate.month(roman: text) == nil)
    }

    @Test("ISO dates take digits only", arguments: ["+968-03-14", "1968-+3-14", "1968-03--4", "1968-03-1 "])
    func isoDigitsOnly(text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }
}
