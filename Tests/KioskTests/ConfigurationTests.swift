import Core
import Foundation
import TestSupport
import Testing

@testable import KioskKit

@Suite("Configuration")
struct ConfigurationTests {
    /// Letters kept as files send nobody to a printer on the done screen; a CUPS or thermal printer does.
    @Test func lettersOnPaperFollowTheLetterDestination() throws {
        #expect(try SampleConfig.parse(SampleConfig.valid).policy.lettersOnPaper == false, "no [printing]: files")
        let cups = try SampleConfig.parse(SampleConfig.valid + "\n[printing]\nletters = \"cups\"\n")
        #expect(cups.policy.lettersOnPaper)
    }

    @Test func withoutADisplayTableTheKioskDrawsOnThePanel() throws {
        let settings = try SampleConfig.parse(
            SampleConfig.valid.replacingOccurrences(of: "[display]\nbackend = \"terminal\"\n", with: "[display]\n"))
        #expect(settings.display.backend == .framebuffer)
    }

    @Test func theTerminalDisplayRefusesToPrintScreensIntoTheJournal() async throws {
        let directory = try TemporaryDirectory()
        let config = directory.path + "/kiosk.toml"
        try SampleConfig.withState(in: directory.path).write(toFile: config, atomically: true, encoding: .utf8)
        // A script that ends at once: without the refusal the kiosk would serve it and exit 0.
        let script = try directory.write("session.txt", "await idle\n")
        let run = try await KioskBinary.run(
            ["run", "--config", config, "--script", script], environment: ["JOURNAL_STREAM": "8:4242"])
        #expect(run.status == 78, "\(run.stderr)")
        #expect(run.stderr.contains("goes to the journal") && run.stderr.contains("backend = \"framebuffer\""))
        #expect(run.stdout.isEmpty)
    }

    @Test func validConfigurationLoadsIntoTypedSettings() throws {
        let settings = try SampleConfig.parse(SampleConfig.valid)
        #expect(settings.kioskID == "TEST-HANURA-01")
        #expect(settings.village.digits == "1809072001")
        #expect(settings.policy.identityMode == .cardOnly)
        #expect(settings.policy.inactivityTimeout == .seconds(60))
        #expect(settings.catalogue.kinds.map(\.code) == ["S-41", "S-01"])
        #expect(settings.stateDirectory == "/tmp/state")
        #expect(settings.operatorCards == [try CardUID(hex: "DEADBEEF")])
        // The menu page holds what the 222 x 125 mm display fits with 20 mm targets.
        #expect(
            settings.policy.menuPageSize == (try ScreenLayout(size: SizeMM(width: 222, height: 125))).choiceCapacity())
    }

    @Test func withoutLetterEntriesTheOpenSIDSelfServiceCatalogueApplies() throws {
        let text = SampleConfig.valid.components(separatedBy: "[[letter]]")[0]
        let settings = try SampleConfig.parse(text)
        #expect(settings.catalogue == LetterCatalogue.openSIDSelfService)
    }

    @Test func theDemoAndSampleConfigurationsInTheRepositoryLoad() throws {
        let demo = try ConfigurationLoader.load(path: TestPaths.repository + "/demo/kiosk.toml")
        #expect(demo.catalogue.kinds.count == 5)
        let sample = try ConfigurationLoader.load(path: TestPaths.repository + "/config/kiosk.sample.toml")
        #expect(sample.policy.identityMode == .cardAndPIN)
    }

    // MARK: - Broken configurations: each names the key, the line and what is expected.

    @Test func aValueOfTheWrongTypeNamesKeyLineAndExpectation() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "pin_length = 6", with: "pin_length = \"six\""))
        #expect(problems.count == 1)
        #expect(problems[0].key == "identity.pin_length")
        #expect(problems[0].line == 9)
        #expect(problems[0].message.contains("found the string \"six\", expected a whole number from 4 to 8"))
    }

    @Test func aNumberOutOfRangeSaysTheRange() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "pin_length = 6", with: "pin_length = 12"))
        #expect(problems.map(\.key) == ["identity.pin_length"])
        #expect(problems[0].message.contains("found 12, expected a whole number from 4 to 8"))
    }

    @Test func anUnknownKeyIsReportedWithTheKeysThatExist() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "width_mm = 222", with: "widht_mm = 222"))
        #expect(problems.map(\.key) == ["display.widht_mm"])
        #expect(problems[0].line == 18)
        #expect(problems[0].message.contains("unknown key"))
        #expect(problems[0].message.contains("width_mm"))
    }

    @Test func anUnknownSectionIsReported() {
        let problems = SampleConfig.problems(SampleConfig.valid + "\n[printer]\nqueue = \"kiosk\"\n")
        #expect(problems.map(\.key) == ["printer"])
        #expect(problems[0].message.contains("unknown key"))
    }

    @Test func aMissingTemplateNamesTheLetterAndThePath() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "s-01.mustache", with: "s-99.mustache"))
        #expect(problems.map(\.key) == ["letter[1].template"])
        #expect(problems[0].message.contains("letter S-01"))
        #expect(problems[0].message.contains("s-99.mustache does not exist"))
    }

    @Test func aTemplateWithAnUnknownFieldOrBadSyntaxIsReportedAtLoad() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("s-41.mustache", "Warga {{nmaa}} di {{desa}}.")
        _ = try directory.write("s-01.mustache", "Warga {{#nama}} tanpa penutup")
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: TestPaths.templates, with: directory.path))
        #expect(problems.map(\.key) == ["letter[0].template", "letter[1].template"])
        #expect(problems[0].message.contains("unknown field {{nmaa}}"))
        #expect(problems[0].message.contains("known fields: agama, alamat"))
        #expect(problems[1].message.contains("template syntax error at line 1"))
    }

    @Test func aThermalPrinterNeedsAnAddressAndAKnownProfile() throws {
        let withPrinting = { (printing: String) in
            SampleConfig.valid.replacingOccurrences(
                of: "[card_reader]", with: "[printing]\n\(printing)\n\n[card_reader]")
        }
        let settings = try SampleConfig.parse(withPrinting("letters = \"thermal\"\nthermal = \"10.0.0.5\""))
        #expect(settings.printing.thermal?.address == .tcp(host: "10.0.0.5", port: 9100))
        #expect(
            try SampleConfig.parse(withPrinting("thermal = \"/dev/usb/lp0\"")).printing.thermal?.address
                == .device("/dev/usb/lp0"))
        #expect(settings.printing.thermal?.profile.name == "pos80")
        #expect(SampleConfig.problems(withPrinting("letters = \"thermal\"")).map(\.key) == ["printing.letters"])
        #expect(SampleConfig.problems(withPrinting("receipt = true")).map(\.key) == ["printing.receipt"])
        let custom = try SampleConfig.parse(
            withPrinting(
                "thermal = \"usb:0483:5743\"\nthermal_profile = \"pos58\"\nthermal_width_dots = 432\n"
                    + "thermal_cutter = \"full\"\nthermal_native_qr = true"))
        #expect(custom.printing.thermal?.address == .usb(vendor: 0x0483, product: 0x5743, detach: true))
        #expect(custom.printing.thermal?.profile.widthDots == 432)
        #expect(custom.printing.thermal?.profile.columns == 36)
        #expect(custom.printing.thermal?.profile.cutter == .full)
        #expect(custom.printing.thermal?.profile.nativeQR == true)
        #expect(
            SampleConfig.problems(withPrinting("thermal = \"10.0.0.5\"\nthermal_cutter = \"saw\"")).map(\.key)
                == ["printing.thermal_cutter"])
        let bad = SampleConfig.problems(withPrinting("thermal = \"10.0.0.5:99999\"\nthermal_profile = \"epson\""))
        #expect(bad.map(\.key) == ["printing.thermal"])
        let profile = SampleConfig.problems(withPrinting("thermal = \"10.0.0.5:9100\"\nthermal_profile = \"epson\""))
        #expect(profile.map(\.key) == ["printing.thermal_profile"])
        #expect(profile.first?.message.contains("pos58, pos80") == true)
    }

    @Test func stationsPaperAndNIKStyleAreReadAndChecked() throws {
        let settings = try SampleConfig.parse(
            SampleConfig.valid.replacingOccurrences(of: "[identity]", with: "station = 3\n\n[identity]")
                .replacingOccurrences(of: "[registry]", with: "[registry]").replacingOccurrences(
                    of: "templates = \"\(TestPaths.templates)\"",
                    with: "templates = \"\(TestPaths.templates)\"\npaper = \"A4\"\nnik = \"masked\""))
        #expect(settings.station == 3)
        #expect(settings.letters.paper == .a4)
        #expect(settings.letters.nikStyle == .masked)
        #expect(settings.letters.templates.count == 2)
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "[identity]", with: "station = 100\n\n[identity]")
                .replacingOccurrences(of: "code = \"S-01\"", with: "code = \"S:01\""))
        #expect(problems.map(\.key) == ["kiosk.station", "letter[1].code"])
        #expect(problems[0].message.contains("from 1 to 99"))
    }

    @Test(arguments: [
        ("18.09.07", "10 digits"),
        ("00.09.07.2001", "not an Indonesian province code"),
        ("18.00.07.2001", "regency part"),
        ("18.09.00.2001", "district part"),
        ("18.09.07.3001", "2 (desa) or 1 (kelurahan)"),
        ("18.09.O7.2001", "10 digits"),
    ])
    func anInvalidVillageCodeSaysWhichRuleFailed(code: String, expected: String) {
        let problems = SampleConfig.problems(SampleConfig.valid.replacingOccurrences(of: "18.09.07.2001", with: code))
        #expect(problems.map(\.key) == ["kiosk.village_code"])
        #expect(problems[0].line == 3)
        #expect(problems[0].message.contains(expected))
    }

    @Test func aSyntaxErrorGivesTheLine() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "mode = \"card\"", with: "mode = card"))
        #expect(problems.count == 1)
        #expect(problems[0].line == 8)
        #expect(problems[0].message.hasPrefix("not valid TOML"))
    }

    /// Found by the `configuration` fuzz target: TOMLKit's toml++ aborts the process on these instead of reporting them.
    /// The last, a name that starts beyond ASCII, is refused too (it was when the guard read scalars; it reads bytes).
    /// Also found by `make fuzz`: in a file with Windows line ends (an editor on a technician's laptop may write them),
    /// the text before a bad header ended in a lone "\r", which does not parse, so the guard took the header for a line
    /// inside a multi-line string and toml++ aborted the process.
    @Test(arguments: ["[", "[=", "[[=", "[#", "[.a]", "[ ", "[=\r", "[é]"], ["\n", "\r\n"])
    func aTableHeaderWithoutANameGivesTheLineInsteadOfAborting(header: String, lineEnd: String) throws {
        let lines = SampleConfig.valid.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex(of: "[display]")) + 1
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "[display]", with: "\(header)\n[display]")
                .replacingOccurrences(of: "\n", with: lineEnd))
        #expect(problems.count == 1)
        #expect(problems.first?.line == line)
        #expect(problems.first?.message.contains("table header needs a name") == true)
    }

    /// Found by `make fuzz`: toml++ skips a byte-order mark at the start of the text, so such a header right after
    /// one still aborted the process; then after two (the guard skipped one mark, toml++ the next; `kiosk run`
    /// aborted on a file starting with three, as Foundation drops one more).
    @Test(arguments: [1, 2, 3])
    func aTableHeaderWithoutANameAfterByteOrderMarksGivesTheLineInsteadOfAborting(marks: Int) {
        let problems = SampleConfig.problems(String(repeating: "\u{FEFF}", count: marks) + "[= 31\".c\"11\"\n")
        #expect(problems.count == 1)
        #expect(problems.first?.line == 1)
        #expect(problems.first?.message.contains("table header needs a name") == true)
    }

    /// Found by the `configuration` fuzz target: toml++ aborts the process on a `}` where an array's next value is due.
    @Test(arguments: ["s = [}", "s = [ }", "s = [1, }", "s = [\n# a comment\n}", "s = [[}]]"])
    func aBraceWhereAValueIsDueGivesTheLineInsteadOfAborting(value: String) throws {
        let lines = SampleConfig.valid.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex(of: "[display]")) + 1
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "[display]", with: "\(value)\n[display]"))
        #expect(problems.count == 1)
        #expect(problems.first?.line == line + value.filter { $0 == "\n" }.count)  // the line of the brace
        #expect(problems.first?.message.contains("a '}' where a value") == true)
    }

    /// Strings are not read for that `}`: a purpose may hold ",}" or "[}".
    @Test func aBraceInsideAStringIsNotTakenForOne() {
        let value = "purposes = [\"a,}\", '[}', \"\"\"\n,}\"\"\"]"
        let text = SampleConfig.valid.replacingOccurrences(of: "purposes = [\"Lainnya\"]", with: value)
        #expect(text != SampleConfig.valid)
        var messages: [String] = []
        do { _ = try SampleConfig.parse(text) } catch { messages = error.problems.map(\.message) }
        #expect(!messages.contains { $0.hasPrefix("not valid TOML") })
    }

    /// The same line inside a multi-line string or array is not a header, and is not refused as one.
    @Test(arguments: ["purposes = \"\"\"\n[= Catatan\n\"\"\"", "purposes = [\n  \"Lainnya\",\n[+1],\n]"])
    func aBracketLineInsideAValueIsNotTakenForAHeader(value: String) {
        let text = SampleConfig.valid.replacingOccurrences(of: "purposes = [\"Lainnya\"]", with: value)
        var messages: [String] = []
        do { _ = try SampleConfig.parse(text) } catch { messages = error.problems.map(\.message) }
        #expect(!messages.contains { $0.contains("table header") || $0.hasPrefix("not valid TOML") })
    }

    @Test func anUnknownIdentityModeListsTheModes() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "mode = \"card\"", with: "mode = \"fingerprint\""))
        #expect(problems.map(\.key) == ["identity.mode"])
        #expect(problems[0].message.contains("\"card-pin\", \"card\", \"chip\""))
    }

    @Test func aMissingKioskTableAndMissingKeysAreAllReportedAtOnce() {
        let text = SampleConfig.valid.replacingOccurrences(of: "id = \"TEST-HANURA-01\"\n", with: "")
            .replacingOccurrences(of: "regency = \"Pesawaran\"\n", with: "")
        let problems = SampleConfig.problems(text)
        #expect(Set(problems.map(\.key)) == ["kiosk.id", "letterhead.regency"])
        #expect(problems.allSatisfy { $0.message.contains("missing") })
    }

    @Test func duplicateLetterCodesAreRejected() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "code = \"S-01\"", with: "code = \"S-41\""))
        #expect(problems.count == 1)
        #expect(problems[0].message.contains("S-41 is used by two letters"))
    }

    @Test func aLetterCodeWithASlashIsRejected() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "code = \"S-01\"", with: "code = \"S/01\""))
        #expect(problems.map(\.key) == ["letter[1].code"])
    }

    @Test func emptyPurposesAndWrongListElementsAreRejected() {
        let empty = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "purposes = [\"Lainnya\"]", with: "purposes = []"))
        #expect(empty.map(\.key) == ["letter[1].purposes"])
        let numbers = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "purposes = [\"Lainnya\"]", with: "purposes = [1, 2]"))
        #expect(numbers.map(\.key) == ["letter[1].purposes[0]"])
    }

    @Test func aWarningLongerThanTheTimeoutIsRejected() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "warning_seconds = 15", with: "warning_seconds = 90"))
        #expect(problems.map(\.key) == ["session.warning_seconds"])
    }

    @Test func aDisplayTooSmallForTouchTargetsIsRejected() {
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "height_mm = 125", with: "height_mm = 60"))
        #expect(problems.map(\.key) == ["display.width_mm"])
        #expect(problems[0].message.contains("too small for 20 mm touch targets"))
    }

    @Test func aBadOperatorCardAndAMissingExportAreReported() {
        let text = SampleConfig.valid.replacingOccurrences(of: "DEADBEEF", with: "DEADBEE")
            .replacingOccurrences(of: TestPaths.residents, with: "/nonexistent/residents.csv")
        let problems = SampleConfig.problems(text)
        #expect(Set(problems.map(\.key)) == ["operators.cards[0]", "registry.opensid_export"])
    }

    @Test func verifyURLIsTheProvincesPageAnEmptyOneTurnsTheLinkOffAndAnythingElseIsRefused() throws {
        func with(_ value: String) -> String {
            SampleConfig.valid.replacingOccurrences(
                of: "[letters]\n", with: "[letters]\nverify_url = \"\(value)\"\n")
        }
        #expect(try SampleConfig.parse(SampleConfig.valid).letters.verifyURL == .automatic)
        #expect(try SampleConfig.parse(with("")).letters.verifyURL == .off)
        let page = "https://api.smartvillage.lampungprov.go.id/surat"
        #expect(try SampleConfig.parse(with(page)).letters.verifyURL == .url(page))
        for bad in ["ftp://x.id/surat", "surat", "https://x.id/surat#a", "https://x.id/su rat"] {
            let problems = SampleConfig.problems(with(bad))
            #expect(problems.map(\.key) == ["letters.verify_url"], "\(bad)")
        }
        let long = SampleConfig.problems(with("https://x.id/" + String(repeating: "a", count: 200)))
        #expect(long.map(\.key) == ["letters.verify_url"] && long[0].message.contains("under 200"))
    }

    // MARK: Identity (issue 18, items 1 and 2)

    /// A chip-mode kiosk on a PC/SC reader, with `sam` as its [sam] table and `demo` in [kiosk].
    static func chipConfig(sam: String, demo: Bool) -> String {
        SampleConfig.valid
            .replacingOccurrences(of: "mode = \"card\"", with: "mode = \"chip\"")
            .replacingOccurrences(
                of: "village_name = \"Hanura\"", with: "village_name = \"Hanura\"" + (demo ? "\ndemo = true" : ""))
            .replacingOccurrences(of: "backend = \"script\"", with: "backend = \"pcsc\"") + "\n" + sam + "\n"
    }

    @Test func theSimulatedSAMIsOnlyForADemoOrTestKiosk() throws {
        // It passes the chip's answers through unchecked: a programmable card could name anyone.
        let production = SampleConfig.problems(Self.chipConfig(sam: "[sam]\nkind = \"simulated\"", demo: false))
        #expect(production.map(\.key) == ["sam.kind"])
        #expect(production.first?.message.contains("demo = true") == true)
        let demo = try SampleConfig.parse(Self.chipConfig(sam: "[sam]\nkind = \"simulated\"", demo: true))
        #expect(demo.sam == .simulated && demo.demo)
        // An empty [sam] once meant the simulated SAM.
        #expect(SampleConfig.problems(Self.chipConfig(sam: "[sam]", demo: true)).map(\.key).contains("sam.kind"))
        #expect(SampleConfig.problems(Self.chipConfig(sam: "", demo: true)).map(\.key) == ["identity.mode"])
    }

    @Test func cardModeWithoutAPINIsOnlyForASupervisedKiosk() throws {
        let unattended = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "supervised = true\n", with: ""))
        #expect(unattended.map(\.key) == ["identity.mode"])
        #expect(unattended.first?.message.contains("supervised = true") == true)
        let supervised = try SampleConfig.parse(SampleConfig.valid)
        #expect(supervised.policy.supervised && !supervised.policy.asksPIN)
        // Chip mode on an unattended (demo) kiosk still asks for the PIN.
        let chip = try SampleConfig.parse(
            Self.chipConfig(sam: "[sam]\nkind = \"simulated\"", demo: true)
                .replacingOccurrences(of: "supervised = true\n", with: ""))
        #expect(chip.policy.asksPIN)
    }

    @Test(arguments: ["lockout_seconds = 0", "lockout_seconds = 59", "hard_lock_after = 2", "hard_lock_after = 0"])
    func theLockoutCannotBeSwitchedOff(line: String) {
        // lockout_seconds = 0 was accepted, and it disabled the limit.
        let problems = SampleConfig.problems(
            SampleConfig.valid.replacingOccurrences(of: "pin_length = 6", with: "pin_length = 6\n\(line)"))
        #expect(problems.map(\.key) == ["identity.\(line.split(separator: " ")[0])"])
    }

    @Test func theLockoutAndTheHardLockAreConfigured() throws {
        let settings = try SampleConfig.parse(
            SampleConfig.valid.replacingOccurrences(
                of: "pin_length = 6", with: "pin_length = 6\nlockout_seconds = 60\nhard_lock_after = 5"))
        #expect(settings.policy.lockout == .seconds(60) && settings.policy.pinHardLimit == 5)
        #expect(try SampleConfig.parse(SampleConfig.valid).policy.pinHardLimit == 10)
    }

    @Test func aMissingFileSaysWhereTheSampleIs() {
        #expect {
            _ = try ConfigurationLoader.load(path: "/nonexistent/kiosk.toml")
        } throws: { error in
            "\(error)".contains("copy config/kiosk.sample.toml")
        }
    }
}
