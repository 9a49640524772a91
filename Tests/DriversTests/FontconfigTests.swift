import CCairo
import Testing

@testable import Drivers

/// The kiosk's own font configuration (Fontconfig.configuration) in place of the machine's: the screens' golden PNGs
/// (ScreenSnapshotTests) show that its pixels are Debian's; these show that it is the one in use.
@Suite("Fonts: the kiosk's fontconfig configuration")
struct FontconfigTests {
    @Test("is fontconfig's current one, and no file of the machine's /etc/fonts was read")
    func noMachineConfiguration() throws {
        _ = try Renderer()
        #expect(Fontconfig.loaded)
        let files = try #require(FcConfigGetConfigFiles(nil))
        defer { FcStrListDone(files) }
        var read: [String] = []
        while let file = FcStrListNext(files) { read.append(String(cString: file)) }
        #expect(read.isEmpty, "fontconfig read \(read)")
    }

    @Test("finds Liberation Sans and Serif, bold too, and hints them slightly as Debian's defaults do")
    func liberationWithSlightHinting() throws {
        _ = Fontconfig.loaded
        for family in ["Liberation Sans", "Liberation Serif"] {
            for style in ["", ":bold"] {
                let pattern = try #require(FcNameParse(family + style))
                defer { FcPatternDestroy(pattern) }
                FcConfigSubstitute(nil, pattern, FcMatchPattern)
                FcDefaultSubstitute(pattern)
                var result = FcResultNoMatch
                let match = try #require(FcFontMatch(nil, pattern, &result))
                defer { FcPatternDestroy(match) }
                var name: UnsafeMutablePointer<FcChar8>?
                #expect(FcPatternGetString(match, FC_FAMILY, 0, &name) == FcResultMatch)
                #expect(name.map { String(cString: $0) } == family)
                var hintStyle: Int32 = -1
                #expect(FcPatternGetInteger(match, FC_HINT_STYLE, 0, &hintStyle) == FcResultMatch)
                #expect(hintStyle == FC_HINT_SLIGHT, "\(family + style)")
            }
        }
    }
}
