import Foundation
import KioskKit

#if canImport(Glibc)
    import Glibc
#endif

/// A command run by hand sees none of kiosk.service's credentials, and only root (through systemd) can decrypt them.
/// So a technician's `sudo kiosk import ...` runs itself again through `systemd-run`, as the kiosk user with the
/// credentials loaded exactly as the unit loads them: the same keys, and the files it writes owned by the kiosk user.
enum CredentialRelaunch {
    /// Replaces this process with the same command under `systemd-run` when it runs as root outside a unit and the
    /// package holds the keys as credentials; returns otherwise (then a key that is needed fails with what to do).
    static func ifNeeded(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard getuid() == 0, environment["CREDENTIALS_DIRECTORY"] == nil else { return }
        let held = CredentialStore.held(environment: environment)
        guard !held.isEmpty else { return }
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let arguments =
            systemdRun(credentials: held, command: CommandLine.arguments.dropFirst().first ?? "")
            + ["--", executable] + CommandLine.arguments.dropFirst()
        let argv = arguments.map { strdup($0) } + [nil]
        execvp("systemd-run", argv)
        printError(
            "warning: could not run the command through systemd-run (\(String(cString: strerror(errno)))); the "
                + "kiosk's keys are credentials only kiosk.service is given")
    }

    /// `systemd-run` as kiosk.service runs: its user and groups, its credentials; the caller's terminal (or pipes),
    /// waiting for the exit status. The caller's working directory too, when the kiosk user may enter it (root's home
    /// it may not: a relative path there fails as "not found", as it would under `runuser -u kiosk`).
    /// The unit's description names only the subcommand: by default systemd would log the whole command line, card
    /// UIDs and a letter's QR text included.
    static func systemdRun(
        credentials: [(name: String, path: String)], command: String = "",
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> [String] {
        [
            "systemd-run", "--quiet", "--pipe", "--wait", "--collect", "--service-type=exec",
            "--description=kiosk \(command) with kiosk.service's credentials",
            "-p", "User=kiosk", "-p", "Group=kiosk", "-p", "SupplementaryGroups=video input lp audio",
        ] + (enterableByAll(workingDirectory) ? ["--working-directory=" + workingDirectory] : [])
            + credentials.flatMap { ["-p", "LoadCredentialEncrypted=\($0.name):\($0.path)"] }
    }

    /// Whether every folder from / down to `path` lets others through (o+x).
    static func enterableByAll(_ path: String) -> Bool {
        var folder = path
        while true {
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: folder))?[.posixPermissions] as? Int,
                mode & 0o001 != 0
            else { return false }
            if folder == "/" || folder.isEmpty { return true }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }
}
