import Testing

@testable import Core

/// Synthetic NIKs in region 18.09.07 (Lampung, Pesawaran). Not real people.
enum NIKFixtures {
    /// A woman born 14 March 1968 (day 14 + 40 = 54).
    static let woman = "1809075403680011"
    /// A man born 2 November 1965.
    static let man = "1809070211650012"

    /// A NIK in region 180907 with the given birth part `DDMMYY` and serial 0011.
    static func nik(birth: String, region: String = "180907", serial: String = "0011") -> String {
        region + birth + serial
    }
}

@Suite("NIK")
struct NIKTests {
    @Test("a woman's NIK (day + 40) is valid, female, with her real birth date")
    func validFemale() throws {
        let nik = try NIK(NIKFixtures.woman)
        #expect(nik.digits == NIKFixtures.woman)
        #expect(nik.sex == .female)
        #expect(nik.birthDate(referenceYear: 2026) == CalendarDate(year: 1968, month: 3, day: 14))
        #expect(nik.regionCode == "180907")
        #expect(nik.provinceCode == 18)
        #expect(nik.serial == "0011")
    }

    @Test("a man's NIK is valid, male, with his birth date")
    func validMale() throws {
        let nik = try NIK(NIKFixtures.man)
        #expect(nik.sex == .male)
        #expect(nik.birthDate(referenceYear: 2026) == CalendarDate(year: 1965, month: 11, day: 2))
        #expect(nik.serial == "0012")
    }

    @Test("sex labels as letters print them")
    func sexLabels() {
        #expect(Sex.male.label == "LAKI-LAKI")
        #expect(Sex.female.label == "PEREMPUAN")
        #expect(Sex.male.rawValue == "L")
        #expect(Sex.female.rawValue == "P")
    }

    @Test(
        "the two-digit year resolves to the latest century not after the reference year",
        arguments: [
            ("010605", 2026, CalendarDate(year: 2005, month: 6, day: 1)),
            ("010626", 2026, CalendarDate(year: 2026, month: 6, day: 1)),
            ("010627", 2026, CalendarDate(year: 1927, month: 6, day: 1)),
            ("010699", 2026, CalendarDate(year: 1999, month: 6, day: 1)),
            ("010600", 2026, CalendarDate(year: 2000, month: 6, day: 1)),
            ("010600", 1999, CalendarDate(year: 1900, month: 6, day: 1)),
            ("410668", 2026, CalendarDate(year: 1968, month: 6, day: 1)),
            ("710168", 2026, CalendarDate(year: 1968, month: 1, day: 31)),
        ])
    func centuryResolution(birth: String, referenceYear: Int, expected: CalendarDate?) throws {
        let nik = try NIK(NIKFixtures.nik(birth: birth))
        #expect(nik.birthDate(referenceYear: referenceYear) == expected)
    }

    @Test("29 February 00 is valid (2000 is a leap year) and resolves to 2000 whatever the reference year")
    func leapDay2000() throws {
        let nik = try NIK(NIKFixtures.nik(birth: "290200"))
        #expect(nik.birthDate(referenceYear: 2026) == CalendarDate(year: 2000, month: 2, day: 29))
        // 1900 was not a leap year, so even a reference year before 2000 (an unsynchronised clock) gives 2000.
        #expect(nik.birthDate(referenceYear: 1970) == CalendarDate(year: 2000, month: 2, day: 29))
        let woman = try NIK(NIKFixtures.nik(birth: "690200"))
        #expect(woman.sex == .female)
        #expect(woman.birthDate(referenceYear: 2026) == CalendarDate(year: 2000, month: 2, day: 29))
    }

    @Test("29 February 01 and 30 February are impossible dates", arguments: ["290201", "300204", "310404", "690201"])
    func impossibleDates(birth: String) {
        #expect(throws: NIKError.impossibleDate) { try NIK(NIKFixtures.nik(birth: birth)) }
    }

    @Test("29 February of a leap year in either century is valid", arguments: ["290204", "290296", "690284"])
    func leapDays(birth: String) throws {
        let nik = try NIK(NIKFixtures.nik(birth: birth))
        #expect(nik.birthDate(referenceYear: 2026)?.day == 29)
    }

    @Test("the masked form keeps the region and the serial and hides the birth date")
    func masked() throws {
        let nik = try NIK(NIKFixtures.woman)
        #expect(nik.masked == "180907******0011")
        #expect(try NIK(NIKFixtures.man).masked == "180907******0012")
        #expect(!nik.masked.contains("540368"))
        #expect(nik.masked.count == 16)
    }

    @Test("description and interpolation give the masked form, never the digits")
    func descriptionIsMasked() throws {
        let nik = try NIK(NIKFixtures.woman)
        #expect(nik.description == nik.masked)
        #expect("\(nik)" == "180907******0011")
        #expect(!String(describing: nik).contains(NIKFixtures.woman))
        #expect(!String(describing: [nik]).contains("540368"))
    }

    @Test(
        "a NIK must have 16 characters",
        arguments: [("180907540368001", 15), ("18090754036800111", 17), ("", 0)])
    func wrongLength(text: String, found: Int) {
        #expect(throws: NIKError.wrongLength(found: found)) { try NIK(text) }
    }

    @Test(
        "a non-digit is reported with its position (1-based)",
        arguments: [
            ("A809075403680011", 1), ("1809075403680O11", 14), ("18090754036800 1", 15), ("180907-403680011", 7),
            ("180907540368001x", 16),
        ])
    func notADigit(text: String, position: Int) {
        #expect(throws: NIKError.notADigit(position: position)) { try NIK(text) }
    }

    @Test("a leading 0 is an OpenSID temporary number")
    func temporary() {
        #expect(throws: NIKError.temporaryNumber) { try NIK("0809075403680011") }
        #expect(throws: NIKError.temporaryNumber) { try NIK("0009075403680011") }
    }

    @Test("unknown province codes are rejected", arguments: ["10", "20", "22", "30", "37", "99", "83"])
    func unknownProvince(province: String) {
        #expect(throws: NIKError.unknownProvince) { try NIK(province + "09075403680011") }
    }

    @Test("every listed province is accepted", arguments: [11, 18, 21, 31, 36, 51, 61, 65, 71, 76, 81, 82, 91, 96])
    func knownProvince(province: Int) throws {
        let nik = try NIK("\(province)09075403680011")
        #expect(nik.provinceCode == province)
    }

    @Test("regency 00 and district 00 are rejected")
    func zeroRegencyDistrict() {
        #expect(throws: NIKError.invalidRegency) { try NIK("1800075403680011") }
        #expect(throws: NIKError.invalidDistrict) { try NIK("1809005403680011") }
    }

    @Test("birth days 00, 32, 40 and 72 are invalid", arguments: ["00", "32", "40", "72", "99"])
    func invalidDay(day: String) {
        #expect(throws: NIKError.invalidDay) { try NIK(NIKFixtures.nik(birth: day + "0368")) }
    }

    @Test("birth months 00 and 13 are invalid", arguments: ["00", "13", "99"])
    func invalidMonth(month: String) {
        #expect(throws: NIKError.invalidMonth) { try NIK(NIKFixtures.nik(birth: "14" + month + "68")) }
    }

    @Test("day 31 is valid in a 31-day month, and day 71 for a woman")
    func lastDays() throws {
        #expect(try NIK(NIKFixtures.nik(birth: "310168")).birthDate(referenceYear: 2026)?.day == 31)
        #expect(try NIK(NIKFixtures.nik(birth: "711268")).sex == .female)
    }

    @Test(
        "error descriptions name the rule and never the digits",
        arguments: [
            "180907540368001", "18090754036800111", "18090754036800X1", "0809075403680011", "2009075403680011",
            "1800075403680011", "1809005403680011", "1809074003680011", "1809075413680011", "1809073104680011",
            "1809072902010011",
        ])
    func errorsHideDigits(text: String) {
        do {
            _ = try NIK(text)
            Issue.record("\(text.count)-character text was accepted")
        } catch {
            let message = error.description
            #expect(!message.isEmpty)
            #expect(!message.contains(text))
            // Neither the birth part nor the serial appears.
            let birth = String(text.dropFirst(6).prefix(6))
            #expect(!message.contains(birth))
            #expect(!message.contains(String(text.suffix(4))))
        }
    }

    @Test("NIKs are equal by their digits")
    func equality() throws {
        #expect(try NIK(NIKFixtures.woman) == NIK(NIKFixtures.woman))
        #expect(try NIK(NIKFixtures.woman) != NIK(NIKFixtures.man))
        #expect(Set([try NIK(NIKFixtures.woman), try NIK(NIKFixtures.woman)]).count == 1)
    }

    @Test("a resident's description shows only the masked NIK")
    func residentDescription() throws {
        let resident = Resident(
            nik: try NIK(NIKFixtures.woman), name: "SITI AMINAH", birthPlace: "PESAWARAN",
            birthDate: CalendarDate(year: 1968, month: 3, day: 14)!, sex: .female, address: "Jl. Raya Gedong Tataan",
            rt: "001", rw: "002", religion: "ISLAM", maritalStatus: "KAWIN", occupation: "PETANI")
        #expect(resident.description == "Resident(nik: 180907******0011)")
        #expect(!resident.description.contains("SITI"))
        #expect(resident.nationality == "WNI")
    }
}
