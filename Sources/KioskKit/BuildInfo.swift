/// The version a technician, `kiosk status`, the heartbeat and the enrollment report. The version comes from the
/// VERSION file, the commit and build date from `make release` (`scripts/build-stamp`); a plain `swift build` says
/// "unknown" for both, so a binary nobody stamped is recognisable as such in the fleet.
package enum BuildInfo {
    package static let version = BuildStamp.version
    /// The git commit (12 hex digits, `-dirty` when built from changed files), or `unknown`.
    static let commit = BuildStamp.commit
    /// The build date (UTC, ISO 8601; `SOURCE_DATE_EPOCH` when set, for reproducible packages), or `unknown`.
    static let date = BuildStamp.date

    /// `0.1.0 (commit 1a2b3c4d5e6f, built 2026-11-26T01:20:00Z)`.
    package static var line: String { "\(version) (commit \(commit), built \(date))" }
}
