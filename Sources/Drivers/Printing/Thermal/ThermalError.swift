/// Why a thermal printer could not be reached or fed, in words a technician can act on.
public enum ThermalError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreachable(String, String)
    case connectionLost(String)
    /// `LIBUSB_ERROR_NO_DEVICE`: the printer went away under a job (cable pulled, power cut).
    case unplugged(String)

    public var description: String {
        switch self {
        case .unreachable(let address, let reason):
            "the thermal printer at \(address) does not answer (\(reason)): is it on, cabled, and is the address right?"
        case .connectionLost(let reason): "the connection to the thermal printer broke: \(reason)"
        case .unplugged(let name):
            "the thermal printer \(name) was unplugged during the job: the job failed; plug it back in and print again"
        }
    }
}
