import Core
import Testing

@testable import KioskSimulator

@Suite("chip: DF 7F0A, EF 6FF1 behind the simulated SAM")
struct ChipTests {
    static let selectDF: [UInt8] = [0x00, 0xA4, 0x00, 0x0C, 0x02, 0x7F, 0x0A]
    static let selectEF: [UInt8] = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x6F, 0xF1]

    static func readBinary(offset: Int, le: UInt8) -> [UInt8] {
        [0x00, 0xB0, UInt8(offset >> 8), UInt8(offset & 0xFF), le]
    }

    /// A chip card with the biodata EF selected.
    static func selectedChip(getResponse: Bool = false) -> VirtualCard {
        var card = VirtualCard(kind: .chip, usesGetResponse: getResponse)
        _ = answer(&card, selectDF)
        _ = answer(&card, selectEF)
        return card
    }

    @Test("SELECT of DF 7F0A then EF 6FF1 succeeds; the EF alone, unknown files and P1 04 get 6A 82")
    func select() {
        var card = VirtualCard(kind: .chip)
        #expect(answer(&card, Self.selectEF) == [0x6A, 0x82])
        #expect(answer(&card, Self.selectDF) == success)
        #expect(card.currentSelection == .eKTPApplication)
        #expect(answer(&card, [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x6F, 0xF6]) == [0x6A, 0x82])
        #expect(answer(&card, [0x00, 0xA4, 0x04, 0x00, 0x02, 0x7F, 0x0A]) == [0x6A, 0x82])
        #expect(answer(&card, Self.selectEF) == success)
        #expect(card.currentSelection == .biodata)
        #expect(answer(&card, [0x00, 0xA4, 0x00, 0x0C, 0x01, 0x7F]) == [0x67, 0x00])
        #expect(answer(&card, [0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00]) == success)
        #expect(card.currentSelection == .masterFile)
    }

    @Test("READ BINARY before an EF is selected gets 69 86")
    func readWithoutSelection() {
        var card = VirtualCard(kind: .chip)
        #expect(answer(&card, Self.readBinary(offset: 0, le: 0xD0)) == [0x69, 0x86])
        _ = answer(&card, Self.selectDF)
        #expect(answer(&card, Self.readBinary(offset: 0, le: 0xD0)) == [0x69, 0x86])
    }

    @Test("208-byte READ BINARY chunks put the biodata record back together; the short tail ends in 62 82")
    func readInChunks() throws {
        var card = Self.selectedChip()
        let expected = BiodataRecord.sample.encoded
        var file: [UInt8] = []
        var offset = 0
        while true {
            let response = try #require(answer(&card, Self.readBinary(offset: offset, le: 0xD0)))
            let data = Array(response.dropLast(2))
            file += data
            offset += data.count
            if Array(response.suffix(2)) != success {
                #expect(Array(response.suffix(2)) == [0x62, 0x82])
                break
            }
            #expect(data.count == 208)
        }
        #expect(file == expected)
        #expect(try BiodataRecord(decoding: file) == .sample)
        #expect(answer(&card, Self.readBinary(offset: expected.count, le: 0xD0)) == [0x6B, 0x00])
        #expect(answer(&card, [0x00, 0xB0, 0x81, 0x00, 0x10]) == [0x6A, 0x81])  // short EF identifier
    }

    @Test("READ BINARY with Le 00 returns up to 256 bytes and 90 00, even when fewer are left")
    func readLeZero() throws {
        var card = Self.selectedChip()
        let response = try #require(answer(&card, Self.readBinary(offset: 10, le: 0x00)))
        let expected = Array(BiodataRecord.sample.encoded.dropFirst(10).prefix(256))
        #expect(response == expected + success)
    }

    @Test("with --get-response READ BINARY says 61 xx and GET RESPONSE hands the data out, in pieces if asked")
    func getResponse() throws {
        var card = Self.selectedChip(getResponse: true)
        let record = BiodataRecord.sample.encoded
        #expect(answer(&card, Self.readBinary(offset: 0, le: 0xD0)) == [0x61, 0xD0])
        #expect(answer(&card, [0x00, 0xC0, 0x00, 0x00, 0xFF]) == [0x6C, 0xD0])
        #expect(answer(&card, [0x00, 0xC0, 0x00, 0x00, 0x50]) == Array(record.prefix(0x50)) + [0x61, 0x80])
        #expect(answer(&card, [0x00, 0xC0, 0x00, 0x00, 0x80]) == Array(record[0x50..<0xD0]) + success)
        #expect(answer(&card, [0x00, 0xC0, 0x00, 0x00, 0x10]) == [0x69, 0x85])

        let tail = record.count - 0xD0
        #expect(answer(&card, Self.readBinary(offset: 0xD0, le: 0xD0)) == [0x61, UInt8(tail)])
        #expect(answer(&card, [0x00, 0xC0, 0x00, 0x00, UInt8(tail)]) == Array(record.suffix(tail)) + [0x62, 0x82])
    }

    @Test("any other command drops data waiting for GET RESPONSE, as does a reset")
    func getResponseCleared() {
        var card = Self.selectedChip(getResponse: true)
        _ = answer(&card, Self.readBinary(offset: 0, le: 0xD0))
        _ = answer(&card, getUID)
        #expect(answer(&card, [0x00, 0xC0, 0x00, 0x00, 0xD0]) == [0x69, 0x85])
        _ = answer(&card, Self.readBinary(offset: 0, le: 0xD0))
        #expect(card.respond(to: .reset) == .silence)
        #expect(card.currentSelection == .masterFile)
        #expect(answer(&card, [0x00, 0xC0, 0x00, 0x00, 0xD0]) == [0x69, 0x85])
        #expect(answer(&card, Self.readBinary(offset: 0, le: 0xD0)) == [0x69, 0x86])
    }

    @Test("without --get-response the chip never answers 61 xx, and the UID never goes through GET RESPONSE")
    func noGetResponse() throws {
        var plain = Self.selectedChip()
        let response = try #require(answer(&plain, Self.readBinary(offset: 0, le: 0xD0)))
        #expect(response.count == 210 && response.first != 0x61)
        var t0 = Self.selectedChip(getResponse: true)
        #expect(answer(&t0, getUID) == t0.uid.bytes + success)
    }
}
