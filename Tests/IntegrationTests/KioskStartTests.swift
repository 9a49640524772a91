import Foundation
import TestSupport
import Testing

/// What `kiosk run` does before READY=1 that is not the kiosk's own work: the libraries the loader maps and the
/// command line parsed.
@Suite("kiosk run's start")
struct KioskStartTests {
    static let kiosk = Services.binaries + "/kiosk"

    /// libcups and its 26 dependencies (GnuTLS, Kerberos, Avahi, D-Bus) are opened at the first letter, not at
    /// every start: the binary does not link it (ld.so lists what it would load, then exits).
    @Test func theKioskDoesNotLinkLibcups() async throws {
        let listed = try await TestProcess.run(Self.kiosk, ["version"], environment: ["LD_TRACE_LOADED_OBJECTS": "1"])
        #expect(listed.stdout.contains("libcairo.so.2"), "ld.so listed: \(listed.all)")
        #expect(!listed.stdout.contains("libcups"), "ld.so listed: \(listed.stdout)")
    }

    /// kiosk.service's command line, `kiosk run --config PATH`, is read without ArgumentParser (`KioskCommand.main`);
    /// it must end as ArgumentParser's reading of the same options does, and every other command line is still
    /// ArgumentParser's, help and errors included. (SystemdNotifyTests serves through it up to READY=1.)
    @Test func theUnitsCommandLineEndsAsArgumentParsersReadingOfIt() async throws {
        let missing = "/nonexistent/kiosk.toml"
        let direct = try await TestProcess.run(Self.kiosk, ["run", "--config", missing])
        let parsed = try await TestProcess.run(Self.kiosk, ["run", "--config=\(missing)"])
        #expect(direct.status == 78, "\(direct.all)")
        #expect(direct.stderr.contains("\(missing): 1 problem"), "\(direct.stderr)")
        #expect(direct.status == parsed.status)
        #expect(direct.stderr == parsed.stderr)
        #expect(direct.stdout == parsed.stdout)

        let help = try await TestProcess.run(Self.kiosk, ["run", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: kiosk run [--config <config>]"), "\(help.all)")
        let wrong = try await TestProcess.run(Self.kiosk, ["run", "--config", missing, "--no-such-option"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Unknown option '--no-such-option'"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("Usage: kiosk run [--config <config>]"), "\(wrong.stderr)")
        // A value that looks like an option is ArgumentParser's to judge, as before.
        let optionLike = try await TestProcess.run(Self.kiosk, ["run", "--config", "--help"])
        #expect(optionLike.status == 64, "\(optionLike.all)")
    }
}
