import Testing

@testable import KioskSimulator

@Suite("command APDUs")
struct CommandAPDUTests {
    @Test("the four ISO 7816-3 cases parse into data and Le")
    func cases() throws {
        let case1 = try #require(CommandAPDU([0x00, 0xA4, 0x00, 0x00]))
        #expect(case1.data.isEmpty && case1.le == nil && case1.expectedLength == 0)
        let case2 = try #require(CommandAPDU([0x00, 0xB0, 0x00, 0xD0, 0x00]))
        #expect(case2.p2 == 0xD0 && case2.le == 0 && case2.expectedLength == 256)
        let case3 = try #require(CommandAPDU([0x00, 0xA4, 0x00, 0x0C, 0x02, 0x7F, 0x0A]))
        #expect(case3.data == [0x7F, 0x0A] && case3.le == nil)
        let case4 = try #require(CommandAPDU([0x00, 0xA4, 0x02, 0x00, 0x02, 0x6F, 0xF1, 0x10]))
        #expect(case4.data == [0x6F, 0xF1] && case4.expectedLength == 16)
    }

    @Test(
        "length fields that do not add up are rejected",
        arguments: [
            [0x00, 0xA4, 0x00], [0x00, 0xA4, 0x00, 0x0C, 0x03, 0x7F, 0x0A], [0x00, 0xA4, 0x00, 0x0C, 0x00, 0x01],
        ]
            as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        #expect(CommandAPDU(bytes) == nil)
    }
}
