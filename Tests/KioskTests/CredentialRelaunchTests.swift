import Foundation
import TestSupport
import Testing

@testable import Kiosk

@Suite("Commands run by hand get kiosk.service's credentials")
struct CredentialRelaunchTests {
    @Test func systemdRunGivesTheCommandTheUnitsUserGroupsAndCredentials() {
        let arguments = CredentialRelaunch.systemdRun(
            credentials: [("record-key", "/etc/kiosk/credentials/record-key.cred")], workingDirectory: "/tmp")
        #expect(Array(arguments.prefix(5)) == ["systemd-run", "--quiet", "--pipe", "--wait", "--collect"])
        for property in [
            "User=kiosk", "Group=kiosk", "SupplementaryGroups=video input lp audio",
            "LoadCredentialEncrypted=record-key:/etc/kiosk/credentials/record-key.cred",
        ] {
            #expect(arguments.contains(property), "\(property)")
        }
        #expect(arguments.contains("--working-directory=/tmp"))
    }

    @Test func aFolderTheKioskUserCannotEnterIsNotItsWorkingDirectory() throws {
        let directory = try TemporaryDirectory()
        let closed = directory.path + "/closed"
        try FileManager.default.createDirectory(
            atPath: closed, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        #expect(
            !CredentialRelaunch.systemdRun(credentials: [], workingDirectory: closed).contains {
                $0.hasPrefix("--working-directory")
            })
        #expect(CredentialRelaunch.enterableByAll("/tmp"))
    }
}
