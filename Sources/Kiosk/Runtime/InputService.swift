import Core
import Drivers
import Logging
import ServiceLifecycle

/// Feeds the touch panel and the keypad to the kiosk: keys go to the runtime as `.key`, touch contacts through
/// Core's `TouchGesture` (a press acts on release inside the button it went down on) as `.press`, highlights to
/// the screen. Devices that come and go are logged and waited for (`InputDevices` opens them again).
///
/// Keys and button names stay out of the logs where they could be a PIN: only that a key came, never which.
struct InputService: Service {
    let devices: InputDevices
    let screen: any TouchScreen
    let events: KioskEvents
    let logger: Logger

    /// The input and console services `[input]` asks for (none without it). `screen` is the display's hit test;
    /// without one, the layout's over the screen on display.
    static func configured(
        _ settings: KioskSettings, events: KioskEvents, screens: ScreenWatch, screen: (any TouchScreen)? = nil,
        logger: Logger, switched: @escaping @Sendable (Console.Switch) async -> Void = { _ in }
    ) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let tty = settings.input.console {
            services.append(
                .init(service: ConsoleService(tty: tty, logger: Logger(label: "kiosk.console"), switched: switched)))
        }
        if settings.input.hasDevices {
            let touchScreen =
                try screen ?? LayoutTouchScreen(screens: screens, layout: ScreenLayout(size: settings.display.size))
            services.append(
                .init(
                    service: InputService(
                        devices: InputDevices(
                            configuration: settings.input.devices(excluding: settings.cardReader.wedgeDevice)),
                        screen: touchScreen, events: events, logger: Logger(label: "kiosk.input"))))
        }
        return services
    }

    func run() async throws {
        var gesture = TouchGesture<ButtonID>()
        for await event in devices.events().cancelOnGracefulShutdown() {
            await handle(event, gesture: &gesture)
        }
    }

    func handle(_ event: InputDevices.Event, gesture: inout TouchGesture<ButtonID>) async {
        switch event {
        case .connected(let path, let name, let kind, let detail):
            logger.notice(
                "input device connected",
                metadata: ["device": "\(path)", "name": "\(name)", "kind": "\(kind.rawValue)", "reads": "\(detail)"])
        case .key(let key):
            logger.trace("key")
            events.send(.key(key))
        case .touch(let contact):
            let target = contact.phase == .cancelled ? nil : await screen.target(at: contact.point)
            for action in gesture.handle(contact, target: target) {
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
        case .unavailable(let path, let problem):
            logger.warning(
                "input device unavailable; waiting for it", metadata: ["device": "\(path)", "problem": "\(problem)"])
        case .hotplugUnavailable(let error):
            logger.error(
                "input devices plugged in later will not be found (inotify failed)", metadata: ["error": "\(error)"])
        }
    }

    /// A button's name for the log; PIN keys without their digit.
    static func loggable(_ button: ButtonID) -> String {
        if case .pinDigit = button { return "pinDigit" }
        return "\(button)"
    }
}
