import Foundation
import Testing

/// `scripts/test-printer` itself: its cupsd configuration must pass cupsd's own check (`cupsd -t`) on the CUPS this
/// machine has, and a configuration cupsd refuses must stop the start with cupsd's reason. A CUPS update that tightens
/// its parser (Debian's 2.4.2-3+deb12u11 refused a bare `Printcap` line) then fails here, in one clear test, instead
/// of in every test that prints.
@Suite("The test printer rig", .serialized)
struct PrintRigTests {
    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func theRigsCUPSConfigurationPassesCupsdsOwnCheck() throws {
        try PrintRig.requireTools()
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checked = try PrintRig.script(["check", folder], environment: [:], log: folder + "/check.log")
        #expect(checked.status == 0, "cupsd -t refused the rig's configuration: \(checked.output)")
        #expect(checked.output.contains("accepts the configuration"), "\(checked.output)")
    }

    @Test func aConfigurationCupsdRefusesStopsTheStartWithCupsdsReason() throws {
        try PrintRig.requireTools()
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let started = try PrintRig.script(
            ["start", folder],
            environment: [
                "CUPS_PORT": "\(try Services.freePort())", "PRINTER_PORT": "\(try Services.freePort())",
                "CUPSD_DIRECTIVES": "Frobnicate yes",
            ], log: folder + "/start.log")
        #expect(started.status == 1, "\(started.output)")
        #expect(started.output.contains("refuses the configuration"), "\(started.output)")
        #expect(started.output.contains("Unknown directive Frobnicate"), "cupsd's own reason: \(started.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/cupsd.pid"), "no cupsd was started")
    }
}
