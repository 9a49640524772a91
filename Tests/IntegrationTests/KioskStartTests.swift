import Foundation
import TestSupport
import Testing

/// What `kiosk run` does before READY=1 that is not the kiosk's own work: the libraries the loader maps.
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
}
