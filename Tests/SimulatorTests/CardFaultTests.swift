import Core
import Testing

@testable import KioskSimulator

@Suite("faults")
struct CardFaultTests {
    @Test("mute answers no APDU but still gives the reader its ATR")
    func mute() {
        var card = VirtualCard(kind: .typeA, fault: .mute)
        #expect(card.respond(to: .apdu(getUID)) == .silence)
        #expect(card.respond(to: .apdu(ChipTests.selectDF)) == .silence)
        #expect(card.respond(to: .getATR) == .send(AnswerToReset.ektpTypeA.bytes))
    }

    @Test("garbage is 1-5 bytes that never end in a status word, and a seed replays it")
    func garbage() {
        var card = VirtualCard(kind: .typeA, fault: .garbage, random: SplitMix64(seed: 42))
        var lengths: Set<Int> = []
        var answers: [[UInt8]] = []
        for _ in 0..<500 {
            guard case .send(let bytes) = card.respond(to: .apdu(getUID)) else {
                Issue.record("garbage must answer something")
                return
            }
            #expect((1...5).contains(bytes.count))
            if bytes.count >= 2 { #expect(!StatusWord.isPlausible(sw1: bytes[bytes.count - 2])) }
            #expect(bytes != card.uid.bytes + success)
            lengths.insert(bytes.count)
            answers.append(bytes)
        }
        #expect(lengths == [1, 2, 3, 4, 5])
        var replay = VirtualCard(kind: .typeA, fault: .garbage, random: SplitMix64(seed: 42))
        let replayed = (0..<500).map { _ in answer(&replay, getUID) }
        #expect(replayed == answers)
    }

    @Test("wrong-length answers GET DATA UID with 2 bytes and 90 00, whatever the UID length")
    func wrongLength() throws {
        for hex in ["04A21B6C9E4F80", "5A3C9E21"] {
            let uid = try CardUID(hex: hex)
            var card = VirtualCard(kind: .typeA, uid: uid, fault: .wrongLength)
            #expect(answer(&card, getUID) == Array(uid.bytes.prefix(2)) + success)
        }
        var chip = VirtualCard(kind: .chip, fault: .wrongLength)
        #expect(answer(&chip, ChipTests.selectDF) == success)
    }

    @Test("6f00 answers every APDU with 6F 00")
    func sixF00() {
        for kind in CardKind.allCases {
            var card = VirtualCard(kind: kind, fault: .sixF00)
            for apdu in [getUID, ChipTests.selectDF, [0x80, 0x00, 0x00, 0x00], [0x00]] {
                #expect(answer(&card, apdu) == [0x6F, 0x00])
            }
        }
    }

    @Test("remove-mid-apdu leaves on the first APDU, not on the ATR poll")
    func removeMidAPDU() {
        var card = VirtualCard(kind: .chip, fault: .removeMidAPDU)
        #expect(card.respond(to: .powerOn) == .silence)
        #expect(card.respond(to: .getATR) == .send(AnswerToReset.ektpTypeA.bytes))
        #expect(card.respond(to: .apdu(getUID)) == .leave)
    }
}
