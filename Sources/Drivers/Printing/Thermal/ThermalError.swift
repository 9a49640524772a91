/// Why a thermal printer could not be reached or fed, in words a technician can act on.
public enum ThermalError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreachable(String, String)
    case connectionLost(String)

    public var description: String {
        switch self {
        case .unreachable(let address, let reason):
            "the thermal printer at \(address) does not answer (\(reason)): is it on, cabled, and is the address right?"
        case .connectionLost(let reason): "the connection to the thermal printer broke: \(reason)"
        }
    }
}
