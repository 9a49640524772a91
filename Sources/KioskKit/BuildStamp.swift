// Written by scripts/build-stamp (make release writes the real commit and date for the release build).
// The version comes from the VERSION file; after changing it: scripts/build-stamp "$(cat VERSION)" unknown unknown

/// What this binary was built from; `BuildInfo` presents it.
enum BuildStamp {
    static let version = "0.1.0"
    static let commit = "unknown"
    static let date = "unknown"
}
