import Core
import Drivers
import Foundation
import Logging
import Synchronization

/// The display `[display]` configures: text boxes on the terminal, the panel through fbdev, or a framebuffer in
/// memory that saves each screen as PNG (the demo).
package struct DisplaySetup {
    /// What the runtime shows screens on.
    let display: any Display
    /// The pixel display behind it, when there is one: the animation and touch work on it.
    let framebuffer: FramebufferDisplay?

    init(settings: DisplaySettings, logger: Logger) throws {
        switch settings.backend {
        case .terminal:
            display = TerminalDisplay { text in FileHandle.standardOutput.write(Data(text.utf8)) }
            framebuffer = nil
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
            let display = try FramebufferDisplay(
                framebuffer: panel, size: size, rotation: settings.rotation, renderer: try Renderer(),
                animatesIdle: settings.animatesIdle, logger: logger)
            (self.display, framebuffer) = (display, display)
        case .virtual:
            let panel = try Framebuffer.virtual(width: settings.pixelWidth, height: settings.pixelHeight)
            let display = try FramebufferDisplay(
                framebuffer: panel, size: Self.size(settings, reported: nil), rotation: settings.rotation,
                renderer: try Renderer(), animatesIdle: settings.animatesIdle, logger: logger,
                framePresented: try settings.snapshots.map { try Self.snapshotWriter(folder: $0, logger: logger) })
            (self.display, framebuffer) = (display, display)
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
