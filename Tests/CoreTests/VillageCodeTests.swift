import Testing

@testable import Core

@Suite("VillageCode")
struct VillageCodeTests {
    @Test("plain and dotted forms are valid and equal", arguments: ["1809072001", "18.09.07.2001"])
    func valid(text: String) throws {
        let code = try VillageCode(text)
        #expect(code.digits == "1809072001")
        #expect(code.dotted == "18.09.07.2001")
        #expect(code.description == "18.09.07.2001")
        #expect(code == (try VillageCode("1809072001")))
    }

    @Test("a kelurahan (1xxx) is valid too")
    func kelurahan() throws {
        #expect(try VillageCode("1871011001").dotted == "18.71.01.1001")
    }

    @Test(
        "anything but ten digits is rejected",
        arguments: ["180907200", "18090720011", "", "18.09.07.200", "18O9072001", "18 09 07 2001", "１８０９０７２００１"])
    func notTenDigits(text: String) {
        #expect(throws: VillageCodeError.notTenDigits) { try VillageCode(text) }
    }

    @Test("an unknown province is rejected and named", arguments: [10, 20, 99])
    func unknownProvince(province: Int) {
        #expect(throws: VillageCodeError.unknownProvince(province)) { try VillageCode("\(province)09072001") }
        #expect(VillageCodeError.unknownProvince(province).description.hasPrefix("\(province)"))
    }

    @Test("province 00 is reported zero-padded")
    func provinceZero() {
        #expect(throws: VillageCodeError.unknownProvince(0)) { try VillageCode("0009072001") }
        #expect(VillageCodeError.unknownProvince(0).description.hasPrefix("00 "))
    }

    @Test("regency 00 and district 00 are rejected")
    func zeroParts() {
        #expect(throws: VillageCodeError.zeroRegency) { try VillageCode("1800072001") }
        #expect(throws: VillageCodeError.zeroDistrict) { try VillageCode("18.09.00.2001") }
    }

    @Test("the last four digits start with 1 or 2", arguments: ["1809073001", "1809070001", "1809079001"])
    func notVillageNumber(text: String) {
        #expect(throws: VillageCodeError.notVillageNumber) { try VillageCode(text) }
    }
}
