import CLinuxIO
public import Core
import Foundation
import NIOConcurrencyHelpers

/// The kiosk's touch panels and keypads: the configured device paths, or every suitable `/dev/input/event*`
/// ("auto"), opened, classified, read and decoded into one stream of keys and touch contacts.
///
/// Devices come and go: a folder watch on /dev/input (and its by-id folder, and the folders of configured paths)
/// finds nodes created or made readable after the start; a device that fails with `ENODEV` (unplugged) is dropped
/// and reported, the rest keep working, and it is opened again when its node comes back. A node is known by its
/// device and inode (stat(2)), so a by-id link and its eventN, or a rescan after an attribute change, never open
/// one device twice.
///
/// Classification (EVIOCGBIT): an absolute X and Y (plain or multi-touch) make a touch panel; Enter and ten digits
/// make a keypad; anything with a relative X (a mouse) is neither. Each device is grabbed (EVIOCGRAB) after it is
/// classified, unless told not to, so the keypad's keys never reach the console underneath.
public final class InputDevices: Sendable {
    /// Which device serves a role.
    public enum Selection: Hashable, Sendable {
        case none
        /// Every device of the kind found in the folder.
        case auto
        case path(String)
    }

    public enum Kind: String, Hashable, Sendable {
        case touch
        case keypad
    }

    public enum Event: Hashable, Sendable {
        /// A device is open and read; `detail` says how (the touch protocol and axis ranges), `touch` the same
        /// as values for a touch panel, with its calibration and where that came from.
        case connected(path: String, name: String, kind: Kind, detail: String, touch: TouchFacts? = nil)
        case key(KioskEvent.Key)
        case touch(TouchContact)
        /// A device failed while read (unplugged: `error.isUnplugged`); it is opened again when its node returns.
        case removed(path: String, error: InputError)
        /// A configured device cannot be opened or is not of its kind; tried again when /dev/input changes.
        /// Reported when the problem starts or changes, not at every try.
        case unavailable(path: String, problem: String)
        /// Devices plugged in later will not be found (inotify refused); the ones present work.
        case hotplugUnavailable(InputError)
    }

    /// Where a touch panel's calibration comes from.
    public enum CalibrationSource: Hashable, Sendable {
        /// The kiosk's configuration (`[input] calibration`, `swap_xy`...): it wins over udev.
        case configured
        /// The panel's `LIBINPUT_CALIBRATION_MATRIX` in udev's database.
        case udev
        /// Neither: the panel's axes are the display's.
        case none
        /// udev's matrix is malformed and not used: the panel's axes are the display's.
        case udevMalformed(UdevCalibration.Problem)
    }

    /// What the kiosk reads of a touch panel: for the log and the technician's diagnostics screen.
    public struct TouchFacts: Hashable, Sendable {
        public var touchProtocol: TouchPanel.TouchProtocol
        public var xRange: AxisRange
        public var yRange: AxisRange
        public var calibration: TouchCalibration
        public var calibrationSource: CalibrationSource

        public init(
            touchProtocol: TouchPanel.TouchProtocol, xRange: AxisRange, yRange: AxisRange,
            calibration: TouchCalibration, calibrationSource: CalibrationSource
        ) {
            self.touchProtocol = touchProtocol
            self.xRange = xRange
            self.yRange = yRange
            self.calibration = calibration
            self.calibrationSource = calibrationSource
        }

        /// The calibration and its source, for a technician: "1 0 0 0 1 0 (from udev LIBINPUT_CALIBRATION_MATRIX)".
        public var calibrationDescription: String {
            let source =
                switch calibrationSource {
                case .configured: "from the kiosk's configuration"
                case .udev: "from udev LIBINPUT_CALIBRATION_MATRIX"
                case .none: "none configured, none in udev"
                case .udevMalformed(let problem): "udev's matrix not used: \(problem)"
                }
            return "\(calibration.libinputMatrix) (\(source))"
        }
    }

    public struct Configuration: Sendable {
        public var touch: Selection
        public var keypad: Selection
        public var grab: Bool
        /// The configured calibration; `nil` when the configuration sets none, and udev's matrix (if any) is used.
        public var calibration: TouchCalibration?
        /// udev's database, where a panel's `LIBINPUT_CALIBRATION_MATRIX` is looked up.
        public var udevData: String
        /// Where evdev nodes live.
        public var folder: String
        /// Nodes another reader owns (the keyboard-wedge card reader): never opened here, even in "auto".
        public var excluded: [String]

        public init(
            touch: Selection, keypad: Selection, grab: Bool = true, calibration: TouchCalibration? = nil,
            folder: String = "/dev/input", excluded: [String] = [], udevData: String = UdevCalibration.defaultFolder
        ) {
            self.udevData = udevData
            self.touch = touch
            self.keypad = keypad
            self.grab = grab
            self.calibration = calibration
            self.folder = folder
            self.excluded = excluded
        }
    }

    /// An opened and classified device, ready to be read.
    struct Probe: Sendable {
        var device: EvdevDevice
        var kind: Kind
        /// The decoder of a touch panel.
        var touch: TouchPanel?
        /// Where its calibration came from.
        var calibrationSource = CalibrationSource.none
    }

    /// Opens and classifies `path` for the wanted kinds; `nil` when it is none of them (the device is closed).
    typealias Prober =
        @Sendable (_ path: String, _ wanted: Set<Kind>, _ configuration: Configuration) throws(InputError) -> Probe?

    public let configuration: Configuration
    private let prober: Prober
    private let state = NIOLockedValueBox(State())

    private struct State {
        /// Open devices by node identity, with their path.
        var open: [FileIdentity: String] = [:]
        /// The last problem reported per configured path.
        var problems: [String: String] = [:]
    }

    public convenience init(configuration: Configuration) {
        self.init(configuration: configuration, prober: Self.probe)
    }

    init(configuration: Configuration, prober: @escaping Prober) {
        self.configuration = configuration
        self.prober = prober
    }

    /// Whether the configuration names any device at all.
    public var isEnabled: Bool { configuration.touch != .none || configuration.keypad != .none }

    /// Opens the devices and reads them while the stream is iterated; ending the iteration (cancelling its task)
    /// closes them all.
    public func events() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let task = Task { [self] in
            await run(continuation)
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(_ continuation: AsyncStream<Event>.Continuation) async {
        let changes: AsyncStream<Void>
        do {
            changes = try FolderWatch(folders: watchedFolders).changes
        } catch {
            continuation.yield(.hotplugUnavailable(error))
            changes = AsyncStream { _ in }  // never yields; its iteration ends when the task is cancelled
        }
        await withDiscardingTaskGroup { group in
            scan(into: &group, continuation)
            for await _ in changes {
                scan(into: &group, continuation)
            }
            group.cancelAll()
        }
    }

    /// /dev/input, its by-id folder (links appear there after the node), and the folder of each configured path.
    var watchedFolders: [String] {
        var folders = [configuration.folder, configuration.folder + "/by-id"]
        for case .path(let path) in [configuration.touch, configuration.keypad] {
            let folder = (path as NSString).deletingLastPathComponent
            if !folders.contains(folder) { folders.append(folder) }
        }
        return folders
    }

    /// The paths to try now, each with the kinds it may serve.
    private func candidates() -> [(path: String, kinds: Set<Kind>, configured: Bool)] {
        var result: [(String, Set<Kind>, Bool)] = []
        var autoKinds: Set<Kind> = []
        for (selection, kind) in [(configuration.touch, Kind.touch), (configuration.keypad, .keypad)] {
            switch selection {
            case .none: break
            case .auto: autoKinds.insert(kind)
            case .path(let path): result.append((path, [kind], true))
            }
        }
        if !autoKinds.isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.folder)) ?? []
            for name in names.filter({ $0.hasPrefix("event") }).sorted(by: Self.numerically) {
                result.append((configuration.folder + "/" + name, autoKinds, false))
            }
        }
        return result
    }

    /// event2 before event10.
    static func numerically(_ a: String, _ b: String) -> Bool {
        let number = { (name: String) in Int(name.drop { !$0.isNumber }) ?? Int.max }
        return (number(a), a) < (number(b), b)
    }

    private func scan(into group: inout DiscardingTaskGroup, _ continuation: AsyncStream<Event>.Continuation) {
        let excluded = Set(configuration.excluded.compactMap(Evdev.identity))
        for (path, kinds, configured) in candidates() {
            guard let identity = Evdev.identity(path) else {
                if configured {
                    report(path, InputError(code: ENOENT, call: "open", device: path).description, continuation)
                }
                continue
            }
            let alreadyOpen = state.withLockedValue { $0.open[identity] != nil }
            guard !alreadyOpen, !excluded.contains(identity) else { continue }
            let probe: Probe?
            do {
                probe = try prober(path, kinds, configuration)
            } catch {
                // An auto node that fails otherwise (gone between the listing and the open) is not worth a report;
                // one the kiosk may not open is: on a kiosk every input device is its own, so a refusal is a
                // missing group or DeviceAllow=, and without the report a kiosk whose touch and keys are all refused
                // logged nothing at all (seen in the system test with DeviceAllow=char-input removed).
                if configured || error.code == EACCES || error.code == EPERM {
                    report(path, error.description, continuation)
                }
                continue
            }
            guard let probe else {
                if configured {
                    let kind =
                        kinds.first == .touch
                        ? "touch panel (no absolute X and Y axes)"
                        : "keypad (none of the keys the kiosk uses: digits, Enter, Esc, Backspace, arrows)"
                    report(path, "\(path) is not a \(kind): check the path (`ls -l /dev/input/by-id`)", continuation)
                }
                continue
            }
            state.withLockedValue {
                $0.open[identity] = path
                $0.problems[path] = nil
            }
            continuation.yield(
                .connected(
                    path: path, name: probe.device.name, kind: probe.kind, detail: Self.detail(probe),
                    touch: probe.touch.map {
                        TouchFacts(
                            touchProtocol: $0.touchProtocol, xRange: $0.xRange, yRange: $0.yRange,
                            calibration: $0.calibration, calibrationSource: probe.calibrationSource)
                    }))
            group.addTask { [self] in
                await read(probe, identity: identity, continuation)
            }
        }
    }

    private func report(_ path: String, _ problem: String, _ continuation: AsyncStream<Event>.Continuation) {
        let changed = state.withLockedValue { state in
            defer { state.problems[path] = problem }
            return state.problems[path] != problem
        }
        if changed { continuation.yield(.unavailable(path: path, problem: problem)) }
    }

    private static func detail(_ probe: Probe) -> String {
        guard let touch = probe.touch else { return "keys" }
        return "\(touch.touchProtocol.rawValue), x \(touch.xRange.minimum)...\(touch.xRange.maximum), "
            + "y \(touch.yRange.minimum)...\(touch.yRange.maximum)"
    }

    /// Reads one device until it fails or the task is cancelled.
    private func read(_ probe: Probe, identity: FileIdentity, _ continuation: AsyncStream<Event>.Continuation) async {
        var touch = probe.touch
        let device = probe.device
        device.start()
        var failure: InputError?
        for await event in device.events {
            switch event {
            case .input(let input):
                if touch != nil {
                    for contact in touch!.handle(input) { continuation.yield(.touch(contact)) }
                } else if let key = Keypad.key(input) {
                    continuation.yield(.key(key))
                }
            case .failed(let error):
                failure = error
            }
        }
        device.stop()
        state.withLockedValue { _ = $0.open.removeValue(forKey: identity) }
        if let failure { continuation.yield(.removed(path: device.path, error: failure)) }
    }

    /// The configured calibration, else udev's `LIBINPUT_CALIBRATION_MATRIX` for the device, else none.
    static func calibration(of device: EvdevDevice, _ configuration: Configuration) -> (
        TouchCalibration, CalibrationSource
    ) {
        if let configured = configuration.calibration { return (configured, .configured) }
        guard let number = try? device.deviceNumber() else { return (.identity, .none) }
        return calibration(major: number.major, minor: number.minor, udevData: configuration.udevData)
    }

    /// udev's matrix for the character device `major:minor`, or none, or the problem with it.
    static func calibration(major: UInt32, minor: UInt32, udevData: String) -> (TouchCalibration, CalibrationSource) {
        do throws(UdevCalibration.Problem) {
            guard let matrix = try UdevCalibration.matrix(major: major, minor: minor, folder: udevData) else {
                return (.identity, .none)
            }
            return (matrix, .udev)
        } catch {
            return (.identity, .udevMalformed(error))
        }
    }

    /// "auto" takes keyboards with Enter and ten digits; a configured path any device with a key the kiosk uses.
    static func isKeypad(_ keys: Set<UInt16>, configured: Bool) -> Bool {
        configured ? Keypad.hasKioskKeys(keys) : Keypad.isKeypad(keys: keys)
    }

    /// The real prober: open(2) without a grab, EVIOCGBIT for keys, absolute and relative axes, then the grab.
    static func probe(_ path: String, wanted: Set<Kind>, configuration: Configuration) throws(InputError) -> Probe? {
        let device = try EvdevDevice(path: path, grab: false)
        do {
            let relative = try device.codes(ofType: UInt16(EV_REL))
            let pointer = relative.contains(UInt16(REL_X)) || relative.contains(UInt16(REL_Y))
            var probe: Probe?
            if !pointer, wanted.contains(.touch),
                TouchPanel.isTouchPanel(absoluteAxes: try device.codes(ofType: UInt16(EV_ABS)))
            {
                let (calibration, source) = Self.calibration(of: device, configuration)
                probe = Probe(
                    device: device, kind: .touch, touch: try TouchPanel.reading(device, calibration: calibration),
                    calibrationSource: source)
            } else if !pointer, wanted.contains(.keypad),
                Self.isKeypad(try device.codes(ofType: UInt16(EV_KEY)), configured: configuration.keypad == .path(path))
            {
                probe = Probe(device: device, kind: .keypad, touch: nil)
            }
            guard let probe else {
                device.stop()
                return nil
            }
            if configuration.grab { try device.grab() }
            return probe
        } catch {
            device.stop()
            throw error
        }
    }
}
