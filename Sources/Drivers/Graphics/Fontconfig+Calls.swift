import CCairo
import Dispatch

/// fontconfig, asked whether a family is really installed. `FcFontMatch` always answers with *some* font, so the
/// check compares the family it found with the one asked for.
enum Fontconfig {
    /// Entered while `loadInBackground`'s `FcInit` runs.
    private static let loading = DispatchGroup()

    /// `FcInit` on a queue of its own: fontconfig's configuration (some 60 XML files) and its caches, 8-30 ms on this
    /// machine that the first font match would otherwise spend on the path to the first screen.
    static func loadInBackground() {
        loading.enter()
        DispatchQueue(label: "kiosk.fontconfig").async {
            _ = FcInit()
            loading.leave()
        }
    }

    /// The family fontconfig picks for `pattern` (`FcNameParse` + `FcConfigSubstitute` + `FcFontMatch`), or `nil`.
    static func matchedFamily(_ pattern: String) -> String? {
        // After a load started in the background, not beside it: two threads would each read the configuration.
        loading.wait()
        guard FcInit() != 0, let parsed = FcNameParse(pattern) else { return nil }
        defer { FcPatternDestroy(parsed) }
        FcConfigSubstitute(nil, parsed, FcMatchPattern)
        FcDefaultSubstitute(parsed)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(nil, parsed, &result) else { return nil }
        defer { FcPatternDestroy(match) }
        var family: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch, let family else { return nil }
        return String(cString: family)
    }
}
