import Glibc

/// An input device that cannot be opened or read, with a message a technician can act on.
///
/// Names the device path and the call that failed, never what the device typed (a wedge reader types card
/// numbers).
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call that failed and its `errno`.
    public let failure: SystemCallError
    /// The device path, as configured.
    public let device: String

    public init(code: Int32, call: String, device: String) {
        failure = SystemCallError(call: call, code: code)
        self.device = device
    }

    /// The `errno` of the failed call. A device that went away while open is always `ENODEV`, whichever way the
    /// kernel said so (a read error, or poll's hang-up).
    public var code: Int32 { failure.code }
    /// The call that failed.
    public var call: String { failure.call }

    /// The device was unplugged (or its access revoked) while open: it is gone until it is opened again.
    public var isUnplugged: Bool { code == ENODEV }

    public var description: String {
        let reason: String =
            switch code {
            case ENODEV: "was unplugged"
            case ENOENT: "does not exist: plug the device in, or check the path (`ls -l /dev/input/by-id`)"
            case EACCES, EPERM:
                "may not be read by this user: add the kiosk user to the group `input` (kiosk.service: "
                    + "SupplementaryGroups=input and DeviceAllow=char-input r)"
            case ENOTTY where call.hasPrefix("EVIOC"), EINVAL where call.hasPrefix("EVIOC"):
                "is not an input event device (/dev/input/eventN)"
            case EBUSY where call == "EVIOCGRAB": "is held by another program (EVIOCGRAB): stop it, or set grab off"
            default: "failed: \(failure.message)"
            }
        return "\(device) \(reason) (\(call), errno \(code))"
    }
}
