import Core
import Testing

@testable import KioskSimulator

@Suite("contactless ATRs")
struct AnswerToResetTests {
    @Test("Type A is the listed NXP e-KTP ATR byte for byte, its last byte a correct TCK")
    func typeA() {
        let listed: [UInt8] = [
            0x3B, 0x8B, 0x80, 0x01, 0x65, 0x4B, 0x54, 0x50, 0x30, 0x44, 0x32, 0x65, 0x4B, 0x54, 0x50, 0x4C,
        ]
        #expect(AnswerToReset.ektpTypeA.bytes == listed)
        #expect(AnswerToReset.ektpTypeA.hasValidCheckByte)
        #expect(AnswerToReset.ektpTypeA.historicalBytes == Array("eKTP0D2eKTP".utf8))
        #expect(VirtualCard(kind: .chip).answerToReset == .ektpTypeA)
    }

    /// Two Type B e-KTP ATRs from pcsc-tools' smartcard_list.txt: the builder must reproduce them from the PUPI.
    @Test(
        "Type B reproduces listed e-KTP ATRs from their PUPI, TCK included",
        arguments: [
            ([0x53, 0x81, 0x57, 0x36], 0xFE),
            ([0x5C, 0xF5, 0xA9, 0x45], 0x08),
        ] as [([UInt8], UInt8)])
    func typeB(pupi: [UInt8], tck: UInt8) {
        let expected: [UInt8] =
            [0x3B, 0x8C, 0x80, 0x01, 0x50] + pupi + [0x30, 0xAA, 0xAA, 0x01, 0x77, 0x81, 0xD7, tck]
        #expect(AnswerToReset.ektpTypeB(pupi: pupi).bytes == expected)
    }

    @Test("a type-b card puts its UID into the ATR; a changed byte breaks the TCK")
    func typeBCardATR() throws {
        let card = VirtualCard(kind: .typeB, uid: try CardUID(hex: "A1B2C3D4"))
        #expect(Array(card.answerToReset.bytes[5...8]) == [0xA1, 0xB2, 0xC3, 0xD4])
        #expect(card.answerToReset.hasValidCheckByte)
        var corrupted = card.answerToReset.bytes
        corrupted[6] ^= 0x01
        #expect(AnswerToReset.checkByte(corrupted.dropFirst()) != 0)
    }
}
