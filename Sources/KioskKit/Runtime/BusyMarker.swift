import Core
package import Foundation

/// `/run/kiosk/busy`: present while a resident is being served, from the card tap until the kiosk is back to idle,
/// so that an updater or a reboot can wait for the resident to finish:
/// `while [ -e /run/kiosk/busy ]; do sleep 5; done`.
///
/// The file holds only when the session began (`since=2026-11-26T01:20:00Z`): no card, no name, no NIK. It lives in
/// systemd's `RuntimeDirectory=kiosk`, which systemd removes when the kiosk stops or crashes, so a marker never
/// outlives its kiosk; `kiosk run` outside systemd has no runtime directory and writes no marker.
package struct BusyMarker: Sendable {
    static let fileName = "busy"
    /// Where `kiosk status` looks when it runs outside the unit (a technician's shell has no `RUNTIME_DIRECTORY`).
    static let defaultDirectory = "/run/kiosk"

    package let path: String

    init(directory: String) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
    }

    /// The marker in the unit's runtime directory (`RUNTIME_DIRECTORY`, set by `RuntimeDirectory=`); `nil` outside
    /// systemd. A marker left from before (the directory survived a restart) is removed: nobody is served yet.
    static func underSystemd(_ environment: [String: String]) -> BusyMarker? {
        // RUNTIME_DIRECTORY may list several folders, separated by colons; the first one is the kiosk's.
        guard let directory = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first else { return nil }
        let marker = BusyMarker(directory: String(directory))
        marker.update(serving: false)
        return marker
    }

    /// The marker `kiosk status` and the heartbeat read: the unit's runtime directory when there is one, else
    /// /run/kiosk.
    package static func current(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> BusyMarker {
        BusyMarker(
            directory: environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first.map(String.init)
                ?? defaultDirectory)
    }

    /// Creates the marker when a session begins and removes it when it ends; nothing when it already says so.
    /// Returns `false` when the file could not be written or removed (a full /run: the kiosk serves anyway).
    @discardableResult
    func update(serving: Bool, now: Date = Date()) -> Bool {
        let present = FileManager.default.fileExists(atPath: path)
        if serving == present { return true }
        if serving {
            let text = "since=\(now.formatted(.iso8601))\n"
            return (try? Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)) != nil
        }
        return (try? FileManager.default.removeItem(atPath: path)) != nil
    }

    package var isBusy: Bool { FileManager.default.fileExists(atPath: path) }

    /// When the session began, from the marker; `nil` when idle.
    package var since: Date? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let value = text.split(separator: "\n").first(where: { $0.hasPrefix("since=") })?.dropFirst(6)
        else { return nil }
        return try? Date(String(value), strategy: .iso8601)
    }
}

extension KioskStateMachine {
    /// A resident is at the kiosk: from the card read until the "take your letter" screen has gone back to idle.
    /// An error screen holds no session (it was cleared on the way in), so it does not count: one shown while
    /// nobody is there (a printer out of paper) would otherwise hold updates back for as long as it lasts.
    var isServingResident: Bool {
        switch state {
        case .idle, .operatorPIN, .maintenance, .letterCheck, .error, .board: false
        default: true
        }
    }
}
