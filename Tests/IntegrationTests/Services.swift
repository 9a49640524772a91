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

    /// The shared pcscd must be running with both vpcd readers listed, and vpcd must hold its ports (packages pcscd,
    /// vsmartcard-vpcd and pcsc-tools; `make test` starts it with `scripts/services start`). Checked once per test
    /// run; a failure names its cause at once instead of a later wait for a reader or a screen that never comes.
    static func requirePCSCD(sourceLocation: SourceLocation = #_sourceLocation) throws {
        if let problem = sharedPCSCDProblem {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
            throw Missing()
        }
    }

    /// The vpcd readers of the shared pcscd and the ports their driver listens on (/etc/reader.conf.d/vpcd).
    static let vpcdReaders = [("Virtual PCD 00 00", 35963), ("Virtual PCD 00 01", 35964)]

    static let sharedPCSCDProblem: String? = {
        guard FileManager.default.fileExists(atPath: "/etc/reader.conf.d/vpcd") else {
            return "the vpcd virtual reader is not installed: apt-get install vsmartcard-vpcd"
        }
        guard FileManager.default.fileExists(atPath: "/run/pcscd/pcscd.comm") else {
            return "pcscd is not running: `make test` starts it (scripts/services start; apt-get install pcscd)"
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pcsc_scan") else {
            return "/usr/bin/pcsc_scan is missing: apt-get install pcsc-tools"
        }
        guard let listed = try? run("/usr/bin/timeout", ["10", "/usr/bin/pcsc_scan", "-r"]), listed.status == 0 else {
            return "pcscd did not answer `pcsc_scan -r` within 10 s: restart it (scripts/services stop; start)"
        }
        var problems: [String] = []
        for (reader, port) in vpcdReaders where !listed.output.contains(reader) {
            let holder = (try? run("/usr/bin/ss", ["-Hltnp", "sport = :\(port)"]).output) ?? ""
            let cause =
                holder.isEmpty
                ? "nothing listens on port \(port)"
                : holder.contains("\"pcscd\"")
                    ? "pcscd holds port \(port) but lists no such reader"
                    : "another program holds vpcd's port \(port), so vpcd could not listen: "
                        + holder.trimmingCharacters(in: .whitespacesAndNewlines)
            problems.append(
                "pcscd does not list \"\(reader)\" (pcsc_scan -r: \(listed.output.trimmingCharacters(in: .whitespacesAndNewlines))); \(cause)"
            )
        }
        return problems.isEmpty
            ? nil
            : problems.joined(separator: "\n")
                + "\nfix: stop that program, then scripts/services stop && scripts/services start"
    }()

    struct Missing: Error {}

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
    static func startDaemon(_ command: String) throws {
        try run("/bin/sh", ["-c", "\(command) </dev/null >/dev/null 2>&1"])
    }

    /// Runs a command to completion and returns its status and output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestProcess.runMerged(executable, arguments)
    }

    /// `run`, awaited on a thread outside the concurrency pool: the pool has one thread per core (two in CI), and a
    /// test blocking one for a whole `kiosk run` session held back every other test's timers (two wedge reader
    /// tests timed out in a full run).
    static func runDetached(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String)
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try run(executable, arguments) }) }
        }
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
