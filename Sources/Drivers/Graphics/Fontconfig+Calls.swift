import CCairo

/// fontconfig, asked whether a family is really installed. `FcFontMatch` always answers with *some* font, so the
/// check compares the family it found with the one asked for.
enum Fontconfig {
    /// The family fontconfig picks for `pattern` (`FcNameParse` + `FcConfigSubstitute` + `FcFontMatch`), or `nil`.
    static func matchedFamily(_ pattern: String) -> String? {
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
