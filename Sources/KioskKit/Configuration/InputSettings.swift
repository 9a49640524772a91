import Core
package import Drivers

/// `[input]`: the touch panel, the keypad and the console the kiosk takes.
///
///     [input]
///     touch = "auto"                  # an evdev path, "auto" (every touch panel in /dev/input) or "none"
///     keypad = "/dev/input/by-id/usb-...-event-kbd"   # a path, "auto" or "none"
///     grab = true                     # EVIOCGRAB: keys never reach the console or a getty underneath
///     calibration = [0, -1, 1, 1, 0, 0]   # libinput's matrix; or swap_xy / invert_x / invert_y
///     console = "auto"                # the VT to take (graphics mode, keyboard off): "auto", a path, "current", "none"
///
/// On a panel (`[display] backend = "framebuffer"`) every key defaults to "auto": the kiosk reads every touch panel
/// and keypad it finds and takes its own VT, tty7 under kiosk.service. A kiosk installed by the book then owns its
/// screen and keys: before, without the table, it took no VT and read nothing, tty1's login prompt stayed on display
/// and a PIN typed on the keypad went to it, in clear. Elsewhere (terminal, virtual) the defaults are "none".
package struct InputSettings: Sendable, Equatable {
    /// The VT the kiosk takes.
    package enum Console: Sendable, Equatable {
        /// Its own: the VT on its standard input (`Console.standardInput()`), none when it has none.
        case own
        /// A named VT, `/dev/tty0` for whichever is on display.
        case tty(String)
    }

    package var touch = InputDevices.Selection.none
    package var keypad = InputDevices.Selection.none
    var grab = true
    /// `nil` when `[input]` sets none: the panel's udev `LIBINPUT_CALIBRATION_MATRIX` is used, if it has one.
    var calibration: TouchCalibration?
    /// The VT to take; `nil` for none.
    package var console: Console?

    /// What a kiosk gets without `[input]`: everything found, and its own VT, on a panel; nothing elsewhere.
    package static func defaults(panel: Bool) -> InputSettings {
        panel ? InputSettings(touch: .auto, keypad: .auto, console: .own) : InputSettings()
    }

    /// Whether any input device is configured.
    package var hasDevices: Bool { touch != .none || keypad != .none }

    /// The devices' configuration for Drivers; the wedge reader's node is left to the wedge reader.
    func devices(excluding wedge: String?) -> InputDevices.Configuration {
        InputDevices.Configuration(
            touch: touch, keypad: keypad, grab: grab, calibration: calibration, excluded: wedge.map { [$0] } ?? [])
    }

    /// Reads `[input]`, reporting every bad value to the section's report. `wedge` is `card_reader.wedge`: that
    /// node cannot also be the keypad. `panel`: the display is a framebuffer panel (see `defaults`).
    static func parse(_ section: TOMLSection, wedge: String?, panel: Bool) -> InputSettings {
        var settings = defaults(panel: panel)
        settings.touch = device(section, "touch", default: settings.touch)
        settings.keypad = device(section, "keypad", default: settings.keypad)
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

        switch section.string("console") {
        case nil: break
        case "none": settings.console = nil
        case "auto": settings.console = .own
        case "current": settings.console = .tty("/dev/tty0")
        case let tty? where tty.hasPrefix("/dev/tty"): settings.console = .tty(tty)
        case let other?:
            section.problem(
                "console",
                "found \"\(other)\", expected \"auto\" (the kiosk's own VT), a virtual terminal such as \"/dev/tty7\", "
                    + "\"current\" or \"none\"")
        }
        section.rejectUnknownKeys()
        return settings
    }

    private static func device(_ section: TOMLSection, _ key: String, default: InputDevices.Selection)
        -> InputDevices.Selection
    {
        guard let value = section.string(key) else { return `default` }
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
