package import Foundation

/// Where the kiosk may talk to the provincial API: over HTTPS, trusting only the province's CA (`[api]
/// trust_anchor`), or over plain HTTP on this machine's loopback only (the demo, the tests). Records carry
/// residents' data and the enrollment token makes a device the village's, so neither goes over the open network
/// in the clear, nor to a server that any CA in the system store vouches for.
package enum APIAddress {
    /// Why `url` may not be used with `trustAnchor`, or `nil` when it may.
    package static func problem(_ url: URL, trustAnchor: String?) -> String? {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = url.host,
            !host.isEmpty
        else { return "expected https://host[:port], e.g. https://api.example.id" }
        if isLoopback(host) { return nil }
        if scheme == "http" {
            return "plain http is only for a server on this machine (127.0.0.1, localhost): use https://\(host)"
                + (url.port.map { ":\($0)" } ?? "")
        }
        if trustAnchor == nil {
            return "https to \(host) needs [api] trust_anchor, the province's CA certificate (a PEM file): the "
                + "kiosk trusts no other CA with residents' records"
        }
        return nil
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
