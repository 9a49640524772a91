/// A key as a keyboard-wedge card reader types it: the reader is a USB keyboard that types the card's number and
/// Enter. Drivers map the keyboard's key codes to these; everything the decoder does not need is `.other`.
public enum WedgeKey: Hashable, Sendable {
    /// 0-9, from the main row or the keypad (readers use either).
    case digit(UInt8)
    /// A-F as 10-15, for readers that type the UID in hex.
    case hexLetter(UInt8)
    /// Enter or keypad Enter: the reader's end of a number.
    case enter
    /// Any other key: never part of a card number, so it spoils the number being typed.
    case other
}

/// What happened to a key. A wedge reader's number is made of presses only: releases carry nothing, and
/// autorepeat (a key held down) never comes from a reader.
public enum KeyAction: Hashable, Sendable {
    case released
    case pressed
    case repeated
}
