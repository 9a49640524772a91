import VirtualCardWire

/// The two status bytes that end every response APDU (ISO 7816-4 section 5.6), named for what the simulated card
/// means by them.
struct StatusWord: Hashable, Sendable, CustomStringConvertible {
    let sw1: UInt8
    let sw2: UInt8

    init(_ sw1: UInt8, _ sw2: UInt8) {
        self.sw1 = sw1
        self.sw2 = sw2
    }

    var bytes: [UInt8] { [sw1, sw2] }

    var description: String { Hex.string([sw1, sw2]) }

    /// `90 00`.
    static let success = StatusWord(0x90, 0x00)
    /// `62 82`: fewer bytes than Le were left (end of file or of the UID).
    static let endReachedBeforeLe = StatusWord(0x62, 0x82)
    /// `67 00`: the APDU's length fields do not add up.
    static let wrongLength = StatusWord(0x67, 0x00)
    /// `69 85`: GET RESPONSE with nothing waiting.
    static let conditionsNotSatisfied = StatusWord(0x69, 0x85)
    /// `69 86`: READ BINARY before an EF is selected.
    static let noCurrentEF = StatusWord(0x69, 0x86)
    /// `6A 81`: a GET DATA variant or addressing mode this card does not offer.
    static let functionNotSupported = StatusWord(0x6A, 0x81)
    /// `6A 82`: SELECT of a file the card does not have (or not under the current DF).
    static let fileNotFound = StatusWord(0x6A, 0x82)
    /// `6B 00`: offset outside the EF, or wrong P1-P2.
    static let wrongParameters = StatusWord(0x6B, 0x00)
    /// `6D 00`: instruction not supported.
    static let instructionNotSupported = StatusWord(0x6D, 0x00)
    /// `6E 00`: class not supported.
    static let classNotSupported = StatusWord(0x6E, 0x00)
    /// `6F 00`: no precise diagnosis, what a confused card answers.
    static let noPreciseDiagnosis = StatusWord(0x6F, 0x00)

    /// `6C xx`: wrong Le, `xx` is the exact length to ask for (00 means 256).
    static func wrongLe(exact count: Int) -> StatusWord { StatusWord(0x6C, UInt8(truncatingIfNeeded: count)) }

    /// `61 xx`: `xx` bytes wait for GET RESPONSE (00 means 256 or more).
    static func bytesAvailable(_ count: Int) -> StatusWord {
        StatusWord(0x61, UInt8(truncatingIfNeeded: min(count, 256)))
    }

    /// Whether a pair of bytes could be read as an ISO 7816-4 status word (`61`-`6F` or `90`-`9F` first), used
    /// to make sure the `garbage` fault never ends in one by chance.
    static func isPlausible(sw1: UInt8) -> Bool { (0x61...0x6F).contains(sw1) || (0x90...0x9F).contains(sw1) }
}
