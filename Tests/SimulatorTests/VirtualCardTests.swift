import Core
import Testing

@testable import KioskSimulator

/// The card's answer to one APDU, as bytes (`nil` for silence or leaving).
func answer(_ card: inout VirtualCard, _ apdu: [UInt8]) -> [UInt8]? {
    guard case .send(let bytes) = card.respond(to: .apdu(apdu)) else { return nil }
    return bytes
}

let getUID: [UInt8] = [0xFF, 0xCA, 0x00, 0x00, 0x00]
let success: [UInt8] = [0x90, 0x00]

@Suite("UID cards: type-a and type-b")
struct UIDCardTests {
    @Test("the ATR request is answered with the ATR; power and reset get no answer")
    func controlMessages() {
        var card = VirtualCard(kind: .typeA)
        #expect(card.respond(to: .getATR) == .send(AnswerToReset.ektpTypeA.bytes))
        #expect(card.respond(to: .powerOn) == .silence)
        #expect(card.respond(to: .powerOff) == .silence)
        #expect(card.respond(to: .reset) == .silence)
        #expect(card.respond(to: .unknownControl(0x07)) == .silence)
    }

    @Test(
        "GET DATA with Le 00 returns the whole UID and 90 00",
        arguments: ["04A21B6C9E4F80", "5A3C9E21", "0102030405060708090A"])
    func getDataUID(hex: String) throws {
        let uid = try CardUID(hex: hex)
        var card = VirtualCard(kind: .typeA, uid: uid)
        #expect(answer(&card, getUID) == uid.bytes + success)
        #expect(answer(&card, [0xFF, 0xCA, 0x00, 0x00]) == uid.bytes + success)  // no Le at all
    }

    @Test("a Le shorter than the UID gets 6C with the exact length, a longer one the UID and 62 82")
    func getDataLe() {
        var card = VirtualCard(kind: .typeA)
        #expect(answer(&card, [0xFF, 0xCA, 0x00, 0x00, 0x04]) == [0x6C, 0x07])
        #expect(answer(&card, [0xFF, 0xCA, 0x00, 0x00, 0x07]) == card.uid.bytes + success)
        #expect(answer(&card, [0xFF, 0xCA, 0x00, 0x00, 0x0A]) == card.uid.bytes + [0x62, 0x82])
    }

    @Test("unknown instructions get 6D 00, in the reader class and, on UID-only cards, in class 00")
    func unknownInstruction() {
        for kind in [CardKind.typeA, .typeB] {
            var card = VirtualCard(kind: kind)
            #expect(answer(&card, [0xFF, 0x82, 0x00, 0x00, 0x06, 1, 2, 3, 4, 5, 6]) == [0x6D, 0x00])
            #expect(answer(&card, [0x00, 0xA4, 0x00, 0x0C, 0x02, 0x7F, 0x0A]) == [0x6D, 0x00])
            #expect(answer(&card, [0x00, 0xB0, 0x00, 0x00, 0xD0]) == [0x6D, 0x00])
        }
        var chip = VirtualCard(kind: .chip)
        #expect(answer(&chip, [0x00, 0x84, 0x00, 0x00, 0x08]) == [0x6D, 0x00])
    }

    @Test("classes other than 00 and FF get 6E 00", arguments: [0x80, 0x0C, 0xA0, 0x01] as [UInt8])
    func unknownClass(cla: UInt8) {
        for kind in CardKind.allCases {
            var card = VirtualCard(kind: kind)
            #expect(answer(&card, [cla, 0xCA, 0x00, 0x00, 0x00]) == [0x6E, 0x00])
        }
    }

    @Test("an APDU whose lengths do not add up gets 67 00")
    func malformed() {
        var card = VirtualCard(kind: .chip)
        #expect(answer(&card, [0xFF, 0xCA, 0x00]) == [0x67, 0x00])
        #expect(answer(&card, [0x00, 0xA4, 0x00, 0x0C, 0x05, 0x7F]) == [0x67, 0x00])
    }

    @Test("GET DATA P1 01 returns the ATS historical bytes on Type A; Type B and other P1-P2 get 6A 81")
    func historicalBytes() {
        var typeA = VirtualCard(kind: .typeA)
        #expect(answer(&typeA, [0xFF, 0xCA, 0x01, 0x00, 0x00]) == Array("eKTP0D2eKTP".utf8) + success)
        #expect(answer(&typeA, [0xFF, 0xCA, 0x00, 0x01, 0x00]) == [0x6A, 0x81])
        var typeB = VirtualCard(kind: .typeB)
        #expect(answer(&typeB, [0xFF, 0xCA, 0x01, 0x00, 0x00]) == [0x6A, 0x81])
    }

    @Test("type-b answers GET DATA with its 4-byte PUPI, the same bytes its ATR carries")
    func typeBPUPI() throws {
        let pupi = try CardUID(hex: "5A3C9E21")
        var card = VirtualCard(kind: .typeB, uid: pupi)
        #expect(answer(&card, getUID) == pupi.bytes + success)
        #expect(answer(&card, [0xFF, 0xCA, 0x00, 0x00, 0x02]) == [0x6C, 0x04])
        #expect(Array(card.answerToReset.bytes[5...8]) == pupi.bytes)
        #expect(VirtualCard(kind: .typeB).uid.bytes.count == 4)
    }

    @Test("type-b refuses a UID that is not 4 bytes; type-a and chip take 4, 7 and 10")
    func kindUIDRules() throws {
        #expect(CardKind.typeB.problem(with: try CardUID(hex: "04A21B6C9E4F80")) != nil)
        #expect(CardKind.typeB.problem(with: try CardUID(hex: "5A3C9E21")) == nil)
        for hex in ["5A3C9E21", "04A21B6C9E4F80", "0102030405060708090A"] {
            #expect(CardKind.typeA.problem(with: try CardUID(hex: hex)) == nil)
            #expect(CardKind.chip.problem(with: try CardUID(hex: hex)) == nil)
        }
    }
}
