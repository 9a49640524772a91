import Testing

@testable import Core

@Suite("CardUID")
struct CardUIDTests {
    /// Reader-order bytes and the decimal tag a keyboard-wedge reader types for them (OpenSID `tag_id_card`).
    static let tagFixtures: [([UInt8], String)] = [
        ([0x52, 0x0A, 0x8B, 0xB9], "1376422841"),
        ([0xB3, 0x95, 0x03, 0xA9], "3012887465"),
        ([0x04, 0xA2, 0x1B, 0x6C, 0x9E, 0x4F, 0x80], "1304138576973696"),
        ([0xAB, 0x29, 0xF8, 0x5A], "2871654490"),
    ]

    @Test("4-, 7- and 10-byte UIDs are accepted", arguments: [4, 7, 10])
    func acceptedLengths(count: Int) throws {
        let bytes = (0..<count).map { UInt8(0x10 + $0) }
        let uid = try CardUID(bytes: bytes)
        #expect(uid.bytes == bytes)
    }

    @Test("other lengths are rejected with the length found", arguments: [0, 1, 5, 6, 8, 11, 16])
    func rejectedLengths(count: Int) {
        #expect(throws: CardUIDError.wrongLength(found: count)) {
            try CardUID(bytes: [UInt8](repeating: 0xAB, count: count))
        }
    }

    @Test("hex is upper case in reader order, zero-padded per byte")
    func hexForm() throws {
        let uid = try CardUID(bytes: [0x04, 0xA2, 0x1B, 0x6C, 0x9E, 0x4F, 0x80])
        #expect(uid.hex == "04A21B6C9E4F80")
        #expect(uid.description == "04A21B6C9E4F80")
        #expect(try CardUID(bytes: [0, 1, 0x0F, 0xF0]).hex == "00010FF0")
    }

    @Test(
        "hex parses with separators and in lower case",
        arguments: ["04:A2:1B:6C:9E:4F:80", "04 a2 1b 6c 9e 4f 80", "04-a2-1B-6c-9E-4f-80", "04a21b6c9e4f80"])
    func hexParse(text: String) throws {
        let uid = try CardUID(hex: text)
        #expect(uid.bytes == [0x04, 0xA2, 0x1B, 0x6C, 0x9E, 0x4F, 0x80])
    }

    @Test("hex parse round-trips the hex form")
    func hexRoundTrip() throws {
        for (bytes, _) in Self.tagFixtures {
            let uid = try CardUID(bytes: bytes)
            #expect(try CardUID(hex: uid.hex) == uid)
        }
    }

    @Test("malformed hex is rejected", arguments: ["04A2G1B6", "04A21B6", "0x04A21B6C", "04A2 1B6"])
    func hexRejected(text: String) {
        #expect(throws: CardUIDError.notHex) { try CardUID(hex: text) }
    }

    @Test("well-formed hex of the wrong length is rejected as a length error")
    func hexWrongLength() {
        #expect(throws: CardUIDError.wrongLength(found: 0)) { try CardUID(hex: "") }
        #expect(throws: CardUIDError.wrongLength(found: 5)) { try CardUID(hex: "0102030405") }
    }

    @Test("the OpenSID tag is the big-endian decimal", arguments: CardUIDTests.tagFixtures)
    func openSIDTag(bytes: [UInt8], tag: String) throws {
        let uid = try CardUID(bytes: bytes)
        #expect(uid.openSIDTag == tag)
        #expect(uid.matches(tag: tag))
    }

    @Test("decimal agrees with 64-bit arithmetic")
    func decimalAgreesWithUInt64() throws {
        for (bytes, _) in Self.tagFixtures {
            let value = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(try CardUID(bytes: bytes).decimal == String(value))
        }
    }

    @Test("a 4-byte UID with a small value is zero-padded to ten digits")
    func zeroPadded() throws {
        let uid = try CardUID(bytes: [0x00, 0x00, 0x01, 0x00])
        #expect(uid.openSIDTag == "0000000256")
        #expect(uid.decimal == "256")
        #expect(try CardUID(bytes: [0, 0, 0, 0]).openSIDTag == "0000000000")
        #expect(uid.matches(tag: "0000000256"))
        #expect(uid.matches(tag: "00000000256"))
    }

    @Test("reversed tags read the bytes backwards")
    func reversedTag() throws {
        let uid = try CardUID(bytes: [0x52, 0x0A, 0x8B, 0xB9])
        #expect(uid.reversed.bytes == [0xB9, 0x8B, 0x0A, 0x52])
        #expect(uid.reversedOpenSIDTag == "3112897106")
        #expect(uid.reversed.openSIDTag == uid.reversedOpenSIDTag)
        #expect(uid.reversed.reversed == uid)
    }

    @Test("a reversed tag matches only when allowed")
    func reversedMatchOnlyWhenAllowed() throws {
        let uid = try CardUID(bytes: [0x52, 0x0A, 0x8B, 0xB9])
        let reversedTag = try #require(uid.reversedOpenSIDTag)
        #expect(!uid.matches(tag: reversedTag))
        #expect(!uid.matches(tag: reversedTag, allowReversed: false))
        #expect(uid.matches(tag: reversedTag, allowReversed: true))
        // The straight tag matches either way.
        #expect(uid.matches(tag: "1376422841", allowReversed: true))
        #expect(!uid.matches(tag: "B98B0A52"))
        #expect(uid.matches(tag: "B98B0A52", allowReversed: true))
    }

    @Test("decimal tags compare as numbers: leading zeros and surrounding spaces do not matter")
    func leadingZeros() throws {
        let uid = try CardUID(bytes: [0x04, 0xA2, 0x1B, 0x6C, 0x9E, 0x4F, 0x80])
        #expect(uid.matches(tag: "1304138576973696"))
        #expect(uid.matches(tag: "01304138576973696"))
        #expect(uid.matches(tag: " 1304138576973696\n"))
        #expect(!uid.matches(tag: "1304138576973697"))
    }

    @Test("a hex tag matches the UID it spells, in any case")
    func hexTag() throws {
        let uid = try CardUID(bytes: [0x04, 0x89, 0xAB, 0x12, 0xCD, 0x34, 0xEF])
        #expect(uid.matches(tag: "0489AB12CD34EF"))
        #expect(uid.matches(tag: "0489ab12cd34ef"))
        #expect(uid.matches(tag: "04:89:AB:12:CD:34:EF"))
        #expect(!uid.matches(tag: "EF34CD12AB8904"))
        #expect(uid.matches(tag: "EF34CD12AB8904", allowReversed: true))
        #expect(!uid.matches(tag: "0489AB12CD34EE"))
    }

    @Test("a 4-byte hex tag made only of decimal digits still matches")
    func allDigitHexTag() throws {
        let uid = try CardUID(bytes: [0x12, 0x34, 0x56, 0x78])
        #expect(uid.matches(tag: "12345678"))
        #expect(CardTag("12345678") != nil)
        #expect(!uid.matches(tag: "87654321"))
    }

    @Test(
        "garbage tags never match",
        arguments: ["", "   ", "12345", "123456789012345678", "XYZ", "1376422841X", "-1376422841", "13764 22841"])
    func garbageTags(tag: String) throws {
        for (bytes, _) in Self.tagFixtures {
            let uid = try CardUID(bytes: bytes)
            #expect(!uid.matches(tag: tag))
            #expect(!uid.matches(tag: tag, allowReversed: true))
        }
        #expect(CardTag(tag) == nil)
    }

    @Test("a 10-byte UID has no OpenSID tag but a decimal form and a hex tag")
    func tenBytes() throws {
        let bytes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A]
        let uid = try CardUID(bytes: bytes)
        #expect(uid.openSIDTag == nil)
        #expect(uid.reversedOpenSIDTag == nil)
        // 0x0102030405060708090A = 4759477275222530853130
        #expect(uid.decimal == "4759477275222530853130")
        #expect(uid.matches(tag: uid.hex))
        #expect(!uid.matches(tag: uid.decimal))  // 22 digits: longer than OpenSID's column
    }

    @Test("error descriptions explain the rule")
    func errorDescriptions() {
        #expect(CardUIDError.wrongLength(found: 5).description.contains("4, 7 or 10"))
        #expect(CardUIDError.notHex.description.contains("A-F"))
    }
}
