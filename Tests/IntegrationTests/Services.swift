import Foundation
import TestSupport
import Testing

/// The real services the integration tests need, and the virtual devices they drive. A missing service fails
/// the test with the package to install; nothing is skipped silently.
enum Services {
    /// The folder holding the built executables (`kiosk`, `kiosk-sim`): beside the test bundle.
    static let binaries: String = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("kiosk-sim").path) {
                return url.path
            }
            url = url.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().path
    }()

    static var kioskSim: String { binaries + "/kiosk-sim" }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    struct Missing: Error {}

    /// Whether `port` on loopback can be bound now.
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A TCP port nothing listens on now: bound to port 0 and released.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts a daemon that forks (pcscd): its output goes nowhere, since the forked daemon would hold a pipe open
    /// for ever.
    static func startDaemon(_ command: String) async throws {
        try await run("/bin/sh", ["-c", "\(command) </dev/null >/dev/null 2>&1"])
    }

    /// Runs a command to completion and returns its status and output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await TestProcess.runMerged(executable, arguments)
    }
}

/// One `kiosk-sim card` process: the card is on the reader while it runs.
final class SimulatedCard {
    let process = Process()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: Services.kioskSim)
        process.arguments = ["card"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Takes the card away.
    func remove() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { remove() }
}

/// A pcscd of a test's own: a second instance in a private mount namespace whose /run/pcscd is a folder of the test
/// (bind-mounted: pcscd 1.9.9 always uses /run/pcscd/pcscd.comm; only the client library reads
/// `PCSCLITE_CSOCK_NAME`), with a vpcd reader on ports chosen at run time. Killing it disturbs nothing else, and
/// nothing else (another test run on the same machine, a program on vpcd's usual ports) disturbs it. Needs root
/// (unshare --mount), as `make test` runs.
final class PrivatePCSCD {
    let folder: String
    /// The ports vpcd listens on for the cards of the reader's two slots ("NAME 00 00", "NAME 00 01"): vpcd takes
    /// the configured port and the next one.
    let ports: [Int]
    var daemon: FollowedProcess?

    /// One vpcd reader named `name`, its two slots on two free ports in a row.
    init(reader name: String, folder: String? = nil) throws {
        var port = try Services.freePort()
        for _ in 0..<20 where !Services.isFree(port + 1) { port = try Services.freePort() }
        ports = [port, port + 1]
        self.folder =
            folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("pcscd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: self.folder + "/reader.conf.d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: self.folder + "/run", withIntermediateDirectories: true)
        try """
        FRIENDLYNAME "\(name)"
        DEVICENAME   /dev/null:0x\(String(port, radix: 16))
        LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
        CHANNELID    0x\(String(port, radix: 16))
        """.write(toFile: self.folder + "/reader.conf.d/vpcd", atomically: true, encoding: .utf8)
    }

    var socket: String { folder + "/run/pcscd.comm" }
    var environment: [String: String] { ["PCSCLITE_CSOCK_NAME": socket] }

    /// Starts pcscd in the foreground and waits for its socket.
    func start() async throws {
        guard FileManager.default.fileExists(atPath: "/usr/lib/pcsc/drivers/serial/libifdvpcd.so") else {
            Issue.record("the vpcd virtual reader is not installed: apt-get install vsmartcard-vpcd")
            throw Services.Missing()
        }
        // What a killed pcscd leaves behind; a new one would refuse to start beside its socket.
        try? FileManager.default.removeItem(atPath: socket)
        try? FileManager.default.removeItem(atPath: folder + "/run/pcscd.pid")
        daemon = try await FollowedProcess(
            "/usr/bin/unshare",
            [
                "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount --bind \(folder)/run /run/pcscd && exec pcscd --foreground --config \(folder)/reader.conf.d",
            ], environment: environment)
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = await daemon!.output
        guard FileManager.default.fileExists(atPath: socket) else {
            Issue.record("pcscd made no socket: \(output)")
            throw Services.Missing()
        }
    }

    /// SIGKILL, as a crash or an OOM kill would; reaped, so no zombie holds its name.
    func kill() {
        guard let process = daemon?.process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
