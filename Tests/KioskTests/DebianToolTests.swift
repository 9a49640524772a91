import Testing

@testable import Kiosk

/// A missing tool is told apart from a tool that found nothing: `kiosk verify` on a kiosk without zbar-tools said
/// "no letter QR found" instead of "zbarimg is missing".
@Suite("Debian tools run by the kiosk's commands")
struct DebianToolTests {
    @Test func aMissingToolNamesItsPackageAndIsMarkedMissing() {
        do {
            _ = try DebianTool.run("kiosk-no-such-tool", [], package: "kiosk-no-such-package")
            Issue.record("a missing tool ran")
        } catch let error as DebianTool.Problem {
            #expect(error.isMissing)
            #expect(error.description == "kiosk-no-such-tool is missing: apt-get install kiosk-no-such-package")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aToolThatFailsIsNotMissing() {
        do {
            _ = try DebianTool.run("false", [], package: "coreutils")
            Issue.record("false succeeded")
        } catch let error as DebianTool.Problem {
            #expect(!error.isMissing)
            #expect(error.description.contains("exit status 1"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
