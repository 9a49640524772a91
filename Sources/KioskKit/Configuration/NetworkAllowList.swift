/// The IP addresses a kiosk's configuration talks to, as a systemd drop-in for kiosk.service: the unit denies every
/// address but loopback (`IPAddressDeny=any`, `IPAddressAllow=localhost`), and this drop-in allows the provincial
/// API, a network thermal printer, a remote CUPS server and the name servers that resolve them.
///
/// `IPAddressAllow=` takes addresses, not names, so the names are resolved when the drop-in is written: when the
/// API moves to new addresses the kiosk's calls fail with "blocked by the unit's IP allow list" until
/// `kiosk allow-network --write` runs again (the upgrade's postinst runs it too).
package struct NetworkAllowList: Equatable, Sendable {
    package struct Entry: Equatable, Sendable {
        /// Why: `[api] url: api.example.id`.
        package var reason: String
        package var addresses: [String]
    }

    package var entries: [Entry]

    /// Where `kiosk allow-network --write` puts the drop-in.
    package static let dropInPath = "/etc/systemd/system/kiosk.service.d/50-network.conf"

    /// The hosts `settings` name, resolved with `resolve`; the name servers (from /etc/resolv.conf's text) are added
    /// when any of them is a name rather than an address. Loopback needs no entry: the unit allows it.
    package init(
        settings: KioskSettings, resolvConf: String, resolve: (String) throws -> [String]
    ) throws {
        var hosts: [(reason: String, host: String)] = []
        if let host = settings.api.url?.host { hosts.append(("[api] url", host)) }
        if case .tcp(let host, _) = settings.printing.thermal?.address { hosts.append(("[printing] thermal", host)) }
        if let server = settings.printing.cupsServer, !server.hasPrefix("/"), let host = Self.host(ofServer: server) {
            hosts.append(("[printing] cups_server", host))
        }
        var entries: [Entry] = []
        var needsNames = false
        for (reason, host) in hosts where !Self.isLoopback(host) {
            let literal = Self.isAddress(host)
            needsNames = needsNames || !literal
            let addresses = try (literal ? [Self.unbracketed(host)] : resolve(host)).filter { !Self.isLoopback($0) }
            if !addresses.isEmpty { entries.append(Entry(reason: "\(reason): \(host)", addresses: addresses)) }
        }
        if needsNames {
            let servers = Self.nameServers(resolvConf).filter { !Self.isLoopback($0) }
            if !servers.isEmpty {
                entries.append(Entry(reason: "name servers (/etc/resolv.conf), to look up the names above", addresses: servers))
            }
        }
        self.entries = entries
    }

    /// The drop-in's text.
    package func dropIn(configPath: String) -> String {
        var lines = [
            "# Written by `kiosk allow-network --write` from \(configPath). kiosk.service denies every IP address but",
            "# loopback; these are the ones this kiosk's configuration talks to. Write it again after changing [api] url,",
            "# [printing] or the name servers, or when the API's addresses change; then systemctl daemon-reload and",
            "# systemctl restart kiosk.",
            "[Service]",
        ]
        if entries.isEmpty { lines.append("# Nothing beyond loopback: the configuration names no remote host.") }
        for entry in entries {
            lines.append("# \(entry.reason)")
            lines += entry.addresses.map { "IPAddressAllow=\($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `nameserver` lines of resolv.conf(5).
    static func nameServers(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
            // An IPv6 server may carry a zone (`fe80::1%eth0`), which IPAddressAllow= does not take.
            return String(fields[1].split(separator: "%").first ?? fields[1])
        }
    }

    /// `host` of `host:port`, `[v6]:port` or a bare host.
    static func host(ofServer server: String) -> String? {
        if server.hasPrefix("["), let close = server.firstIndex(of: "]") {
            return String(server[server.index(after: server.startIndex)..<close])
        }
        let parts = server.split(separator: ":")
        return parts.count <= 2 ? parts.first.map(String.init) : server
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || unbracketed(host) == "::1"
    }

    static func isAddress(_ host: String) -> Bool {
        let bare = unbracketed(host)
        let isV4 = bare.split(separator: ".", omittingEmptySubsequences: false).count == 4
            && bare.allSatisfy { $0.isNumber || $0 == "." }
        return isV4 || bare.contains(":")
    }

    static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
