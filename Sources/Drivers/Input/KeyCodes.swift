import CLinuxIO

/// The evdev key codes (linux/input-event-codes.h) the kiosk's keyboards type, in one table: the keypad and the
/// keyboard-wedge card reader read digits and Enter the same way.
enum KeyCodes {
    /// The main row's digits, 0 to 9.
    static let rowDigits = [KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9].map { UInt16($0) }
    /// The numeric keypad's digits, 0 to 9.
    static let padDigits = [KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9]
        .map { UInt16($0) }

    /// The digit a key types: the main row's and the numeric keypad's are the same digits.
    static func digit(_ code: UInt16) -> Int? {
        rowDigits.firstIndex(of: code) ?? padDigits.firstIndex(of: code)
    }

    /// Both Enters.
    static func isEnter(_ code: UInt16) -> Bool {
        code == UInt16(KEY_ENTER) || code == UInt16(KEY_KPENTER)
    }

    /// Whether a device with these keys (EVIOCGBIT(EV_KEY)) types numbers: Enter and the ten digits of one kind.
    static func typesNumbers(_ keys: Set<UInt16>) -> Bool {
        (keys.contains(UInt16(KEY_ENTER)) || keys.contains(UInt16(KEY_KPENTER)))
            && (rowDigits.allSatisfy(keys.contains) || padDigits.allSatisfy(keys.contains))
    }
}
