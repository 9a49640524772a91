import Core
import Foundation
import ProvincialAPI
import TestSupport
import Testing

@testable import Kiosk
@testable import KioskKit

/// What a fleet updater relies on: the busy marker while a resident is served, and the version and build the
/// binary, `kiosk status` and the heartbeat report.
@Suite("Fleet: busy marker, version and build")
struct FleetTests {
    @Test func theMarkerIsThereWhileServingAndHoldsOnlyItsStartTime() throws {
        let directory = try TemporaryDirectory()
        let marker = BusyMarker(directory: directory.path)
        #expect(!marker.isBusy && marker.since == nil)
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(marker.update(serving: true, now: start))
        #expect(marker.isBusy)
        #expect(try String(contentsOfFile: marker.path, encoding: .utf8) == "since=2026-11-18T11:06:40Z\n")
        #expect(marker.since == start)
        // Later events of the same session leave the start time alone.
        #expect(marker.update(serving: true, now: start.addingTimeInterval(30)))
        #expect(marker.since == start)
        #expect(marker.update(serving: false))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/busy"))
    }

    @Test func onlyTheUnitsRuntimeDirectoryGetsAMarkerAndAStaleOneGoes() throws {
        let directory = try TemporaryDirectory()
        #expect(BusyMarker.underSystemd([:]) == nil, "outside systemd nothing is written")
        let stale = try directory.write("busy", "since=2026-11-18T11:06:40Z\n")
        let marker = try #require(BusyMarker.underSystemd(["RUNTIME_DIRECTORY": directory.path + ":/run/other"]))
        #expect(marker.path == stale)
        #expect(!marker.isBusy, "a marker from before the start is removed")
        #expect(BusyMarker.current([:]).path == "/run/kiosk/busy")
        #expect(BusyMarker.current(["RUNTIME_DIRECTORY": directory.path]).path == stale)
    }

    @Test func aWholeSessionRaisesTheMarkerFromTheTapUntilIdle() async throws {
        let directory = try TemporaryDirectory()
        let marker = BusyMarker(directory: directory.path)
        let (capture, records, _) = try await KioskRuntimeTests.play(KioskRuntimeTests.domicileSession, busy: marker)
        #expect(records.count == 1)
        let seen = capture.busyByScreen.withLockedValue { $0 }
        // The screen is drawn after the state changed, so each screen sees the marker of its own state.
        #expect(seen.first?.screen == "idle" && seen.first?.busy == false)
        for name in ["reading", "menu", "purpose", "confirm", "printing", "done"] {
            let busy = seen.filter { $0.screen == name }.allSatisfy { $0.busy }
            #expect(busy, "\(name): \(seen)")
        }
        #expect(seen.last?.screen == "idle" && seen.last?.busy == false, "\(seen)")
        #expect(!marker.isBusy)
    }

    @Test func statusSaysWhetherSomeoneIsServedAndHowToWait() throws {
        let directory = try TemporaryDirectory()
        let marker = BusyMarker(directory: directory.path)
        let now = Timestamp(millisecondsSince1970: 1_795_000_000_000)
        #expect(StatusCommand.busy(marker, now: now).hasPrefix("no"))
        marker.update(serving: true, now: Date(timeIntervalSince1970: 1_795_000_000 - 90))
        let line = StatusCommand.busy(marker, now: now)
        #expect(line.hasPrefix("yes, a resident is being served since 2026-11-18 18:05 WIB (1 min ago)"), "\(line)")
        #expect(line.hasSuffix("while [ -e \(marker.path) ]; do sleep 5; done"))
    }

    @Test func theCheckedInVersionIsTheVersionFile() throws {
        let file = try String(contentsOfFile: TestPaths.repository + "/VERSION", encoding: .utf8)
        #expect(BuildInfo.version == file.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(BuildInfo.line.hasPrefix("\(BuildInfo.version) (commit "))
    }

    @Test func theBinarySaysItsVersionCommitAndDate() throws {
        for arguments in [["--version"], ["version"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestPaths.binaries + "/kiosk")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(output.contains("\(BuildInfo.version) (commit \(BuildInfo.commit), built \(BuildInfo.date))"))
        }
    }

    @Test func theHeartbeatCarriesBuildAndBusy() async throws {
        let directory = try TemporaryDirectory()
        let state = try TemporaryDirectory()
        let settings = try SampleConfig.parse(SampleConfig.valid)
        let database = try RegistryFixture.database(in: state)
        let store = try RegistryFixture.recordStore(database, settings: settings)
        let client = try ProvincialClient(baseURL: URL(string: "http://127.0.0.1:9")!, signer: nil)
        var service = HeartbeatService(store: store, client: client, logger: .init(label: "test"))
        service.busyMarker = BusyMarker(directory: directory.path)
        #expect(try await service.heartbeat().busy == false)
        service.busyMarker?.update(serving: true)
        let beat = try await service.heartbeat()
        #expect(beat.busy == true && beat.softwareVersion == BuildInfo.version)
        #expect(beat.softwareCommit == (BuildInfo.commit == "unknown" ? nil : BuildInfo.commit))
        service.busyMarker = nil
        let json = String(decoding: try APIJSON.encoder().encode(try await service.heartbeat()), as: UTF8.self)
        #expect(!json.contains("\"busy\""), "unknown is left out, not sent as false: \(json)")
        await client.shutdown()
    }
}
