import Drivers
import Foundation
import TestSupport
import Testing

@testable import Kiosk
@testable import KioskKit

@Suite("kiosk doctor")
struct DoctorTests {
    /// Eight ways technicians break a configuration, and the words the doctor must say about each.
    static let brokenConfigs: [(name: String, edit: @Sendable (String) -> String, says: String)] = [
        (
            "wrong type", { $0.replacingOccurrences(of: "pin_length = 6", with: "pin_length = \"6\"") },
            "identity.pin_length: found the string \"6\""
        ),
        (
            "unknown key", { $0.replacingOccurrences(of: "height_mm", with: "heigth_mm") },
            "display.heigth_mm: unknown key"
        ),
        ("missing template", { $0.replacingOccurrences(of: "s-41.mustache", with: "domisili.mustache") }, "template"),
        (
            "invalid village code", { $0.replacingOccurrences(of: "18.09.07.2001", with: "18.09.07.201") },
            "kiosk.village_code"
        ),
        ("syntax error", { $0.replacingOccurrences(of: "[display]", with: "[display") }, "not valid TOML"),
        (
            "unknown identity mode", { $0.replacingOccurrences(of: "mode = \"card\"", with: "mode = \"nik\"") },
            "identity.mode"
        ),
        ("missing letterhead", { $0.replacingOccurrences(of: "[letterhead]", with: "[letterhead_old]") }, "letterhead"),
        ("bad operator card", { $0.replacingOccurrences(of: "DEADBEEF", with: "not-hex") }, "operators.cards[0]"),
        ("empty kiosk id", { $0.replacingOccurrences(of: "\"TEST-HANURA-01\"", with: "\"\"") }, "kiosk.id: is empty"),
    ]

    @Test(arguments: 0..<brokenConfigs.count)
    func aBrokenConfigurationFailsWithAnActionableLine(index: Int) throws {
        let broken = Self.brokenConfigs[index]
        let directory = try TemporaryDirectory()
        let path = try directory.write("kiosk.toml", broken.edit(SampleConfig.valid))
        let findings = Doctor.examine(configPath: path)
        #expect(findings.contains { $0.verdict == .fail }, "\(broken.name)")
        let report = Doctor.report(findings)
        #expect(report.contains(broken.says), "\(broken.name): \(report)")
        #expect(report.contains("line "), "\(broken.name): the report names the line")
        #expect(report.hasSuffix("failed."))
    }

    @Test func unknownKeysComeWithAFixHint() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "kiosk.toml", SampleConfig.valid.replacingOccurrences(of: "height_mm", with: "heigth_mm"))
        #expect(
            Doctor.report(Doctor.examine(configPath: path)).contains(
                "fix: check the spelling against config/kiosk.sample.toml"))
    }

    @Test func aGoodConfigurationPassesAndDescribesTheKiosk() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "kiosk.toml",
            SampleConfig.valid.replacingOccurrences(
                of: "state_directory = \"state\"", with: "state_directory = \"\(directory.path)\""))
        let findings = Doctor.examine(configPath: path)
        #expect(findings.filter { $0.check != "enrollment" }.allSatisfy { $0.verdict == .ok }, "\(findings)")
        let enrollment = try #require(findings.first { $0.check == "enrollment" })
        #expect(enrollment.verdict == .warn && enrollment.fix?.contains("kiosk enroll") == true)
        #expect(findings.contains { $0.check == "outbox" && $0.detail == "0 record(s) waiting for upload" })
        let report = Doctor.report(findings)
        #expect(report.contains("kiosk TEST-HANURA-01, village 18.09.07.2001, 2 self-service letters"))
        #expect(report.contains("8 residents with 7 registered cards"))
        #expect(report.hasSuffix("All checks passed."))
    }

    @Test func aDiskBelowTheGuardsMinimumFails() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "kiosk.toml",
            SampleConfig.withState(in: directory.path + "/state") + "\n[records]\nmin_free_mb = 1000000\n")
        let finding = try #require(Doctor.examine(configPath: path).first { $0.check == "disk" })
        #expect(finding.verdict == .fail && finding.detail.contains("new services are refused"))
    }

    @Test func cardPINModeWithAnExportWarnsThatNoPINsExist() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "kiosk.toml", SampleConfig.valid.replacingOccurrences(of: "mode = \"card\"", with: "mode = \"card-pin\""))
        let finding = try #require(Doctor.examine(configPath: path).first { $0.check == "resident registry" })
        #expect(finding.verdict == .warn)
        #expect(finding.detail.contains("holds no PINs"))
    }

    @Test func theKioskBinaryExitsNonZeroOnABrokenConfiguration() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "kiosk.toml", SampleConfig.valid.replacingOccurrences(of: "height_mm", with: "heigth_mm"))
        let (status, output) = try await run(TestPaths.binaries + "/kiosk", ["doctor", "--config", path])
        #expect(status == 1)
        #expect(output.contains("FAIL configuration"))
        #expect(output.contains("line 19"))
        let (runStatus, runOutput) = try await run(TestPaths.binaries + "/kiosk", ["run", "--config", path])
        #expect(runStatus == 78, "EX_CONFIG, so systemd shows status=78/CONFIG")
        #expect(runOutput.contains("display.heigth_mm"))
    }

    private func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
        try await TestProcess.runMerged(executable, arguments)
    }

    @Test func missingLetterFontsFailWithThePackageToInstall() {
        #expect(Doctor.fonts().verdict == .ok)
        let missing = Doctor.fonts(Fonts(serif: "No Such Serif Font For Tests"))
        #expect(missing.verdict == .fail)
        #expect(missing.detail.contains("\"No Such Serif Font For Tests\" is not installed"))
    }
}
