import CLinuxIO
public import Core

/// A keypad (or any keyboard) as the kiosk reads it: evdev key codes to `KioskEvent.Key`.
///
/// A key acts when it goes down (`value` 1), as on an ATM: the resident sees the reaction while the finger is still
/// on the key. Releases (0) and the kernel's autorepeat (2) are ignored, so a held key is one press and not a
/// stream of digits in a PIN. The main row's digits and the numeric keypad's are the same digits; both Enters are
/// Enter. Keys the kiosk has no use for map to nothing.
public enum Keypad {
    /// The kiosk key for one evdev event, if it is a key going down that the kiosk knows.
    public static func key(_ event: InputEvent) -> KioskEvent.Key? {
        guard Int32(event.type) == EV_KEY, event.value == 1 else { return nil }
        return key(code: event.code)
    }

    /// The kiosk key for an evdev key code (linux/input-event-codes.h).
    public static func key(code: UInt16) -> KioskEvent.Key? {
        if let digit = KeyCodes.digit(code) { return .digit(digit) }
        if KeyCodes.isEnter(code) { return .enter }
        return switch Int32(code) {
        case KEY_ESC: .escape
        case KEY_BACKSPACE: .backspace
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        default: nil
        }
    }

    /// Whether a device with these keys (EVIOCGBIT(EV_KEY)) is a keypad "auto" takes: it has Enter and the ten
    /// digits of one kind. A touch panel's BTN_TOUCH or a power button alone does not make a keypad.
    public static func isKeypad(keys: Set<UInt16>) -> Bool {
        KeyCodes.typesNumbers(keys)
    }

    /// Whether a device has any key the kiosk uses: enough for a keypad configured by its path (a four-key
    /// accessibility pad of arrows and Enter has no digits, and the technician chose it on purpose).
    public static func hasKioskKeys(_ keys: Set<UInt16>) -> Bool {
        keys.contains { key(code: $0) != nil }
    }
}
