import Glibc

/// A framebuffer that cannot be opened, understood or drawn on, with a message a technician can act on.
public enum DisplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A call on the device failed with `errno`.
    case system(call: String, device: String, code: Int32)
    /// The pixel layout is none the kiosk can draw (for example 8 bpp palette modes).
    case unsupportedFormat(device: String, layout: String)
    /// The device's geometry does not hold together (stride shorter than a row, memory smaller than a frame).
    case badGeometry(device: String, reason: String)

    public var description: String {
        switch self {
        case .system(let call, let device, let code):
            let reason: String =
                switch code {
                case ENOENT:
                    "does not exist: is a display connected and its driver loaded? (`ls /dev/fb*`; on KMS-only systems enable fbdev emulation)"
                case EACCES, EPERM: "may not be opened by this user: add the kiosk user to the group `video`"
                case ENOTTY where call.hasPrefix("FBIO"), EINVAL where call.hasPrefix("FBIO"):
                    "is not a framebuffer device (/dev/fbN)"
                default: "failed: \(SystemCall.describe(code))"
                }
            return "\(device) \(reason) (\(call), errno \(code))"
        case .unsupportedFormat(let device, let layout):
            return
                "\(device) uses a pixel format the kiosk cannot draw (\(layout)); set the panel to 16, 24 or 32 bits per pixel (e.g. `framebuffer_depth=32` on a Raspberry Pi)"
        case .badGeometry(let device, let reason):
            return "\(device) reports an impossible geometry: \(reason)"
        }
    }
}
