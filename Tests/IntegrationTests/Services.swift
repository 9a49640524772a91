import Foundation
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

    /// pcscd must be running with the vpcd driver (packages pcscd and vsmartcard-vpcd; `make test` starts it).
    static func requirePCSCD(sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard FileManager.default.fileExists(atPath: "/etc/reader.conf.d/vpcd") else {
            Issue.record(
                "the vpcd virtual reader is not installed: apt-get install vsmartcard-vpcd",
                sourceLocation: sourceLocation)
            throw Missing()
        }
        guard FileManager.default.fileExists(atPath: "/run/pcscd/pcscd.comm") else {
            Issue.record(
                "pcscd is not running: `make test` starts it (apt-get install pcscd; pcscd)",
                sourceLocation: sourceLocation)
            throw Missing()
        }
    }

    struct Missing: Error {}

    /// Starts a daemon that forks (pcscd): its output goes nowhere, since the forked daemon would hold a pipe open
    /// for ever.
    static func startDaemon(_ command: String) throws {
        try run("/bin/sh", ["-c", "\(command) </dev/null >/dev/null 2>&1"])
    }

    /// Runs a command to completion and returns its status and output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
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
