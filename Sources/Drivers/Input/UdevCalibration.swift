public import Core
import Foundation

/// A touch panel's calibration from udev's database: the `LIBINPUT_CALIBRATION_MATRIX` property a udev rule or
/// hwdb entry sets for the panel (`E:LIBINPUT_CALIBRATION_MATRIX=0 -1 1 1 0 0` in
/// `/run/udev/data/c13:<minor>`), as libinput would use it. The kiosk uses it only where its own configuration
/// sets no calibration: the configuration wins.
public enum UdevCalibration {
    /// Where udev keeps its database.
    public static let defaultFolder = "/run/udev/data"

    /// Why a udev matrix was not used.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var error: TouchCalibration.MatrixError

        public var description: String { "LIBINPUT_CALIBRATION_MATRIX in \(file): \(error)" }
    }

    /// The matrix udev holds for the character device `major:minor`; `nil` when there is no entry or it has no
    /// matrix. A malformed matrix is an error, never a silent identity.
    public static func matrix(major: UInt32, minor: UInt32, folder: String = defaultFolder) throws(Problem)
        -> TouchCalibration?
    {
        let file = "\(folder)/c\(major):\(minor)"
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let prefix = "E:LIBINPUT_CALIBRATION_MATRIX="
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        // udev writes a property once; were it there twice, the last would win, as in udev's own reading.
        guard let line = lines.last(where: { $0.hasPrefix(prefix) }) else { return nil }
        do {
            return try TouchCalibration(libinputMatrix: String(line.dropFirst(prefix.count)))
        } catch {
            throw Problem(file: file, error: error)
        }
    }
}
