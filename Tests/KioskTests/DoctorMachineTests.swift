import Core
import Foundation
import NIOConcurrencyHelpers
import TestSupport
import Testing

@testable import Drivers
@testable import Kiosk
@testable import KioskKit

/// The doctor's device, service and link checks, each verdict driven by canned answers (and files in a temporary
/// root) so that every branch a technician may meet is exercised without the hardware.
@Suite("kiosk doctor: devices, services, clock and API")
struct DoctorMachineTests {
    /// A machine that has nothing and says nothing; each test gives it what it needs.
    static func machine(root: String) -> Doctor.Machine {
        var machine = Doctor.Machine()
        machine.root = root
        machine.pcscReaders = { .success([]) }
        machine.pcscdVersion = { nil }
        machine.kernelClockSynchronized = { nil }
        machine.cupsStatus = { queue, server in .failure(.queueNotFound(queue: queue, server: server ?? "localhost")) }
        machine.thermalStatus = { _ in .success(nil) }
        machine.apiProbe = { _, _ in .success(204) }
        return machine
    }

    static let noService = PCSCError(code: PCSC.code(.noService), call: "SCardEstablishContext")

    // MARK: Card reader and pcscd

    @Test func readersPCSCDCannotServeFailOrWarnWithTheirFix() {
        let gone = Doctor.readers(.failure(Self.noService), filter: nil)
        #expect(gone.verdict == .fail && gone.fix?.contains("systemctl start pcscd.socket") == true, "\(gone)")
        let none = Doctor.readers(.success([]), filter: nil)
        #expect(none.verdict == .warn && none.detail.contains("no card reader is connected"))
        let elsewhere = Doctor.readers(.success(["ACS ACR39U 00 00"]), filter: "ACR1252")
        #expect(elsewhere.verdict == .fail && elsewhere.detail.contains("ACS ACR39U 00 00"))
        let found = Doctor.readers(.success(["ACS ACR1252 1S CL Reader PICC 00 00", "SAM 00 01"]), filter: "ACR1252")
        #expect(found.verdict == .ok && found.detail.hasPrefix("2 readers: ACS ACR1252"))
    }

    @Test func pcscdAccessNeedsTheSocketAndUnderPolkitTheRule() throws {
        let root = try TemporaryDirectory()
        var machine = Self.machine(root: root.path)
        let missing = Doctor.pcscdAccess(machine: machine)
        #expect(missing.verdict == .fail && missing.fix?.contains("pcscd.socket") == true)

        let socket = machine.path(Doctor.pcscdSocket)
        try FileManager.default.createDirectory(
            atPath: (socket as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: socket, contents: nil, attributes: [.posixPermissions: 0o666])
        machine.pcscdVersion = { "pcsc-lite version 1.9.9.\nEnabled features: Linux x86_64 serial usb libudev" }
        let open = Doctor.pcscdAccess(machine: machine)
        #expect(open.verdict == .ok && open.detail.contains("polkit off"), "\(open)")

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: socket)
        #expect(Doctor.pcscdAccess(machine: machine).verdict == .fail, "a socket only root may use")

        machine.pcscdVersion = { "pcsc-lite version 2.0.3.\nEnabled features: Linux x86_64 libudev polkit" }
        let denied = Doctor.pcscdAccess(machine: machine)
        #expect(denied.verdict == .fail && denied.detail.contains("no rule lets the user kiosk in"), "\(denied)")
        let rule = machine.path("/usr/share/polkit-1/rules.d/50-kiosk-pcscd.rules")
        try FileManager.default.createDirectory(
            atPath: (rule as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: rule, contents: Data("polkit.addRule(...)".utf8))
        let allowed = Doctor.pcscdAccess(machine: machine)
        #expect(allowed.verdict == .ok && allowed.detail.contains("polkit on"), "\(allowed)")
    }

    @Test func aWedgeReaderNodeMustExistAndBeADevice() throws {
        let root = try TemporaryDirectory()
        let settings = CardReaderSettings(backend: .script, wedgeDevice: "/dev/input/by-id/usb-wedge-event-kbd")
        let missing = try #require(Doctor.cardReader(settings, machine: Self.machine(root: root.path)).first)
        #expect(missing.check == "wedge card reader" && missing.verdict == .fail, "\(missing)")
        #expect(missing.detail == "/dev/input/by-id/usb-wedge-event-kbd does not exist")

        let file = try root.write("not-a-device", "")
        let plain = Doctor.deviceNode(
            file, shownAs: file, check: "wedge card reader", groups: ["input"], write: false, unplugged: "")
        #expect(plain.verdict == .warn && plain.detail.contains("is not a device node"))
        // /dev/null: a character device everybody may read and write.
        let null = Doctor.deviceNode(
            "/dev/null", shownAs: "/dev/null", check: "thermal printer device", groups: ["lp"], write: true,
            unplugged: "")
        #expect(null.verdict == .ok, "\(null)")
    }

    @Test func theFramebufferAndConfiguredInputDevicesAreChecked() throws {
        let root = try TemporaryDirectory()
        var display = DisplaySettings(backend: .framebuffer, size: SizeMM(width: 222, height: 125))
        display.device = "/dev/fb0"
        var input = InputSettings.defaults(panel: true)
        input.touch = .path("/dev/input/by-id/usb-panel-event-touch")
        let findings = Doctor.screen(display, input, machine: Self.machine(root: root.path))
        #expect(findings.map(\.check) == ["framebuffer", "touch panel"], "auto devices are found at run time")
        #expect(findings.allSatisfy { $0.verdict == .fail }, "\(findings)")
        #expect(findings[0].detail == "/dev/fb0 does not exist" && findings[0].fix?.contains("ls /dev/fb*") == true)
        display.backend = .virtual
        input.touch = .none
        #expect(Doctor.screen(display, input, machine: Self.machine(root: root.path)).isEmpty)
    }

    /// A panel whose kiosk reads no input or takes no VT is not "all checks passed": the resident cannot answer,
    /// and tty1's login prompt stays on display taking the keys (a PIN shown in clear).
    @Test func aPanelWithoutInputOrConsoleIsAWarning() throws {
        let root = try TemporaryDirectory()
        let display = DisplaySettings(backend: .framebuffer, size: SizeMM(width: 222, height: 125))
        let findings = Doctor.screen(display, InputSettings(), machine: Self.machine(root: root.path))
        #expect(findings.map(\.check) == ["framebuffer", "input", "console"], "\(findings)")
        #expect(findings.dropFirst().allSatisfy { $0.verdict == .warn })
        let byDefault = Doctor.screen(display, .defaults(panel: true), machine: Self.machine(root: root.path))
        #expect(byDefault.map(\.check) == ["framebuffer"])
    }

    // MARK: Printers

    @Test func theCUPSQueueMustExistAcceptAndRun() {
        let missing = Doctor.cupsQueue("kiosk-letters", .failure(.queueNotFound(queue: "kiosk-letters", server: "x")))
        #expect(missing.verdict == .fail && missing.fix?.hasPrefix("lpadmin -p kiosk-letters") == true)
        let down = Doctor.cupsQueue(
            "kiosk-letters", .failure(.serverUnreachable(server: "localhost:631", detail: "refused")))
        #expect(down.verdict == .fail && down.fix?.contains("systemctl enable --now cups") == true)
        let stopped = Doctor.cupsQueue(
            "kiosk-letters",
            .success(
                CUPSPrinterStatus(
                    state: .stopped, reasons: PrinterStateReasons(keywords: ["media-empty-error"]),
                    message: "Out of paper", isAcceptingJobs: true)))
        #expect(stopped.verdict == .fail && stopped.fix?.contains("cupsenable kiosk-letters") == true, "\(stopped)")
        let ready = Doctor.cupsQueue(
            "kiosk-letters",
            .success(
                CUPSPrinterStatus(
                    state: .idle, reasons: PrinterStateReasons(keywords: ["none"]), message: "",
                    isAcceptingJobs: true)))
        #expect(ready.verdict == .ok && ready.detail.hasPrefix("kiosk-letters: idle, accepting jobs"), "\(ready)")
    }

    static let pos80 = PrinterProfile.builtIn["pos80"]!

    @Test func aThermalPrinterIsAskedForItsStatus() async {
        var machine = Self.machine(root: "/nonexistent-root")
        let thermal = PrintingSettings.Thermal(address: .tcp(host: "192.0.2.7", port: 9100), profile: Self.pos80)
        machine.thermalStatus = { _ in .failure(.unreachable("192.0.2.7:9100", "connection refused")) }
        let unreachable = await Doctor.thermalPrinter(thermal, machine: machine)
        #expect(unreachable.map(\.verdict) == [.fail] && unreachable[0].fix?.contains("self-test page") == true)
        var status = ThermalStatus()
        status.paperOut = true
        let paperOut = status
        machine.thermalStatus = { _ in .success(paperOut) }
        let empty = await Doctor.thermalPrinter(thermal, machine: machine)
        #expect(empty.map(\.verdict) == [.fail] && empty[0].detail.contains("out of paper"), "\(empty)")
        machine.thermalStatus = { _ in .success(nil) }
        #expect(await Doctor.thermalPrinter(thermal, machine: machine).map(\.verdict) == [.warn])
        machine.thermalStatus = { _ in .success(ThermalStatus()) }
        let ready = await Doctor.thermalPrinter(thermal, machine: machine)
        #expect(ready.map(\.verdict) == [.ok] && ready[0].detail == "192.0.2.7:9100 (pos80): ready", "\(ready)")
    }

    @Test func aUSBThermalPrinterMustBePluggedInBeforeItIsAsked() async throws {
        let root = try TemporaryDirectory()
        var machine = Self.machine(root: root.path)
        let asked = NIOLockedValueBox(false)
        machine.thermalStatus = { _ in
            asked.withLockedValue { $0 = true }
            return .success(ThermalStatus())
        }
        let thermal = PrintingSettings.Thermal(
            address: .usb(vendor: 0x0416, product: 0x5011, detach: false), profile: Self.pos80)
        let unplugged = await Doctor.thermalPrinter(thermal, machine: machine)
        #expect(unplugged.map(\.verdict) == [.fail] && unplugged[0].detail == "usb:0416:5011 is not plugged in (lsusb)")
        #expect(!asked.withLockedValue { $0 }, "an unplugged printer is not asked for its status")

        // The printer in sysfs, its libusb node not (yet) made by udev.
        let device = machine.path("/sys/bus/usb/devices/1-1.2")
        try FileManager.default.createDirectory(atPath: device, withIntermediateDirectories: true)
        for (name, value) in [("idVendor", "0416"), ("idProduct", "5011"), ("busnum", "1"), ("devnum", "7")] {
            try "\(value)\n".write(toFile: "\(device)/\(name)", atomically: true, encoding: .utf8)
        }
        let noNode = await Doctor.thermalPrinter(thermal, machine: machine)
        #expect(noNode.map(\.verdict) == [.fail] && noNode[0].detail == "/dev/bus/usb/001/007 does not exist")
    }

    @Test func slipsWithoutAThermalPrinterFailAndFileLettersWarn() async {
        var printing = PrintingSettings(letterOutput: "/var/lib/kiosk/printed")
        printing.receipt = true
        let findings = await Doctor.printers(printing, machine: Self.machine(root: "/"))
        #expect(findings.map(\.check) == ["letter printer", "thermal printer"])
        #expect(findings.map(\.verdict) == [.warn, .fail])
        #expect(findings[0].fix?.contains("letters = \"cups\"") == true)
    }

    // MARK: Clock and API

    @Test func theClockIsSynchronizedByTimesyncdsMarkerOrTheKernelsFlag() throws {
        let root = try TemporaryDirectory()
        var machine = Self.machine(root: root.path)
        machine.kernelClockSynchronized = { false }
        let unsynced = Doctor.clock(machine: machine)
        #expect(unsynced.verdict == .warn && unsynced.fix?.contains("timedatectl set-ntp true") == true)
        machine.kernelClockSynchronized = { nil }
        #expect(Doctor.clock(machine: machine).detail == "cannot tell whether it is synchronized")
        machine.kernelClockSynchronized = { true }
        #expect(Doctor.clock(machine: machine).verdict == .ok)
        machine.kernelClockSynchronized = { false }
        let marker = machine.path(Doctor.timesyncMarker)
        try FileManager.default.createDirectory(
            atPath: (marker as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: marker, contents: nil)
        let synced = Doctor.clock(machine: machine)
        #expect(synced.verdict == .ok && synced.detail.contains("systemd-timesyncd"))
    }

    @Test func theAPIIsReachableWhenItAnswersAtAll() async {
        var machine = Self.machine(root: "/")
        let url = URL(string: "https://api.example.id")!
        let none = await Doctor.api(url: nil, APISettings(), machine: machine)
        #expect(none.verdict == .warn && none.fix?.contains("kiosk enroll") == true)
        machine.apiProbe = { _, _ in .success(404) }
        let answered = await Doctor.api(url: url, APISettings(), machine: machine)
        #expect(answered.verdict == .ok && answered.detail.contains("answered (HTTP 404)"), "\(answered)")
        machine.apiProbe = { _, _ in .success(503) }
        #expect(await Doctor.api(url: url, APISettings(), machine: machine).verdict == .warn)
        machine.apiProbe = { _, _ in .failure(.untrusted("127.0.0.1: TLS handshake failed, certificate verify failed"))
        }
        let tls = await Doctor.api(url: url, APISettings(), machine: machine)
        #expect(tls.verdict == .fail && tls.fix?.contains("trust_anchor") == true, "\(tls)")
    }

    @Test func theLiveProbeReportsAPortNobodyListensOn() async throws {
        // Port 9 (discard) on loopback: nothing listens there in the test environment, so the connection is refused
        // at once; the real async-http-client probe must turn that into a warning, not hang or crash.
        let finding = await Doctor.api(
            url: URL(string: "http://127.0.0.1:9")!, APISettings(), machine: Doctor.Machine.live)
        #expect(finding.verdict == .warn && finding.detail.contains("cannot be reached"), "\(finding)")
    }

    @Test func theWholeExaminationAddsTheMachineChecks() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "kiosk.toml",
            SampleConfig.withState(in: directory.path + "/state")
                .replacingOccurrences(of: "backend = \"script\"", with: "backend = \"pcsc\"")
                + "\n[api]\nurl = \"https://api.example.id\"\ntrust_anchor = \"\(try directory.write("ca.pem", "-"))\"\n")
        var machine = Self.machine(root: directory.path)
        machine.pcscReaders = { .failure(Self.noService) }
        machine.kernelClockSynchronized = { true }
        let findings = await Doctor.examine(configPath: path, machine: machine)
        let checks = findings.map(\.check)
        for check in ["configuration", "pcscd", "card reader", "letter printer", "clock", "provincial API"] {
            #expect(checks.contains(check), "\(check) in \(checks)")
        }
        #expect(findings.first { $0.check == "card reader" }?.verdict == .fail)
        #expect(Doctor.report(findings).hasSuffix("checks failed."))
    }
}
