import Glibc

/// The IP addresses a host name stands for, as the kiosk's own connections would resolve it (`getaddrinfo`, through
/// /etc/nsswitch.conf and /etc/resolv.conf). Blocks on the name servers: call it from a command, never from the
/// async pool.
public enum AddressLookup {
    /// Every address of `host` (IPv4 and IPv6, numeric, without duplicates, in the resolver's order); an IP literal
    /// is itself. Throws with the resolver's own words when the name does not resolve.
    public static func addresses(of host: String) throws(AddressLookupError) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let list else {
            throw AddressLookupError(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var found: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                current.pointee.ai_addr, current.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0,
                NI_NUMERICHOST) == 0
            {
                let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !found.contains(address) { found.append(address) }
            }
            entry = current.pointee.ai_next
        }
        return found
    }
}

public struct AddressLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let reason: String

    public var description: String { "\(host) does not resolve: \(reason)" }
}
