import ArgumentParser
import Drivers
import Foundation
import KioskKit

/// `kiosk allow-network`: the IP allow list of kiosk.service for this configuration (see `NetworkAllowList`).
struct AllowNetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allow-network",
        abstract: "Print (or --write) the systemd drop-in that lets kiosk.service reach the hosts its configuration "
            + "names: the unit denies every IP address but loopback.")

    @OptionGroup var options: ConfigOption

    @Flag(help: "Write the drop-in to \(NetworkAllowList.dropInPath) instead of printing it.")
    var write = false

    @Option(help: ArgumentHelp("Write into this folder instead of kiosk.service.d.", visibility: .hidden))
    var dropInDirectory: String?

    func run() throws {
        let settings = try options.loadSettings(withCredentials: false)
        let resolvConf = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        let list: NetworkAllowList
        do {
            list = try NetworkAllowList(settings: settings, resolvConf: resolvConf) { host in
                try AddressLookup.addresses(of: host)
            }
        } catch {
            printError("cannot write the allow list: \(error); check the network and the name in \(options.config)")
            throw ExitCode(1)
        }
        let text = list.dropIn(configPath: options.config)
        guard write else {
            print(text, terminator: "")
            return
        }
        let path =
            dropInDirectory.map { $0 + "/50-network.conf" } ?? NetworkAllowList.dropInPath
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            printError("cannot write \(path): \(error)")
            throw ExitCode(1)
        }
        let count = list.entries.reduce(0) { $0 + $1.addresses.count }
        print("wrote \(path): \(count) address\(count == 1 ? "" : "es") beyond loopback")
        print("next: systemctl daemon-reload && systemctl restart kiosk")
    }
}
