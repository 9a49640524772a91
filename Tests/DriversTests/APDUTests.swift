import Testing

@testable import Drivers

@Suite("APDUs: golden bytes for every case, short and extended")
struct APDUTests {
    @Test func case1HeaderOnly() {
        #expect(CommandAPDU(cla: 0x00, ins: 0xA4, p1: 0x04, p2: 0x00).bytes == [0x00, 0xA4, 0x04, 0x00])
    }

    @Test func case2ShortWithLe() {
        #expect(CommandAPDU.getUID.bytes == [0xFF, 0xCA, 0x00, 0x00, 0x00], "Le 256 is encoded as 00")
        #expect(CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, le: 208).bytes == [0, 0xB0, 0, 0, 0xD0])
    }

    @Test func case3And4Short() {
        #expect(
            CommandAPDU(cla: 0, ins: 0xA4, p1: 0, p2: 0, data: [0x7F, 0x0A]).bytes == [0, 0xA4, 0, 0, 2, 0x7F, 0x0A])
        #expect(
            CommandAPDU(cla: 0, ins: 0xA4, p1: 4, p2: 0, data: [0xA0], le: 256).bytes == [0, 0xA4, 4, 0, 1, 0xA0, 0])
    }

    @Test func extendedLengths() {
        let data = [UInt8](repeating: 0xAB, count: 300)
        let case3 = CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: data)
        #expect(case3.isExtended)
        #expect(Array(case3.bytes.prefix(7)) == [0, 0xD6, 0, 0, 0x00, 0x01, 0x2C])
        #expect(case3.bytes.count == 7 + 300)
        #expect(CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, le: 65536).bytes == [0, 0xB0, 0, 0, 0, 0, 0])
        #expect(CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, le: 1000).bytes == [0, 0xB0, 0, 0, 0, 0x03, 0xE8])
        let case4 = CommandAPDU(cla: 0, ins: 0x2A, p1: 0x9E, p2: 0x9A, data: data, le: 512)
        #expect(Array(case4.bytes.suffix(2)) == [0x02, 0x00])
        #expect(case4.bytes.count == 7 + 300 + 2)
    }

    @Test func responsesSplitDataAndStatusWord() throws {
        let response = try #require(ResponseAPDU(bytes: [0x04, 0xA2, 0x90, 0x00]))
        #expect(response.data == [0x04, 0xA2])
        #expect(response.isSuccess)
        #expect(ResponseAPDU(bytes: [0x6C, 0x07])?.statusWord == 0x6C07)
        #expect(ResponseAPDU(bytes: [0x90]) == nil)
        #expect(ResponseAPDU(bytes: []) == nil)
    }

    @Test func pcscErrorsSpeakToTechnicians() {
        let gone = PCSCError(code: PCSC.code(.noService), call: "SCardEstablishContext")
        #expect(gone.isServiceGone)
        #expect("\(gone)".contains("pcscd is not running"))
        let removed = PCSCError(code: PCSC.code(.removedCard), call: "SCardTransmit")
        #expect(removed.isCardGone)
        #expect(!removed.isServiceGone)
        #expect("\(PCSCError(code: 0x1234, call: "SCardConnect"))" == "SCardConnect failed with pcsc-lite error 0x1234")
    }

    @Test func everyNamedCodeHasADistinctValue() {
        let values = PCSCCode.allCases.map(PCSC.code)
        #expect(Set(values).count == values.count)
        for code in PCSCCode.allCases { #expect(PCSCCode(rawValue: PCSC.code(code)) == code) }
    }
}
