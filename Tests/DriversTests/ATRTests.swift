import Core
import Testing

@testable import Drivers

@Suite("ATR: e-KTPs recognised by their historical bytes")
struct ATRTests {
    static func bytes(_ hex: String) -> [UInt8] {
        hex.split(separator: " ").map { UInt8($0, radix: 16)! }
    }

    /// Appends the check byte a PC/SC contactless ATR carries.
    static func withTCK(_ bytes: [UInt8]) -> [UInt8] { bytes + [bytes.dropFirst().reduce(0, ^)] }

    @Test(arguments: [
        "3B 8B 80 01 65 4B 54 50 30 44 32 65 4B 54 50",  // eKTP0D2eKTP
        "3B 8B 80 01 50 33 30 38 47 30 50 33 5F 31 30",  // P308G0P3_10
    ])
    func knownTypeAEKTPs(hex: String) {
        let atr = ATR(Self.withTCK(Self.bytes(hex)))
        #expect(atr.kind == .ektpTypeA)
        #expect(atr.kind.isEKTP)
        #expect(atr.checksumValid)
        #expect(atr.historicalBytes?.count == 11)
    }

    @Test func typeBEKTPsMatchWhateverTheirPUPI() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<100 {
            let pupi = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let atr = ATR(
                Self.withTCK([0x3B, 0x8C, 0x80, 0x01, 0x50] + pupi + [0x30, 0xAA, 0xAA, 0x01, 0x77, 0x81, 0xD7]))
            #expect(atr.kind == .ektpTypeB)
        }
    }

    @Test func otherContactlessCardsAreNotEKTPs() {
        let mifare = ATR(Self.bytes("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A"))
        #expect(mifare.kind == .contactlessTypeA)
        #expect(!mifare.kind.isEKTP)
        let otherB = ATR(
            Self.withTCK([0x3B, 0x8C, 0x80, 0x01, 0x50, 1, 2, 3, 4, 0x00, 0x00, 0x00, 0x00, 0x77, 0x81, 0xD7]))
        #expect(otherB.kind == .contactlessTypeB)
        let contact = ATR(Self.bytes("3B 9F 95 81 31 FE 9F 00 66 46 53 05 01 00 11 71 DF 00 00 03 90 00 96"))
        #expect(contact.kind == .other)
    }

    @Test(arguments: [[], [0x3B], [0x00, 0x00], [0x3B, 0x8B, 0x80], [0x3B, 0xFF, 0x11]] as [[UInt8]])
    func truncatedOrGarbageATRsAreUnreadable(bytes: [UInt8]) {
        #expect(ATR(bytes).kind == .unreadable)
        #expect(ATR(bytes).historicalBytes == nil)
    }

    @Test func theInterfaceByteChainIsFollowed() {
        // T0 = 9F: TA1 and TD1 present, 15 historical bytes; TD1 = 95: TA2 and TD2; TD2 = 81: TD3; TD3 = 31: TA4, TB4.
        let atr = ATR(Self.bytes("3B 9F 95 81 31 FE 9F 00 66 46 53 05 01 00 11 71 DF 00 00 03 90 00 96"))
        #expect(atr.historicalBytes == Self.bytes("00 66 46 53 05 01 00 11 71 DF 00 00 03 90 00"))
    }

    @Test func fuzzedATRsNeverCrashAndAreConsistent() {
        var generator = SplitMix64(seed: 2026)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...33, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !bytes.isEmpty, Bool.random(using: &generator) { bytes[0] = 0x3B }
            let atr = ATR(bytes)
            if let history = atr.historicalBytes {
                #expect(history.count == Int(bytes[1] & 0x0F))
            } else {
                #expect(atr.kind == .unreadable)
            }
            if atr.kind.isEKTP { #expect(atr.historicalBytes != nil) }
        }
    }
}
