import Core
import Drivers
import Logging
import ServiceLifecycle

/// Feeds the touch panel and the keypad to the kiosk: keys go to the runtime as `.key`, touch contacts through
/// Core's `TouchGesture` (a press acts on release inside the button it went down on) as `.press`, highlights to
/// the screen. Devices that come and go are logged and waited for (`InputDevices` opens them again), and listed
/// on the technician's diagnostics screen as they do.
///
/// Keys and button names stay out of the logs where they could be a PIN: only that a key came, never which.
package struct InputService: Service {
    let devices: InputDevices
    let screen: any TouchScreen
    let events: KioskEvents
    let logger: Logger

    /// The input and console services `[input]` asks for (on a panel, by default, both); touches are hit-tested on
    /// `screen`.
    static func configured(
        _ settings: KioskSettings, events: KioskEvents, screen: any TouchScreen, logger: Logger,
        switched: @escaping @Sendable (Console.Switch) async -> Void = { _ in }
    ) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let console = settings.input.console {
            services.append(
                .init(
                    service: ConsoleService(
                        console: console, logger: Logger(label: "kiosk.console"), switched: switched),
                    serviceName: "console"))
        }
        if settings.input.hasDevices {
            services.append(
                .init(
                    service: InputService(
                        devices: InputDevices(
                            configuration: settings.input.devices(excluding: settings.cardReader.wedgeDevice)),
                        screen: screen, events: events, logger: Logger(label: "kiosk.input")),
                    serviceName: "input"))
        }
        return services
    }

    /// What the service follows between events: the finger's gesture, and the diagnostics line of each open
    /// device by path.
    package struct State {
        var gesture = TouchGesture<ButtonID>()
        var devices: [String: String] = [:]
    }

    package func run() async throws {
        var state = State()
        await screen.inputDevicesChanged(Self.facts(state.devices))
        for await event in devices.events().cancelOnGracefulShutdown() {
            await handle(event, state: &state)
        }
    }

    func handle(_ event: InputDevices.Event, state: inout State) async {
        switch event {
        case .connected(let path, let name, let kind, let detail, let touch):
            var metadata: Logger.Metadata = [
                "device": "\(path)", "name": "\(name)", "kind": "\(kind.rawValue)", "reads": "\(detail)",
            ]
            if let touch { metadata["calibration"] = "\(touch.calibrationDescription)" }
            logger.notice("input device connected", metadata: metadata)
            if case .udevMalformed(let problem) = touch?.calibrationSource {
                logger.warning(
                    "udev's touch calibration is malformed and not used; set [input] calibration or fix the udev rule",
                    metadata: ["device": "\(path)", "problem": "\(problem)"])
            }
            state.devices[path] = Self.fact(path: path, name: name, kind: kind, touch: touch)
            await screen.inputDevicesChanged(Self.facts(state.devices))
        case .key(let key):
            logger.trace("key")
            events.send(.key(key))
        case .touch(let contact):
            let target = contact.phase == .cancelled ? nil : await screen.target(at: contact.point)
            for action in state.gesture.handle(contact, target: target) {
                switch action {
                case .highlight(let button):
                    await screen.highlight(button)
                case .press(let button):
                    logger.info("touch press", metadata: ["button": "\(Self.loggable(button))"])
                    events.send(.press(button))
                }
            }
        case .removed(let path, let error):
            logger.warning(
                "input device gone; waiting for it to come back", metadata: ["device": "\(path)", "error": "\(error)"])
            state.devices[path] = nil
            await screen.inputDevicesChanged(Self.facts(state.devices))
        case .unavailable(let path, let problem):
            logger.warning(
                "input device unavailable; waiting for it", metadata: ["device": "\(path)", "problem": "\(problem)"])
        case .hotplugUnavailable(let error):
            logger.error(
                "input devices plugged in later will not be found (inotify failed)", metadata: ["error": "\(error)"])
        }
    }

    /// The diagnostics line of one device (its words are in `Teks`): what it is, its node, its name, and for a
    /// touch panel the protocol, axis ranges and calibration with its source.
    static func fact(path: String, name: String, kind: InputDevices.Kind, touch: InputDevices.TouchFacts?) -> String {
        Teks.inputDevice(
            path: path, name: name,
            touch: touch.map { touch in
                let source: Teks.CalibrationSource =
                    switch touch.calibrationSource {
                    case .configured: .configured
                    case .udev: .udev
                    case .none: .none
                    case .udevMalformed: .udevMalformed
                    }
                return (
                    touch.touchProtocol.rawValue, touch.xRange, touch.yRange, touch.calibration.libinputMatrix, source
                )
            })
    }

    /// The diagnostics lines of the open devices, by path; one line saying there are none when none is open.
    static func facts(_ devices: [String: String]) -> [String] {
        devices.isEmpty ? [Teks.noInputDevices] : devices.keys.sorted().map { devices[$0]! }
    }

    /// A button's name for the log; PIN keys without their digit.
    static func loggable(_ button: ButtonID) -> String {
        if case .pinDigit = button { return "pinDigit" }
        return "\(button)"
    }
}
