import Foundation
import Glibc
import TestSupport
import Testing

/// A name server that never answers (a village router whose uplink is down) must not hold a call to the provincial
/// API for glibc's own timeouts (`timeout:60 attempts:3` below: three minutes): the connect timeout covers the name
/// lookup too. The kiosk runs in a mount namespace of its own whose /etc/resolv.conf names a UDP socket that reads
/// nothing, so nothing else on the machine is touched. Root only (unshare, mount), as in CI.
@Suite("Name lookups under a deadline")
struct NameLookupDeadlineTests {
    @Test(.enabled(if: getuid() == 0, "needs root for unshare -m"))
    func aNameServerThatNeverAnswersEndsInTheConnectTimeout() async throws {
        let directory = try TemporaryDirectory()
        // A loopback address of its own for port 53: other programs on the machine may hold 127.0.0.1:53.
        let address = "127.0.\(Int.random(in: 1...254)).\(Int.random(in: 2...254))"
        let silent = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(silent) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = in_port_t(53).bigEndian
        inet_pton(AF_INET, address, &sin.sin_addr)
        let bound = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0, "cannot bind \(address):53: errno \(errno)")
        let resolv = try directory.write("resolv.conf", "nameserver \(address)\noptions timeout:60 attempts:3\n")
        // https needs a trust anchor; any certificate does, the connection never gets that far.
        let anchor = directory.path + "/ca.pem"
        let made = try await TestProcess.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                directory.path + "/ca.key", "-out", anchor, "-subj", "/CN=test CA", "-days", "1",
            ])
        try #require(made.status == 0, "openssl: \(made.all)")
        let config = try directory.write(
            "kiosk.toml",
            SampleConfig.withState(in: directory.path + "/state") + "\n[api]\ntrust_anchor = \"\(anchor)\"\n")
        let kiosk = TestPaths.binaries + "/kiosk"
        // `timeout 120`: a lookup left to glibc would take 180 s; the kiosk's connect timeout is 10 s.
        let outcome = try await TestProcess.run(
            "/usr/bin/unshare",
            [
                "-m", "sh", "-c",
                "mount --bind '\(resolv)' /etc/resolv.conf && exec timeout 120 '\(kiosk)' enroll --config '\(config)' "
                    + "--url https://api.provinsi.example --token-file -",
            ], input: "token\n")
        #expect(outcome.status != 124, "the name lookup was not bounded: \(outcome.all)")
        #expect(outcome.all.contains("unreachable (api.provinsi.example: connection timed out)"), "\(outcome.all)")
    }
}
