import Core
package import Drivers

/// `[input]`: the touch panel, the keypad and the console the kiosk takes. Without the table (or with both devices
/// "none") the kiosk reads no input device, as before.
///
///     [input]
///     touch = "auto"                  # an evdev path, "auto" (every touch panel in /dev/input) or "none"
///     keypad = "/dev/input/by-id/usb-...-event-kbd"   # a path, "auto" or "none"
///     grab = true                     # EVIOCGRAB: keys never reach the console or a getty underneath
///     calibration = [0, -1, 1, 1, 0, 0]   # libinput's matrix; or swap_xy / invert_x / invert_y
///     console = "/dev/tty1"           # the VT to take (graphics mode, keyboard off), "current" or "none"
package struct InputSettings: Sendable, Equatable {
    package var touch = InputDevices.Selection.none
    package var keypad = InputDevices.Selection.none
    var grab = true
    /// `nil` when `[input]` sets none: the panel's udev `LIBINPUT_CALIBRATION_MATRIX` is used, if it has one.
    var calibration: TouchCalibration?
    /// The VT to take; `nil` for none.
    var console: String?

    /// Whether any input device is configured.
    var hasDevices: Bool { touch != .none || keypad != .none }

    /// The devices' configuration for Drivers; the wedge reader's node is left to the wedge reader.
    func devices(excluding wedge: String?) -> InputDevices.Configuration {
        InputDevices.Configuration(
            touch: touch, keypad: keypad, grab: grab, calibration: calibration, excluded: wedge.map { [$0] } ?? [])
    }

    /// Reads `[input]`, reporting every bad value to the section's report. `wedge` is `card_reader.wedge`: that
    /// node cannot also be the keypad.
    static func parse(_ section: TOMLSection, wedge: String?) -> InputSettings {
        var settings = InputSettings()
        settings.touch = device(section, "touch")
        settings.keypad = device(section, "keypad")
        settings.grab = section.bool("grab", default: true)

        let matrix = section.numbers("calibration")
        let swap = section.bool("swap_xy", default: false)
        let invertX = section.bool("invert_x", default: false)
        let invertY = section.bool("invert_y", default: false)
        if let matrix {
            if let calibration = TouchCalibration(matrix: matrix) {
                settings.calibration = calibration
            } else {
                section.problem(
                    "calibration",
                    "found \(matrix.count) number\(matrix.count == 1 ? "" : "s"), expected the six of libinput's "
                        + "calibration matrix, e.g. [0, -1, 1, 1, 0, 0] for a panel turned 90°")
            }
            for key in ["swap_xy", "invert_x", "invert_y"] where section.table[key] != nil {
                section.problem(key, "cannot be used with calibration; put the swap or inversion into the matrix")
            }
        } else if swap || invertX || invertY {
            settings.calibration = TouchCalibration(swapXY: swap, invertX: invertX, invertY: invertY)
        }
        let calibrated = matrix != nil || swap || invertX || invertY
        if calibrated, settings.touch == .none {
            section.problem(
                matrix != nil ? "calibration" : "swap_xy", "calibrates the touch panel, but touch is \"none\"")
        }
        if let wedge, settings.keypad == .path(wedge) {
            section.problem(
                "keypad", "\"\(wedge)\" is card_reader.wedge, the card reader: one device cannot be both")
        }

        switch section.string("console") ?? "none" {
        case "none": settings.console = nil
        case "current": settings.console = "/dev/tty0"
        case let tty where tty.hasPrefix("/dev/tty"): settings.console = tty
        case let other:
            section.problem(
                "console",
                "found \"\(other)\", expected a virtual terminal such as \"/dev/tty1\", \"current\" or \"none\"")
        }
        section.rejectUnknownKeys()
        return settings
    }

    private static func device(_ section: TOMLSection, _ key: String) -> InputDevices.Selection {
        guard let value = section.string(key) else { return .none }
        switch value {
        case "none": return .none
        case "auto": return .auto
        default:
            let name = value.split(separator: "/").last.map(String.init) ?? ""
            guard value.hasPrefix("/dev/input/"), name.hasPrefix("event") || name.contains("-event") else {
                section.problem(
                    key,
                    "found \"\(value)\", expected \"auto\", \"none\" or an evdev device such as "
                        + "/dev/input/by-id/usb-...-event-if00 (`ls -l /dev/input/by-id` lists them)")
                return .none
            }
            return .path(value)
        }
    }
}
