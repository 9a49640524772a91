/// The ATR a PC/SC reader reports for a contactless card (PC/SC part 3, section 3.1.3.2.3): the reader builds it,
/// the card never sends one over the air.
///
/// Shape: `3B 8n 80 01` + n historical bytes + TCK. T0 = `8n` announces TD1 and n historical bytes, TD1 = `80`
/// announces TD2 (T=0), TD2 = `01` says T=1 and nothing more. Because a protocol other than T=0 is indicated, the
/// ATR must end with the check byte TCK (ISO 7816-3 section 8.2.5), the XOR of every byte from T0 to the last
/// historical byte. The e-KTP ATRs in pcsc-tools' smartcard_list.txt already end with a correct TCK: the `4C`
/// closing `3B 8B 80 01 65 4B 54 50 30 44 32 65 4B 54 50 4C` is that check byte, not a twelfth letter `L`.
struct AnswerToReset: Hashable, Sendable {
    let bytes: [UInt8]

    /// At most 15 historical bytes fit the low nibble of T0.
    init(contactlessHistoricalBytes historical: [UInt8]) {
        precondition(historical.count <= 15, "an ATR holds at most 15 historical bytes")
        let body: [UInt8] = [0x80 | UInt8(historical.count), 0x80, 0x01] + historical
        bytes = [0x3B] + body + [Self.checkByte(body)]
    }

    /// The historical bytes between `3B 8n 80 01` and TCK.
    var historicalBytes: [UInt8] { Array(bytes.dropFirst(4).dropLast()) }

    /// XOR of `bytes`: TCK when given T0 up to the last historical byte, zero when given T0 up to TCK.
    static func checkByte(_ bytes: some Sequence<UInt8>) -> UInt8 { bytes.reduce(0, ^) }

    /// Whether TCK matches, the test pcsc-lite applies before it accepts an ATR with T=1 announced.
    var hasValidCheckByte: Bool { Self.checkByte(bytes.dropFirst()) == 0 }

    /// e-KTP Type A as listed for NXP smart eID cards: the ATS historical bytes are ASCII `eKTP0D2eKTP`.
    static let ektpTypeA = AnswerToReset(contactlessHistoricalBytes: Array("eKTP0D2eKTP".utf8))

    /// e-KTP Type B for a card with this PUPI: the reader copies the ATQB (`50`, PUPI, application data
    /// `30 AA AA 01`, protocol info `77 81 D7`) into the historical bytes, so the ATR differs from card to card.
    static func ektpTypeB(pupi: [UInt8]) -> AnswerToReset {
        precondition(pupi.count == 4, "a Type B PUPI has 4 bytes")
        return AnswerToReset(contactlessHistoricalBytes: [0x50] + pupi + [0x30, 0xAA, 0xAA, 0x01, 0x77, 0x81, 0xD7])
    }
}
