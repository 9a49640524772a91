/// What can go wrong drawing a page, in words a technician can act on.
public enum GraphicsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A font the layout needs is not installed (fontconfig would silently substitute another, whose metrics
    /// differ, so the kiosk refuses to start instead).
    case fontMissing(family: String, package: String)
    /// cairo refused an operation; `status` is `cairo_status_to_string`'s text.
    case cairo(call: String, status: String)
    /// The logo (or another image) could not be read as PNG.
    case imageUnreadable(path: String, reason: String)
    /// libqrencode could not encode the payload (too long for any QR version).
    case qrTooLong(length: Int)

    public var description: String {
        switch self {
        case .fontMissing(let family, let package):
            "font \"\(family)\" is not installed (fc-match finds a substitute): apt-get install \(package)"
        case .cairo(let call, let status): "\(call) failed: \(status)"
        case .imageUnreadable(let path, let reason):
            "the image \(path) cannot be used: \(reason) (it must be a PNG file readable by the kiosk)"
        case .qrTooLong(let length): "a QR code cannot hold \(length) characters"
        }
    }
}
