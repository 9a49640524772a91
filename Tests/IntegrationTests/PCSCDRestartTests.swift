import Foundation
import Testing

/// pcscd killed and started again while `kiosk run` serves: the daemon must see the service go, come back, and
/// serve the next tap, without a restart of its own. The test owns its pcscd, so killing it disturbs no other test:
/// a `PrivatePCSCD` (Services.swift) with one vpcd reader.
@Suite("pcscd restarted under a running kiosk", .serialized)
struct PCSCDRestartTests {
    @Test func theKioskRecoversFromAPCSCDRestartAndServesTheNextTap() async throws {
        let pcscd = try PrivatePCSCD(reader: "Restart PCD")
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
            let card = try SimulatedCard(["--uid", "520A8BB9", "--port", "\(pcscd.ports[0])"])
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
