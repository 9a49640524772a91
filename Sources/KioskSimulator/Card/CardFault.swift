import ArgumentParser

/// Ways a card (or its contact with the reader) goes wrong, so the kiosk's reader code can be tested against them.
/// Control messages (power, reset, ATR) are still answered: the reader, not the card, builds a contactless ATR.
enum CardFault: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Never answers an APDU; the reader waits until the card leaves.
    case mute
    /// Answers 1-5 random bytes that never end in a status word.
    case garbage
    /// Answers GET DATA UID with 2 bytes and `90 00`, a UID no real card has.
    case wrongLength = "wrong-length"
    /// Answers every APDU with `6F 00`.
    case sixF00 = "6f00"
    /// Leaves the field the moment an APDU arrives.
    case removeMidAPDU = "remove-mid-apdu"
}
