import CLinuxIO
import Foundation
import Glibc
import TestSupport
import Testing

/// The keyboard-wedge reader end to end: the built `kiosk` binary under umockdev-run, which emulates the reader's
/// evdev node (`wedge.umockdev`, `wedge.ioctl`) and plays key events into it. `EvdevDevice` opens, names and grabs
/// the node, `WedgeReader` decodes the keys, and `kiosk test-card --wedge` / `kiosk run` show the result.
@Suite("Keyboard-wedge reader under umockdev", .serialized, .timeLimit(.minutes(2)))
struct WedgeReaderIntegrationTests {
    static let kiosk = Services.binaries + "/kiosk"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A temporary folder for configurations, generated streams and umockdev's testbeds.
    final class Folder {
        let path: String
        init() throws {
            path =
                FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-wedge-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ data: Data) throws -> String {
            let file = path + "/" + name
            try data.write(to: URL(fileURLWithPath: file))
            return file
        }
        func write(_ name: String, _ text: String) throws -> String { try write(name, Data(text.utf8)) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A kiosk configuration with the fixture residents as its registry (SITI AMINAH holds tag 1376422841).
    /// `cardReader` ends the file, so it may go on with more tables.
    static func config(
        in folder: Folder, identity: String = "card", display: String = "backend = \"terminal\"",
        cardReader: String = "backend = \"script\""
    ) throws -> String {
        try folder.write(
            "kiosk.toml",
            """
            [kiosk]
            id = "TEST-HANURA-01"
            village_code = "18.09.07.2001"
            village_name = "Hanura"
            state_directory = "\(folder.path)/state"

            [identity]
            mode = "\(identity)"
            supervised = true

            \(KioskTOML.letterhead(templates: repository + "/templates"))

            [registry]
            opensid_export = "\(repository)/Tests/KioskTests/Fixtures/opensid-residents.csv"

            [printing]
            letter_output = "\(folder.path)/printed"

            [display]
            \(display)

            [card_reader]
            \(cardReader)
            """)
    }

    /// `kiosk test-card --wedge /dev/input/event8` with the reader playing `events`; its status and output.
    static func testCard(events: String, timeout: Int = 10) async throws -> (status: Int32, output: String) {
        let runner = try Umockdev.runner()
        let folder = try Folder()
        let config = try config(in: folder)
        return try await Services.run(
            runner,
            Umockdev.wedge(events: events) + [
                "--", kiosk, "test-card", "--wedge", Umockdev.wedgeNode, "--config", config, "--timeout", "\(timeout)",
            ])
    }

    @Test func theSharedFixtureTapShowsSitiAminahsCard() async throws {
        let (status, output) = try await Self.testCard(events: Umockdev.fixtures + "/wedge-tap-1376422841.events")
        #expect(status == 0, "\(output)")
        #expect(output.contains("  + Kiosk Test Wedge Reader"))
        #expect(output.contains("Reader: Kiosk Test Wedge Reader (/dev/input/event8, keyboard wedge)"))
        #expect(output.contains("UID:    520A8BB9 (4 bytes)"))
        #expect(output.contains("OpenSID tag_id_card 1376422841, reversed reader 3112897106"))
        #expect(output.contains("Registry: resident with NIK 180907******"))
        #expect(!output.contains("  rejected: "))
        #expect(!output.contains("no digit or Enter keys"))
    }

    /// A reader's second event node (media keys) types no numbers: EVIOCGBIT says so, and test-card tells.
    @Test func aNodeWithoutDigitKeysIsPointedOut() async throws {
        let runner = try Umockdev.runner()
        let folder = try Folder()
        let config = try Self.config(in: folder)
        let recorded = try String(contentsOfFile: Umockdev.fixtures + "/wedge.ioctl", encoding: .utf8)
        let keys = try #require(recorded.split(separator: "\n").first { $0.hasPrefix("EVIOCGBIT(1) 96 ") })
        // Only KEY_VOLUMEUP (115): byte 14, bit 3.
        let bitmap = String(repeating: "00", count: 14) + "08" + String(repeating: "00", count: 81)
        let ioctl = try folder.write(
            "media.ioctl", recorded.replacingOccurrences(of: keys, with: "EVIOCGBIT(1) 96 " + bitmap))
        let (status, output) = try await Services.run(
            runner,
            [
                "-d", Umockdev.fixtures + "/wedge.umockdev", "-i", "\(Umockdev.wedgeNode)=\(ioctl)",
                "-e", "\(Umockdev.wedgeNode)=\(Umockdev.fixtures)/wedge-tap-1376422841.events",
                "--", Self.kiosk, "test-card", "--wedge", Umockdev.wedgeNode, "--config", config, "--timeout", "10",
            ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("    it has no digit or Enter keys: try the reader's other event node"), "\(output)")
    }

    @Test func garbageThenAValidTapShowsTheRejectionThenTheCard() async throws {
        var keys = KeyStream()
        keys.type("13Q64\n")  // a stray Q in the middle
        keys.pause(.milliseconds(600))
        keys.type("\n")  // Enter alone
        keys.pause(.milliseconds(600))
        keys.type("137642\n")  // a card taken away mid-read
        keys.pause(.milliseconds(600))
        keys.type("1376422841\n")
        let folder = try Folder()
        let (status, output) = try await Self.testCard(events: try folder.write("garbage.events", keys.evemu))
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        let rejected = lines.filter { $0.hasPrefix("  rejected: ") }
        #expect(
            rejected == [
                "  rejected: a key other than 0-9 and A-F came before Enter",
                "  rejected: Enter with nothing typed before it",
                "  rejected: Enter after 6 characters: too few for a card number (card taken away?)",
            ])
        let uid = try #require(lines.firstIndex(of: "UID:    520A8BB9 (4 bytes)"), "\(output)")
        #expect(lines.lastIndex { $0.hasPrefix("  rejected: ") }! < uid)
        // What was typed never shows in a rejection.
        for line in rejected { #expect(!line.contains("13") && !line.contains("64")) }
    }

    @Test func slowTypingIsRejectedAndTheNextTapRead() async throws {
        var keys = KeyStream()
        keys.type("1304\n", step: .milliseconds(180))  // a person at the keys: too slow for a reader
        keys.pause(.seconds(1))
        keys.type("1376422841\n")
        let folder = try Folder()
        let (status, output) = try await Self.testCard(events: try folder.write("slow.events", keys.evemu))
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(
            lines.filter { $0.hasPrefix("  rejected: ") } == [
                "  rejected: keys more than 100 ms apart: typed by hand, or a reader set too slow"
            ])
        #expect(lines.contains("UID:    520A8BB9 (4 bytes)"), "\(output)")
    }

    @Test func aSevenByteAndAHexCardAreRead() async throws {
        for (typed, hex) in [("1304138576973696", "04A21B6C9E4F80"), ("0489AB12CD34EF", "0489AB12CD34EF")] {
            var keys = KeyStream()
            keys.type(String(typed.prefix(5)))
            let held = KeyStream.codes[typed.dropFirst(4).first!]!
            keys.key(held, 2, after: .milliseconds(1))  // the kernel's autorepeat of a held key carries nothing
            keys.pause(.milliseconds(3))
            keys.type(String(typed.dropFirst(5)) + "\n")
            let folder = try Folder()
            let (status, output) = try await Self.testCard(events: try folder.write("card.events", keys.evemu))
            #expect(status == 0, "\(output)")
            #expect(output.contains("UID:    \(hex) (7 bytes)"), "\(output)")
            #expect(output.contains("Registry: resident with NIK"), "\(output)")
        }
    }

    @Test func aReaderThatDisappearsIsReportedAndWaitedFor() async throws {
        let runner = try Umockdev.runner()
        let folder = try Folder()
        let config = try Self.config(in: folder)
        var keys = KeyStream()
        keys.type("1\n")
        let script = try folder.write("unplug.script", keys.script)
        // umockdev-run makes its testbed in TMPDIR; killed, it cannot remove it, so it goes with the folder.
        let run = try await FollowedProcess(
            runner,
            Umockdev.wedge(script: script) + [
                "--", Self.kiosk, "test-card", "--wedge", Umockdev.wedgeNode, "--config", config, "--timeout", "3",
            ],
            environment: ["TMPDIR": folder.path])
        let connected = await run.line(containing: "  + Kiosk Test Wedge Reader")
        let typed = await run.line(containing: "  rejected: Enter after 1 character")
        let before = await run.output
        #expect(connected != nil && typed != nil, "\(before)")

        // Unplug: umockdev-run goes, and with it the device's end of the socket under the kiosk.
        kill(run.process.processIdentifier, SIGKILL)
        run.process.waitUntilExit()
        let unplugged = await run.line(containing: "was unplugged")
        let gaveUp = await run.line(containing: "No card within 3 s")
        let ended = await run.line(containing: "<end of output>")
        let output = await run.output
        #expect(
            unplugged == "  - /dev/input/event8 was unplugged (poll, errno 19); waiting for it to come back",
            "\(output)")
        // Then it waits for the reader until its 3 s are up, unless a retry reaches umockdev's preload library first:
        // with umockdev-run gone, the library can only report its dead socket and end the program (seen under
        // load). Either way the kiosk's part, reporting the unplug and waiting, is done.
        #expect(ended != nil, "\(output)")
        #expect(gaveUp != nil || output.contains("libumockdev-preload: Failed to connect"), "\(output)")
        #expect(!output.contains("UID:"))
    }

    @Test func aMissingReaderIsReportedAndWaitedFor() async throws {
        let runner = try Umockdev.runner()
        let folder = try Folder()
        let config = try Self.config(in: folder)
        let (status, output) = try await Services.run(
            runner,
            Umockdev.wedge(events: Umockdev.fixtures + "/wedge-tap-1376422841.events") + [
                "--", Self.kiosk, "test-card", "--wedge", "/dev/input/event9", "--config", config, "--timeout", "1",
            ])
        #expect(status == 1, "\(output)")
        #expect(output.contains("  /dev/input/event9 does not exist"), "\(output)")
        #expect(output.contains("No card within 1 s"))
        #expect(output.components(separatedBy: "does not exist").count == 2, "reported once, not at every retry")
    }

    @Test func kioskRunServesTheResidentWhoseCardWasTapped() async throws {
        let runner = try Umockdev.runner()
        let folder = try Folder()
        let config = try Self.config(in: folder, cardReader: "backend = \"script\"\nwedge = \"/dev/input/event8\"")
        let script = try folder.write("resident.txt", "await menu\n")
        let (status, output) = try await Services.run(
            runner,
            Umockdev.wedge(events: Umockdev.fixtures + "/wedge-tap-1376422841.events") + [
                "--", Self.kiosk, "run", "--config", config, "--script", script, "--await-seconds", "10",
            ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("wedge card reader connected"))
        #expect(output.contains("card tapped on the wedge reader"))
        #expect(output.contains("screen screen=menu"), "\(output)")
        #expect(output.contains("Halo, SITI AMINAH."))
        #expect(!output.contains("screen=error"), "\(output)")
        // The card number is personal data: neither the typed tag nor the UID reach the logs or the screen.
        #expect(!output.contains("1376422841"))
        #expect(!output.contains("520A8BB9"))
    }
}
