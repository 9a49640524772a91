import Foundation
import Testing

/// pcscd killed and started again while `kiosk run` serves: the daemon must see the service go, come back, and
/// serve the next tap, without a restart of its own. The test owns its pcscd, so killing it disturbs no other test:
/// a second instance in a private mount namespace whose /run/pcscd is a folder of the test (bind-mounted; pcscd
/// 1.9.9 always uses /run/pcscd/pcscd.comm, only the client library reads `PCSCLITE_CSOCK_NAME`), with a vpcd
/// reader on a port chosen at run time.
@Suite("pcscd restarted under a running kiosk", .serialized)
struct PCSCDRestartTests {
    final class OwnPCSCD {
        let folder: String
        /// The port its vpcd reader listens on for the card.
        let port: Int
        var daemon: FollowedProcess?

        init() throws {
            port = try Services.freePort()
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("pcscd-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(
                atPath: folder + "/reader.conf.d", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: folder + "/run", withIntermediateDirectories: true)
            try """
            FRIENDLYNAME "Restart PCD"
            DEVICENAME   /dev/null:0x\(String(port, radix: 16))
            LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
            CHANNELID    0x\(String(port, radix: 16))
            """.write(toFile: folder + "/reader.conf.d/vpcd", atomically: true, encoding: .utf8)
        }

        var socket: String { folder + "/run/pcscd.comm" }
        var environment: [String: String] { ["PCSCLITE_CSOCK_NAME": socket] }

        /// Starts pcscd in the foreground and waits for its socket.
        func start() async throws {
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
            #expect(FileManager.default.fileExists(atPath: socket), "pcscd made no socket: \(output)")
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

    @Test func theKioskRecoversFromAPCSCDRestartAndServesTheNextTap() async throws {
        try Services.requirePCSCD()
        let pcscd = try OwnPCSCD()
        try await pcscd.start()
        let folder = try WedgeReaderIntegrationTests.Folder()
        let config = try WedgeReaderIntegrationTests.config(
            in: folder, cardReader: "backend = \"pcsc\"\nreader = \"Restart PCD\"")
        let kiosk = try await FollowedProcess(
            Services.binaries + "/kiosk", ["run", "--config", config, "--log-level", "info"],
            environment: pcscd.environment)
        defer { kiosk.process.terminate() }
        let connected = await kiosk.line(containing: "card reader connected")
        let startOutput = await kiosk.output
        #expect(connected != nil, "\(startOutput)")

        func tap() async throws {
            let before = await kiosk.lines.count
            let card = try SimulatedCard(["--uid", "520A8BB9", "--port", "\(pcscd.port)"])
            let menu = await kiosk.lines.waitFor(from: before) { $0.contains("screen screen=menu") }
            let menuOutput = await kiosk.output
            #expect(menu != nil, "\(menuOutput)")
            card.remove()
            let idle = await kiosk.lines.waitFor(from: before) { $0.contains("screen screen=idle") }
            #expect(idle != nil)
        }
        try await tap()

        let beforeKill = await kiosk.lines.count
        pcscd.kill()
        let lost = await kiosk.lines.waitFor(from: beforeKill) { $0.contains("card service lost") }
        let lostOutput = await kiosk.output
        #expect(lost != nil, "\(lostOutput)")
        try await pcscd.start()
        let back = await kiosk.lines.waitFor(from: beforeKill) { $0.contains("card service back") }
        let backOutput = await kiosk.output
        #expect(back != nil, "\(backOutput)")
        try await tap()
        #expect(kiosk.process.isRunning, "the kiosk served on without a restart")
    }
}
