import ArgumentParser
import Drivers
import Foundation
import KioskKit

/// Exit statuses shared by the subcommands, from sysexits(3), so scripts and systemd can tell causes apart.
enum ExitStatus {
    /// A broken configuration (systemd shows "status=78/CONFIG").
    static let configuration: Int32 = 78
    /// The kiosk database cannot be opened or created.
    static let cannotCreate: Int32 = 73
}

extension ConfigOption {
    /// The settings, or the configuration's problems on standard error and exit status 78.
    /// Every command that reads the configuration may go on to load the keys: from here on the process never
    /// dumps core, and run as root it runs again with kiosk.service's credentials (`CredentialRelaunch`) unless it
    /// must stay root (`withCredentials: false`: `kiosk run` and `kiosk allow-network`).
    func loadSettings(withCredentials: Bool = true) throws -> KioskSettings {
        try Self.loadSettings(path: config, withCredentials: withCredentials)
    }

    /// `loadSettings(withCredentials:)` of the file at `config`, for the one command line read without
    /// ArgumentParser (`KioskCommand.main`).
    static func loadSettings(path config: String, withCredentials: Bool) throws -> KioskSettings {
        if withCredentials { CredentialRelaunch.ifNeeded() }
        do throws(SystemCallError) {
            try CoreDumps.forbid()
        } catch {
            printError("warning: core dumps could not be turned off (\(error)); a crash may write the keys to disk")
        }
        do {
            return try ConfigurationLoader.load(path: config)
        } catch {
            printError("\(error)\nRun `kiosk doctor --config \(config)` for more.")
            throw ExitCode(ExitStatus.configuration)
        }
    }
}

extension KioskSettings {
    /// The kiosk database, or why it cannot be opened on standard error and exit status 73.
    func openDatabase() throws -> KioskDatabase {
        do {
            return try KioskDatabase.open(stateDirectory: stateDirectory)
        } catch {
            printError("\(error)")
            throw ExitCode(ExitStatus.cannotCreate)
        }
    }
}

extension SyncSetup {
    /// The API client, or why there is none on standard error and exit status 1 (for `kiosk upload` and
    /// `kiosk sync-registry`).
    func requireClient() throws -> ProvincialClient {
        guard let client = try client() else {
            printError("this kiosk is not enrolled (or [api] url is empty): run kiosk enroll --url URL --token TOKEN")
            throw ExitCode(1)
        }
        return client
    }
}

/// A line on standard error: problems and prompts, so standard output carries only the result.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
