import Core
import Foundation
import Glibc
import Testing

@testable import Drivers

/// A touch panel's `LIBINPUT_CALIBRATION_MATRIX` from udev's database (a folder of its own in these tests).
@Suite("UdevCalibration: the panel's matrix in /run/udev/data")
struct UdevCalibrationTests {
    final class Folder {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("udev-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        func entry(_ name: String, _ lines: [String]) throws {
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func aMatrixInTheDevicesEntryIsUsed() throws {
        let folder = try Folder()
        try folder.entry(
            "c13:71",
            [
                "S:input/by-path/pci-0000:00:14.0-usb-0:4:1.0-event", "E:ID_INPUT=1", "E:ID_INPUT_TOUCHSCREEN=1",
                "E:LIBINPUT_CALIBRATION_MATRIX=0 -1 1 1 0 0", "G:seat",
            ])
        try folder.entry("c13:72", ["E:ID_INPUT=1", "E:ID_INPUT_KEY=1"])
        #expect(try UdevCalibration.matrix(major: 13, minor: 71, folder: folder.path)?.matrix == [0, -1, 1, 1, 0, 0])
        #expect(try UdevCalibration.matrix(major: 13, minor: 72, folder: folder.path) == nil, "no matrix")
        #expect(try UdevCalibration.matrix(major: 13, minor: 73, folder: folder.path) == nil, "no entry")
        let (calibration, source) = InputDevices.calibration(major: 13, minor: 71, udevData: folder.path)
        #expect(source == .udev && calibration.matrix == [0, -1, 1, 1, 0, 0])
        #expect(InputDevices.calibration(major: 13, minor: 72, udevData: folder.path) == (.identity, .none))
    }

    @Test func aMalformedMatrixIsAClearErrorAndTheIdentityServes() throws {
        let folder = try Folder()
        try folder.entry("c13:71", ["E:LIBINPUT_CALIBRATION_MATRIX=0 -1 1 1 0"])
        #expect {
            try UdevCalibration.matrix(major: 13, minor: 71, folder: folder.path)
        } throws: { error in
            "\(error)" == "LIBINPUT_CALIBRATION_MATRIX in \(folder.path)/c13:71: found 5 numbers; expected six numbers "
                + "separated by spaces, such as \"0 -1 1 1 0 0\" (90°)"
        }
        let (calibration, source) = InputDevices.calibration(major: 13, minor: 71, udevData: folder.path)
        #expect(calibration == .identity)
        guard case .udevMalformed(let problem) = source else {
            Issue.record("\(source)")
            return
        }
        #expect(problem.error == .count(5))
    }

    /// The configuration wins over udev; without one, udev's matrix for the open node serves. A pipe stands in for
    /// the node: fstat gives it device number 0:0, so the entry is c0:0.
    @Test func theConfiguredCalibrationWinsOverUdevs() throws {
        let folder = try Folder()
        try folder.entry("c0:0", ["E:LIBINPUT_CALIBRATION_MATRIX=-1 0 1 0 -1 1"])
        var fds: [CInt] = [-1, -1]
        try #require(pipe(&fds) == 0)
        defer { close(fds[1]) }
        let device = try EvdevDevice(descriptor: fds[0], path: "/dev/input/event7", name: "Pipe", monotonicTime: true)
        defer { device.stop() }
        var configuration = InputDevices.Configuration(touch: .auto, keypad: .none, udevData: folder.path)
        let fromUdev = InputDevices.calibration(of: device, configuration)
        #expect(fromUdev.0.matrix == [-1, 0, 1, 0, -1, 1] && fromUdev.1 == .udev)
        configuration.calibration = TouchCalibration(swapXY: true, invertX: false, invertY: false)
        let configured = InputDevices.calibration(of: device, configuration)
        #expect(configured.0 == configuration.calibration && configured.1 == .configured)
    }
}
