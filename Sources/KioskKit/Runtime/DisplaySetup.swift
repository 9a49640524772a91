import Core
import Drivers
import Foundation
import Logging
import Synchronization

/// The display `[display]` configures, behind the screen presenter: text boxes on the terminal, the panel through
/// the fbdev driver, or a framebuffer in memory that saves each screen as PNG (the demo).
enum DisplaySetup {
    /// The presenter, with the idle screen drawn off screen once (`ScreenPresenter.prepare`): `kiosk run` makes it
    /// beside the database and registry, so the first frame on the panel costs less of start → READY=1.
    static func preparedPresenter(_ settings: DisplaySettings, display: (any Display)?, logger: Logger) async throws
        -> ScreenPresenter
    {
        let presenter = try presenter(settings, display: display, logger: logger)
        await presenter.prepare(KioskScreens.idle(health: Health()))
        return presenter
    }

    /// The presenter of the configured display, or of `display` in its place (tests capture the screens).
    static func presenter(_ settings: DisplaySettings, display: (any Display)?, logger: Logger) throws
        -> ScreenPresenter
    {
        if let display { return try ScreenPresenter(display: display, size: settings.size, logger: logger) }
        switch settings.backend {
        case .terminal:
            return try ScreenPresenter(
                display: TerminalDisplay { text in FileHandle.standardOutput.write(Data(text.utf8)) },
                size: settings.size, logger: logger)
        case .framebuffer:
            let panel = try Framebuffer.open(settings.device, swapRedAndBlue: settings.swapRedAndBlue)
            let size = Self.size(settings, reported: panel.physicalSize)
            logger.info(
                "framebuffer open",
                metadata: [
                    "device": "\(settings.device)", "pixels": "\(panel.width)x\(panel.height)",
                    "format": "\(panel.format)", "stride": "\(panel.stride)", "size": "\(size)",
                    "rotation": "\(settings.rotation.rawValue)", "pan_vsync": "\(panel.canPanAndWait)",
                ])
            let renderer = try Renderer()
            return try ScreenPresenter(
                driver: try FramebufferDriver(framebuffer: panel, rotation: settings.rotation, fonts: renderer.fonts),
                size: size, renderer: renderer, animatesIdle: settings.animatesIdle, logger: logger)
        case .virtual:
            let panel = try Framebuffer.virtual(width: settings.pixelWidth, height: settings.pixelHeight)
            let renderer = try Renderer()
            return try ScreenPresenter(
                driver: try FramebufferDriver(framebuffer: panel, rotation: settings.rotation, fonts: renderer.fonts),
                size: Self.size(settings, reported: nil), renderer: renderer, animatesIdle: settings.animatesIdle,
                logger: logger,
                framePresented: try settings.snapshots.map { try Self.snapshotWriter(folder: $0, logger: logger) })
        }
    }

    /// The configured size, else the driver's (turned by the rotation), else the configured default.
    static func size(_ settings: DisplaySettings, reported: SizeMM?) -> SizeMM {
        guard !settings.sizeConfigured, let reported else { return settings.size }
        let turned = settings.rotation.drawnSize(width: reported.width, height: reported.height)
        return SizeMM(width: turned.width, height: turned.height)
    }

    /// Saves each new screen as `NNN-<screen>.png` (the screen's stable name, never its content).
    static func snapshotWriter(folder: String, logger: Logger) throws -> @Sendable (Screen, [UInt8]) -> Void {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let counter = Atomic<Int>(0)
        return { screen, png in
            let number = counter.add(1, ordering: .relaxed).newValue
            let name = String(repeating: "0", count: max(0, 3 - String(number).count)) + "\(number)-\(screen.id).png"
            do {
                try Data(png).write(to: URL(fileURLWithPath: folder + "/" + name))
            } catch {
                logger.warning("screen snapshot not saved", metadata: ["folder": "\(folder)", "error": "\(error)"])
            }
        }
    }
}
