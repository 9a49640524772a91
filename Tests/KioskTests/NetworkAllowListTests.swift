import Foundation
import TestSupport
import Testing

@testable import KioskKit

/// The drop-in `kiosk allow-network` writes: every host the configuration names, by address, and nothing for
/// loopback (the unit allows it). Names resolve through a stand-in here; the command itself runs with the real
/// resolver below, and the system test runs the unit with its drop-in under a real systemd.
@Suite("The IP allow list of kiosk.service")
struct NetworkAllowListTests {

    static let resolvConf = """
        # written by NetworkManager
        nameserver 192.168.1.1
        nameserver fe80::1%eth0
        nameserver 127.0.0.53
        options edns0
        """

    @Test func theAPIAThermalPrinterARemoteCupsdAndTheNameServersAreAllowed() throws {
        let directory = try TemporaryDirectory()
        let settings = try SampleConfig.parse(
            SampleConfig.valid
                + """

                [printing]
                thermal = "192.0.2.9:9100"
                cups_server = "cups.desa.example:631"

                [api]
                url = "https://api.provinsi.example"
                trust_anchor = "\(try directory.write("ca.pem", "-"))"
                """)
        var asked: [String] = []
        let list = try NetworkAllowList(settings: settings, resolvConf: Self.resolvConf) { host in
            asked.append(host)
            return host == "api.provinsi.example" ? ["203.0.113.7", "2001:db8::7"] : ["198.51.100.3", "127.0.1.1"]
        }
        #expect(asked == ["api.provinsi.example", "cups.desa.example"], "an IP literal is not looked up")
        #expect(
            list.entries == [
                .init(reason: "[api] url: api.provinsi.example", addresses: ["203.0.113.7", "2001:db8::7"]),
                .init(reason: "[printing] thermal: 192.0.2.9", addresses: ["192.0.2.9"]),
                .init(reason: "[printing] cups_server: cups.desa.example", addresses: ["198.51.100.3"]),
                .init(
                    reason: "name servers (/etc/resolv.conf), to look up the names above",
                    addresses: ["192.168.1.1", "fe80::1"]),
            ])
        let text = list.dropIn(configPath: "/etc/kiosk/kiosk.toml")
        #expect(text.contains("[Service]\n# [api] url: api.provinsi.example\nIPAddressAllow=203.0.113.7\n"))
        #expect(!text.contains("127.0"), "loopback comes from the unit")
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("IPAddressAllow=") }.count == 6)
    }

    @Test func aLoopbackOnlyConfigurationAllowsNothingMoreAndSaysSo() throws {
        let settings = try SampleConfig.parse(SampleConfig.valid + "\n[api]\nurl = \"http://127.0.0.1:8080\"\n")
        let list = try NetworkAllowList(settings: settings, resolvConf: Self.resolvConf) { host in
            Issue.record("\(host) was looked up")
            return []
        }
        #expect(list.entries.isEmpty)
        #expect(list.dropIn(configPath: "k.toml").contains("# Nothing beyond loopback"))
    }

    @Test func aNameThatDoesNotResolveIsAnErrorNamingIt() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "kiosk.toml",
            SampleConfig.withState(in: directory.path + "/state")
                + "\n[api]\nurl = \"https://kiosk-api.invalid\"\ntrust_anchor = \"\(try directory.write("ca.pem", "-"))\"\n")
        let outcome = try await KioskBinary.run(["allow-network", "--config", config])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("kiosk-api.invalid does not resolve"), "\(outcome.all)")
    }

    @Test func theCommandWritesTheDropInWhereItIsTold() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "kiosk.toml",
            SampleConfig.withState(in: directory.path + "/state") + "\n[printing]\nthermal = \"192.0.2.9:9100\"\n")
        let outcome = try await KioskBinary.run(
            ["allow-network", "--config", config, "--write", "--drop-in-directory", directory.path + "/kiosk.service.d"])
        #expect(outcome.status == 0, "\(outcome.all)")
        #expect(outcome.stdout.contains("1 address beyond loopback"), "\(outcome.all)")
        let written = try String(contentsOfFile: directory.path + "/kiosk.service.d/50-network.conf", encoding: .utf8)
        #expect(written.contains("# [printing] thermal: 192.0.2.9\nIPAddressAllow=192.0.2.9\n"), "\(written)")
    }
}
