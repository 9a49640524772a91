import Drivers
import Foundation
import KioskKit

extension Doctor {
    /// What the doctor asks of the machine beyond the configuration: the live answers in `kiosk doctor`, canned ones
    /// in tests, so every verdict can be tested without a reader, a printer or a network. File checks (device
    /// nodes, sysfs, the pcscd socket, the polkit rule, the timesyncd marker) look under `root`.
    struct Machine: Sendable {
        /// `/` on a kiosk; a temporary folder in tests and in `make test`'s installed package.
        var root = "/"
        /// The readers pcscd serves (`SCardListReaders`), or why pcscd cannot be asked.
        var pcscReaders: @Sendable () -> Result<[String], PCSCError> = {
            Result { () throws(PCSCError) in try PCSCReaderList.current() }
        }
        /// `pcscd --version`, which lists "polkit" among its options when pcscd asks polkit; `nil` when pcscd is not
        /// installed.
        var pcscdVersion: @Sendable () -> String? = { try? DebianTool.run("pcscd", ["--version"], package: "pcscd") }
        /// The kernel's view of the clock (`adjtimex`); `nil` when it cannot be asked.
        var kernelClockSynchronized: @Sendable () -> Bool? = { KernelClock.isSynchronized() }
        /// A CUPS queue as cupsd sees it.
        var cupsStatus: @Sendable (_ queue: String, _ server: String?) async -> Result<CUPSPrinterStatus, CUPSError> = {
            queue, server in
            do throws(CUPSError) {
                return .success(try await CUPSPrinter(queue: queue, server: server).status())
            } catch {
                return .failure(error)
            }
        }
        /// The thermal printer's DLE EOT status (`nil`: it does not answer status requests).
        var thermalStatus: @Sendable (PrintingSettings.Thermal) async -> Result<ThermalStatus?, ThermalError> = {
            thermal in
            do throws(ThermalError) {
                return .success(try await thermal.printer().status())
            } catch {
                return .failure(error)
            }
        }
        /// One GET with a short timeout through the uploader's own client (its TLS and trust anchor): the HTTP
        /// status, or why there was none.
        var apiProbe: @Sendable (_ url: URL, _ trustAnchor: String?) async -> Result<Int, APICallError> = {
            url, trustAnchor in await Machine.probe(url, trustAnchor: trustAnchor)
        }

        static let live = Machine()

        /// `path` under `root`.
        func path(_ path: String) -> String {
            root == "/" ? path : (root as NSString).appendingPathComponent(path)
        }

        private static func probe(_ url: URL, trustAnchor: String?) async -> Result<Int, APICallError> {
            let client: ProvincialClient
            do {
                client = try ProvincialClient(
                    baseURL: url, signer: nil, trustAnchor: trustAnchor, timeout: .seconds(5),
                    connectTimeout: .seconds(5))
            } catch {
                return .failure(error)
            }
            return await client.closing { await $0.probe(deadline: .seconds(8)) }
        }
    }

    /// Everything `examine(configPath:)` checks, then the devices, services and links the configuration names.
    static func examine(configPath: String, machine: Machine) async -> [Finding] {
        var findings = examine(configPath: configPath)
        guard let settings = try? ConfigurationLoader.load(path: configPath) else { return findings }
        findings += cardReader(settings.cardReader, machine: machine)
        findings += screen(settings.display, settings.input, machine: machine)
        findings += await printers(settings.printing, machine: machine)
        findings.append(clock(machine: machine))
        findings.append(await api(url: settings.api.url ?? enrolledURL(settings), settings.api, machine: machine))
        return findings
    }

    // MARK: Card reader and pcscd

    static let pcscdSocket = "/run/pcscd/pcscd.comm"
    static let polkitRules = [
        "/etc/polkit-1/rules.d/50-kiosk-pcscd.rules", "/usr/share/polkit-1/rules.d/50-kiosk-pcscd.rules",
    ]

    /// pcscd's socket and polkit, the readers it serves, and a keyboard-wedge reader's device node.
    static func cardReader(_ settings: CardReaderSettings, machine: Machine) -> [Finding] {
        var findings: [Finding] = []
        if settings.backend == .pcsc {
            findings.append(pcscdAccess(machine: machine))
            findings.append(readers(machine.pcscReaders(), filter: settings.readerFilter))
        }
        if let wedge = settings.wedgeDevice {
            findings.append(
                deviceNode(
                    machine.path(wedge), shownAs: wedge, check: "wedge card reader", groups: ["input"], write: false,
                    unplugged: "plug the reader in; ls -l /dev/input/by-id shows its name"))
        }
        return findings
    }

    // MARK: Screen and input

    /// The framebuffer's device node (group `video`, read and write) and each configured touch panel or keypad
    /// (group `input`); "auto" devices are found at run time and not checked here.
    static func screen(_ display: DisplaySettings, _ input: InputSettings, machine: Machine) -> [Finding] {
        var findings: [Finding] = []
        if display.backend == .framebuffer {
            findings.append(
                deviceNode(
                    machine.path(display.device), shownAs: display.device, check: "framebuffer", groups: ["video"],
                    write: true,
                    unplugged:
                        "is the panel connected and its driver loaded? ls /dev/fb*; on KMS-only systems enable fbdev emulation"
                ))
        }
        if display.backend == .framebuffer, !input.hasDevices {
            findings.append(
                Finding(
                    verdict: .warn, check: "input",
                    detail: "[input] turns off both touch and keypad: residents cannot answer the screens",
                    fix: "leave touch and keypad out of [input] (\"auto\" finds them), or name their devices"))
        }
        if display.backend == .framebuffer, input.console == nil {
            findings.append(
                Finding(
                    verdict: .warn, check: "console",
                    detail: "no VT taken: another VT's login prompt may stay on display, draw over the kiosk "
                        + "and take the keys a resident types",
                    fix: "leave console out of [input] (\"auto\" takes tty7 under kiosk.service)"))
        }
        for (selection, check) in [(input.touch, "touch panel"), (input.keypad, "keypad")] {
            guard case .path(let path) = selection else { continue }
            findings.append(
                deviceNode(
                    machine.path(path), shownAs: path, check: check, groups: ["input"], write: false,
                    unplugged: "plug it in; ls -l /dev/input/by-id shows its name"))
        }
        return findings
    }

    /// Can the kiosk user reach pcscd: its socket (Debian 12: mode 0666, socket-activated) and, where pcscd asks
    /// polkit (Ubuntu, Arch, Fedora), the rule that lets the user `kiosk` in.
    static func pcscdAccess(machine: Machine) -> Finding {
        let socket = machine.path(pcscdSocket)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: socket) else {
            return Finding(
                verdict: .fail, check: "pcscd", detail: "\(pcscdSocket) does not exist: pcscd is not listening",
                fix: "apt-get install pcscd libccid; systemctl enable --now pcscd.socket")
        }
        let mode = (attributes[.posixPermissions] as? Int) ?? 0
        let modeText = String(mode, radix: 8)
        guard let version = machine.pcscdVersion() else {
            return Finding(
                verdict: .warn, check: "pcscd",
                detail: "socket \(pcscdSocket) (mode \(modeText)), but no pcscd program on this machine",
                fix: "apt-get install pcscd")
        }
        guard version.localizedCaseInsensitiveContains("polkit") else {
            // Without polkit, the socket's mode is the only gate.
            return mode & 0o006 == 0o006
                ? Finding(
                    verdict: .ok, check: "pcscd", detail: "socket \(pcscdSocket) (mode \(modeText)), polkit off")
                : Finding(
                    verdict: .fail, check: "pcscd",
                    detail: "socket \(pcscdSocket) has mode \(modeText): the kiosk user cannot connect",
                    fix: "restore pcscd's own socket unit (systemctl revert pcscd.socket)")
        }
        guard let rule = polkitRules.first(where: { FileManager.default.fileExists(atPath: machine.path($0)) }) else {
            return Finding(
                verdict: .fail, check: "pcscd",
                detail: "pcscd asks polkit, and no rule lets the user kiosk in: every card read is refused",
                fix:
                    "install polkit/50-kiosk-pcscd.rules as /etc/polkit-1/rules.d/50-kiosk-pcscd.rules (the package does)"
            )
        }
        return Finding(
            verdict: .ok, check: "pcscd", detail: "socket \(pcscdSocket) (mode \(modeText)), polkit on, rule \(rule)")
    }

    /// The readers pcscd serves, against `[card_reader] reader`.
    static func readers(_ answer: Result<[String], PCSCError>, filter: String?) -> Finding {
        switch answer {
        case .failure(let error) where error.isServiceGone:
            return Finding(
                verdict: .fail, check: "card reader", detail: "pcscd does not answer: \(error)",
                fix: "systemctl start pcscd.socket; journalctl -u pcscd says why it stopped")
        case .failure(let error):
            return Finding(
                verdict: .fail, check: "card reader", detail: "\(error)",
                fix: "check pcscd's polkit rule (polkit/50-kiosk-pcscd.rules) and journalctl -u pcscd")
        case .success(let names) where names.isEmpty:
            return Finding(
                verdict: .warn, check: "card reader", detail: "pcscd runs, but no card reader is connected",
                fix: "plug the reader in; lsusb should list it and pcsc_scan name it (libccid must support it)")
        case .success(let names):
            let list = names.joined(separator: "; ")
            if let filter, !names.contains(where: { $0.contains(filter) }) {
                return Finding(
                    verdict: .fail, check: "card reader",
                    detail: "no reader's name contains [card_reader] reader = \"\(filter)\"; pcscd serves: \(list)",
                    fix: "set card_reader.reader to a part of one of those names, or remove it")
            }
            return Finding(
                verdict: .ok, check: "card reader",
                detail: "\(names.count) reader\(names.count == 1 ? "" : "s"): \(list)")
        }
    }

    // MARK: Printers

    /// The letter printer (a CUPS queue, or the folder PDFs go to) and the thermal printer.
    static func printers(_ settings: PrintingSettings, machine: Machine) async -> [Finding] {
        var findings: [Finding] = []
        switch settings.letters {
        case .cups:
            findings.append(
                cupsQueue(settings.cupsQueue, await machine.cupsStatus(settings.cupsQueue, settings.cupsServer)))
        case .file:
            findings.append(
                Finding(
                    verdict: .warn, check: "letter printer",
                    detail:
                        "[printing] letters = \"file\": letters go as PDFs to \(settings.letterOutput), not to paper",
                    fix: "add the printer to CUPS (lpadmin -p \(settings.cupsQueue) -E -v URI -m everywhere), "
                        + "then set letters = \"cups\""))
        case .thermal:
            break
        }
        if let thermal = settings.thermal {
            findings += await thermalPrinter(thermal, machine: machine)
        } else if settings.letters == .thermal || settings.receipt {
            findings.append(
                Finding(
                    verdict: .fail, check: "thermal printer", detail: "slips are configured, but no [printing] thermal",
                    fix: "set thermal = \"HOST:9100\", \"/dev/usb/lp0\" or \"usb:VVVV:PPPP\""))
        }
        return findings
    }

    /// A CUPS queue that exists, accepts jobs and is not stopped.
    static func cupsQueue(_ queue: String, _ answer: Result<CUPSPrinterStatus, CUPSError>) -> Finding {
        switch answer {
        case .failure(let error):
            let fix =
                switch error {
                case .serverUnreachable: "apt-get install cups; systemctl enable --now cups"
                case .queueNotFound: "lpadmin -p \(queue) -E -v URI -m everywhere (lpinfo -v lists the URIs)"
                default: "lpstat -l -p \(queue) says more"
                }
            return Finding(verdict: .fail, check: "CUPS queue", detail: "\(error)", fix: fix)
        case .success(let status):
            let detail =
                "\(queue): \(status.state.rawValue), \(status.isAcceptingJobs ? "accepting" : "rejecting") jobs, "
                + "reasons \(status.reasons)" + (status.message.isEmpty ? "" : ", \"\(status.message)\"")
            if status.state == .stopped || !status.isAcceptingJobs {
                return Finding(
                    verdict: .fail, check: "CUPS queue", detail: detail,
                    fix: "fix the printer (paper, cable, power), then cupsenable \(queue) && cupsaccept \(queue)")
            }
            if let problem = status.reasons.problem(includingReports: true) {
                return Finding(
                    verdict: .warn, check: "CUPS queue", detail: detail,
                    fix: "see to the printer: \(problem.inWords)")
            }
            return Finding(verdict: .ok, check: "CUPS queue", detail: detail)
        }
    }

    /// The thermal printer: its node or USB device where it has one, then its answer to a status request.
    static func thermalPrinter(_ thermal: PrintingSettings.Thermal, machine: Machine) async -> [Finding] {
        var findings: [Finding] = []
        switch thermal.address {
        case .tcp:
            break
        case .device(let path):
            findings.append(
                deviceNode(
                    machine.path(path), shownAs: path, check: "thermal printer device", groups: ["lp", "kiosk"],
                    write: true,
                    unplugged: "plug the printer in and switch it on; ls -l /dev/usb/ /dev/kiosk-thermal*"))
        case .usb(let vendor, let product, _):
            findings.append(usbDevice(vendor: vendor, product: product, machine: machine))
        }
        if findings.contains(where: { $0.verdict == .fail }) { return findings }
        switch await machine.thermalStatus(thermal) {
        case .failure(let error):
            findings.append(
                Finding(
                    verdict: .fail, check: "thermal printer", detail: "\(thermal): \(error)",
                    fix: "switch the printer on, check its cable or its address (its self-test page prints the IP); "
                        + "then kiosk test-print --thermal"))
        case .success(nil):
            findings.append(
                Finding(
                    verdict: .warn, check: "thermal printer",
                    detail: "\(thermal) (\(thermal.profile.name)): status unknown (it does not answer DLE EOT)",
                    fix: "kiosk test-print --thermal prints a sample slip to prove it prints"))
        case .success(let status?):
            let detail =
                "\(thermal) (\(thermal.profile.name)): \(status.problem?.inWords ?? "ready")"
                + (status.paperNearEnd ? ", paper near end" : "")
            findings.append(
                status.problem == nil
                    ? Finding(
                        verdict: status.paperNearEnd ? .warn : .ok, check: "thermal printer", detail: detail,
                        fix: status.paperNearEnd ? "load a new paper roll soon" : nil)
                    : Finding(
                        verdict: .fail, check: "thermal printer", detail: detail,
                        fix: "paper, cover, cutter: see to the printer"))
        }
        return findings
    }

    /// A USB device by vendor and product in sysfs, and its libusb node's group (udev/70-kiosk-thermal-printers.rules
    /// gives it to `kiosk`, Debian's own rules give printer-class devices to `lp`).
    static func usbDevice(vendor: UInt16, product: UInt16, machine: Machine) -> Finding {
        let wanted = String(format: "usb:%04x:%04x", vendor, product)
        let devices = machine.path("/sys/bus/usb/devices")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: devices)) ?? []
        func attribute(_ entry: String, _ name: String) -> String? {
            (try? String(contentsOfFile: "\(devices)/\(entry)/\(name)", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard
            let entry = entries.sorted().first(where: {
                attribute($0, "idVendor").flatMap { UInt16($0, radix: 16) } == vendor
                    && attribute($0, "idProduct").flatMap { UInt16($0, radix: 16) } == product
            })
        else {
            return Finding(
                verdict: .fail, check: "thermal printer device", detail: "\(wanted) is not plugged in (lsusb)",
                fix: "plug the printer in and switch it on; lsusb must list \(wanted.dropFirst(4))")
        }
        guard let bus = attribute(entry, "busnum").flatMap(Int.init),
            let device = attribute(entry, "devnum").flatMap(Int.init)
        else {
            return Finding(verdict: .ok, check: "thermal printer device", detail: "\(wanted) at USB port \(entry)")
        }
        let node = String(format: "/dev/bus/usb/%03d/%03d", bus, device)
        return deviceNode(
            machine.path(node), shownAs: node, check: "thermal printer device", groups: ["kiosk", "lp"], write: true,
            unplugged: "udevadm trigger --subsystem-match=usb --action=add")
    }

    // MARK: Device nodes

    /// A device node the kiosk opens: it exists, is a character device, and the kiosk user reaches it through one of
    /// `groups` (its own group or a supplementary group of the unit) or through the node's mode for everyone.
    static func deviceNode(
        _ path: String, shownAs shown: String, check: String, groups: [String], write: Bool, unplugged: String
    ) -> Finding {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else {
            return Finding(verdict: .fail, check: check, detail: "\(shown) does not exist", fix: unplugged)
        }
        let mode = (attributes[.posixPermissions] as? Int) ?? 0
        let group = (attributes[.groupOwnerAccountName] as? String) ?? "?"
        let type = attributes[.type] as? FileAttributeType
        let node =
            "\(shown)\(resolved == path ? "" : " -> \(resolved)") (group \(group), mode \(String(mode, radix: 8)))"
        guard type == .typeCharacterSpecial else {
            return Finding(
                verdict: .warn, check: check, detail: "\(node) is not a device node",
                fix: "check the path: \(unplugged)")
        }
        let needed = write ? 0o6 : 0o4
        let reachable = (groups.contains(group) && (mode >> 3) & needed == needed) || mode & needed == needed
        guard reachable else {
            return Finding(
                verdict: .fail, check: check,
                detail:
                    "\(node): the kiosk user (groups kiosk, video, input, lp) cannot \(write ? "write" : "read") it",
                fix: "a udev rule with GROUP=\"\(groups[0])\", MODE=\"0660\" (see /lib/udev/rules.d/70-kiosk-*.rules)")
        }
        return Finding(verdict: .ok, check: check, detail: node)
    }

    // MARK: Clock and API

    static let timesyncMarker = "/run/systemd/timesync/synchronized"

    /// Whether the clock is synchronized: timesyncd's marker file, else the kernel's own flag (chrony and ntpd leave
    /// no marker). Records captured on an unsynchronized clock are flagged, and signed requests may be refused.
    static func clock(machine: Machine) -> Finding {
        if FileManager.default.fileExists(atPath: machine.path(timesyncMarker)) {
            return Finding(verdict: .ok, check: "clock", detail: "synchronized (systemd-timesyncd, \(timesyncMarker))")
        }
        let fix =
            "timedatectl set-ntp true (needs systemd-timesyncd or chrony) and network; "
            + "without an RTC battery the clock lags after every power cut"
        switch machine.kernelClockSynchronized() {
        case true?:
            return Finding(verdict: .ok, check: "clock", detail: "synchronized (kernel: an NTP client keeps it)")
        case false?:
            return Finding(
                verdict: .warn, check: "clock",
                detail: "not synchronized: records are flagged unsynced, and the province may refuse signed uploads",
                fix: fix)
        case nil:
            return Finding(verdict: .warn, check: "clock", detail: "cannot tell whether it is synchronized", fix: fix)
        }
    }

    /// The enrolled URL, read without creating or migrating the database.
    private static func enrolledURL(_ settings: KioskSettings) -> URL? {
        let path = (settings.stateDirectory as NSString).appendingPathComponent(KioskDatabase.fileName)
        guard FileManager.default.fileExists(atPath: path),
            let database = try? KioskDatabase.open(stateDirectory: settings.stateDirectory)
        else { return nil }
        return ((try? DeviceState(database: database).enrollment()) ?? nil)?.url
    }

    /// One GET on the API's base URL with a short timeout: any HTTP answer proves name resolution, the route, TLS
    /// and the trust anchor; what the path answers does not matter.
    static func api(url: URL?, _ settings: APISettings, machine: Machine) async -> Finding {
        guard let url else {
            return Finding(
                verdict: .warn, check: "provincial API", detail: "no [api] url and not enrolled: records stay here",
                fix: "kiosk enroll --url URL --token TOKEN")
        }
        let started = ContinuousClock.now
        let answer = await machine.apiProbe(url, settings.trustAnchor)
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.milliseconds
        switch answer {
        case .success(let status) where status < 500:
            return Finding(
                verdict: .ok, check: "provincial API",
                detail: "\(url.absoluteString) answered (HTTP \(status)) in \(milliseconds) ms")
        case .success(let status):
            return Finding(
                verdict: .warn, check: "provincial API",
                detail: "\(url.absoluteString) answered HTTP \(status): the server has a problem; records wait",
                fix: "nothing to do on the kiosk; tell the province if it lasts")
        case .failure(let error):
            let (reason, tls): (String, Bool) =
                switch error {
                case .untrusted(let reason): (reason, true)
                case .unreachable(let reason): (reason, false)
                default: ("\(error)", false)
                }
            return Finding(
                verdict: tls ? .fail : .warn, check: "provincial API",
                detail: "\(url.absoluteString) cannot be reached: \(reason); records wait on the kiosk",
                fix: tls
                    ? "TLS failed: check the clock (timedatectl) and [api] trust_anchor"
                    : "check the network (ping, DNS in /etc/resolv.conf) and [api] url")
        }
    }
}
