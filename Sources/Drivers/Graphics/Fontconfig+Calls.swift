import CCairo
import Dispatch

/// fontconfig, with the kiosk's own configuration, and asked whether a family is really installed.
enum Fontconfig {
    /// The kiosk's configuration, in place of the machine's. `/etc/fonts/fonts.conf` is some 100 XML files on
    /// Debian 12 (every `conf.avail` file a font package ships is read), and parsing them was about 4 ms of the
    /// CPU of each start; the kiosk asks for two families by name and needs none of their aliases. What stays:
    /// - the folders Debian's font packages install into, with the caches `fc-cache` keeps for them, and the
    ///   user's own cache folder for a folder whose system cache is missing or out of date (the system test's guest
    ///   has such folders: without a writable cache, fontconfig reads every font file at every start and prints
    ///   "No writable cache directories" once a folder; the kiosk user's is under its home, /var/lib/kiosk);
    /// - the one rendering rule of Debian's defaults the screens depend on, slight hinting (antialiasing in grey
    ///   is fontconfig's own default).
    ///
    /// Screens are the same pixels as under Debian's configuration (the golden PNGs were rewritten identical), and
    /// stay so whatever a machine's `/etc/fonts` says.
    static let configuration = """
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
        <fontconfig>
          <dir>/usr/share/fonts</dir>
          <dir>/usr/local/share/fonts</dir>
          <cachedir>/var/cache/fontconfig</cachedir>
          <cachedir prefix="xdg">fontconfig</cachedir>
          <match target="pattern">
            <edit name="hintstyle" mode="append"><const>hintslight</const></edit>
          </match>
        </fontconfig>
        """

    /// Whether the kiosk's configuration is fontconfig's current one: made once per process, before cairo's first
    /// font lookup (which would otherwise load the machine's). `false` only where fontconfig refused it, and then
    /// the machine's configuration serves.
    static let loaded: Bool = {
        guard let config = FcConfigCreate() else { return false }
        // FcConfigSetCurrent holds a reference of its own.
        defer { FcConfigDestroy(config) }
        return FcConfigParseAndLoadFromMemory(config, configuration, 1) != 0 && FcConfigSetCurrent(config) != 0
    }()

    /// Loads the configuration and the font caches on a queue of their own, off the path to the first screen
    /// (`loaded` waits for it where it is needed first).
    static func loadInBackground() {
        DispatchQueue(label: "kiosk.fontconfig").async { _ = loaded }
    }

    /// The family fontconfig picks for `pattern` (`FcNameParse` + `FcConfigSubstitute` + `FcFontMatch`), or `nil`.
    /// `FcFontMatch` always answers with *some* font, so a caller compares the family with the one asked for.
    static func matchedFamily(_ pattern: String) -> String? {
        _ = loaded
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
