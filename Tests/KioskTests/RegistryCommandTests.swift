import Core
import Drivers
import Foundation
import Logging
import NIOConcurrencyHelpers
import TestSupport
import Testing

@testable import Kiosk
@testable import KioskKit

/// `kiosk import residents` and `kiosk pin`, run as the technician runs them: the built binary, a configuration
/// whose state lives in a temporary folder.
@Suite("kiosk import and kiosk pin, as subprocesses")
struct RegistryCommandTests {
    struct TestKiosk: ~Copyable {
        let directory: TemporaryDirectory
        let config: String
        var state: String { directory.path + "/state" }

        init(mode: String = "card-pin") throws {
            let directory = try TemporaryDirectory()
            let state = directory.path + "/state"
            config = try directory.write(
                "kiosk.toml",
                SampleConfig.withState(in: state) {
                    $0.replacingOccurrences(of: "mode = \"card\"", with: "mode = \"\(mode)\"")
                        .replacingOccurrences(of: "opensid_export = \"\(TestPaths.residents)\"", with: "")
                })
            self.directory = directory
        }

        func run(_ arguments: [String], input: String? = nil) async throws -> TestProcess.Outcome {
            try await KioskBinary.run(arguments + ["--config", config], input: input)
        }

        func registry() throws -> SQLiteRegistry {
            // The pepper `kiosk pin set` made in the state directory.
            RegistryFixture.registry(
                try KioskDatabase.open(stateDirectory: state), pepper: try PINPepper.load(stateDirectory: state))
        }
    }

    static let fixtureReport = """
        Read 8 rows from the OpenSID export.
          imported new: 8
          updated:      0
          unchanged:    0
          rejected:     0
        Residents not in the file stay in the registry: import never deletes.

        """

    @Test func importingTheFixtureExitsZeroWithTheCounts() async throws {
        let kiosk = try TestKiosk()
        let first = try await kiosk.run(["import", "residents", TestPaths.residents])
        #expect(first.status == 0, "\(first.all)")
        #expect(first.stdout == Self.fixtureReport)
        let again = try await kiosk.run(["import", "residents", TestPaths.residents])
        #expect(again.status == 0)
        #expect(again.stdout.contains("  unchanged:    8"))
    }

    @Test func rejectedRowsExitOneAndNameTheirLines() async throws {
        let kiosk = try TestKiosk()
        let text = try String(contentsOfFile: TestPaths.residents, encoding: .utf8)
            .replacingOccurrences(of: "1809070211650012", with: "18090702116500")
        let file = try kiosk.directory.write("partly-bad.csv", text)
        let outcome = try await kiosk.run(["import", "residents", file])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("  imported new: 7"))
        #expect(outcome.stdout.contains("  rejected:     1"))
        #expect(outcome.stdout.contains("  line 3: nik: a NIK has 16 digits, this one has 14"))
    }

    @Test func anUnreadableFileExitsTwo() async throws {
        let kiosk = try TestKiosk()
        let missing = try await kiosk.run(["import", "residents", kiosk.directory.path + "/nowhere.csv"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nowhere.csv: the file does not exist"))
        let notAnExport = try await kiosk.run([
            "import", "residents", try kiosk.directory.write("x.csv", "name,number\nA,1\n"),
        ])
        #expect(notAnExport.status == 2)
        #expect(notAnExport.stderr.contains("not an OpenSID resident export: the header lacks"))
        #expect(!FileManager.default.fileExists(atPath: kiosk.state + "/kiosk.sqlite"), "nothing to write, no file")
    }

    @Test func aDryRunWritesNothing() async throws {
        let kiosk = try TestKiosk()
        let outcome = try await kiosk.run(["import", "residents", TestPaths.residents, "--dry-run"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("Dry run: nothing was written"))
        let after = try await kiosk.run(["import", "residents", TestPaths.residents])
        #expect(after.stdout.contains("  imported new: 8"))
    }

    @Test func aPINIsReadFromStandardInputAndVerifiesAfterwards() async throws {
        let kiosk = try TestKiosk()
        _ = try await kiosk.run(["import", "residents", TestPaths.residents])
        let outcome = try await kiosk.run(["pin", "set", "--card", "520A8BB9"], input: "250713\n")
        #expect(outcome.status == 0, "\(outcome.all)")
        #expect(outcome.stdout.hasPrefix("PIN set for the resident of card 520A8BB9 (scrypt N=2^15, r=8, p=1)"))
        let registry = try kiosk.registry()
        let card = try CardUID(hex: "520A8BB9")
        #expect(try await registry.verifyPIN(PIN(digits: [2, 5, 0, 7, 1, 3]), for: card) == .accepted)
        #expect(try await registry.verifyPIN(PIN(digits: [2, 5, 0, 7, 1, 4]), for: card) == .rejected)
    }

    @Test(arguments: [
        ("123456\n", "run of consecutive digits"),
        ("777777\n", "repeats one digit"),
        ("140368\n", "birth date"),
        ("2507\n", "exactly 6 digits"),
        ("", "no PIN on standard input"),
    ])
    func weakOrMissingPINsAreRefusedAndNothingIsStored(input: String, says: String) async throws {
        let kiosk = try TestKiosk()
        _ = try await kiosk.run(["import", "residents", TestPaths.residents])
        let outcome = try await kiosk.run(["pin", "set", "--card", "520A8BB9"], input: input)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("PIN not set: "))
        #expect(outcome.stderr.contains(says), "\(outcome.stderr)")
        #expect(try await kiosk.registry().statistics(at: .now()).pins == 0)
    }

    @Test func unknownAndMalformedCardsGetNoPINAndAnOperatorCardGetsItsOwn() async throws {
        let kiosk = try TestKiosk()
        _ = try await kiosk.run(["import", "residents", TestPaths.residents])
        let unknown = try await kiosk.run(["pin", "set", "--card", "01020304"], input: "250713\n")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no resident has the card 01020304"))
        // The configuration's operator card, before any `kiosk run` synced it: the command syncs them itself.
        let operatorCard = try await kiosk.run(["pin", "set", "--card", "DEADBEEF"], input: "250713\n")
        #expect(operatorCard.status == 0, "\(operatorCard.all)")
        #expect(operatorCard.stdout.hasPrefix("PIN set for operator card DEADBEEF"))
        let deadbeef = try CardUID(hex: "DEADBEEF")
        #expect(try await kiosk.registry().verifyPIN(PIN(digits: [2, 5, 0, 7, 1, 3]), for: deadbeef) == .accepted)
        let malformed = try await kiosk.run(["pin", "set", "--card", "zz"], input: "250713\n")
        #expect(malformed.status == 64, "ArgumentParser's usage error")
        #expect(malformed.stderr.contains("--card zz: a card UID in hex"))
    }

    @Test func resetLiftsALockout() async throws {
        let kiosk = try TestKiosk()
        _ = try await kiosk.run(["import", "residents", TestPaths.residents])
        _ = try await kiosk.run(["pin", "set", "--card", "04A21B6C9E4F80"], input: "250713\n")
        let card = try CardUID(hex: "04A21B6C9E4F80")
        do {
            let registry = try kiosk.registry()
            for _ in 0..<3 { _ = try await registry.verifyPIN(PIN(digits: [9, 9, 1, 2, 8, 3]), for: card) }
            #expect(try await registry.lookUp(card) == .locked)
        }
        let reset = try await kiosk.run(["pin", "reset", "--card", "04A21B6C9E4F80"])
        #expect(reset.status == 0, "\(reset.all)")
        #expect(reset.stdout == "Cleared 3 failed PIN attempts of card 04A21B6C9E4F80; it is no longer locked.\n")
        #expect(try await kiosk.registry().lookUp(card) != .locked)
        let again = try await kiosk.run(["pin", "reset", "--card", "04A21B6C9E4F80"])
        #expect(again.stdout.contains("had no failed PIN attempts"))
    }

    @Test func nothingTheCommandsPrintOrLogHoldsANIKOrAName() async throws {
        let kiosk = try TestKiosk()
        var outcomes: [TestProcess.Outcome] = []
        await outcomes.append(try kiosk.run(["import", "residents", TestPaths.residents, "--dry-run"]))
        await outcomes.append(try kiosk.run(["import", "residents", TestPaths.residents]))
        let bad = try String(contentsOfFile: TestPaths.residents, encoding: .utf8)
            .replacingOccurrences(of: ",P,METRO,", with: ",L,METRO,")
            .replacingOccurrences(of: "1809070211650012", with: "180907021165001X")
        await outcomes.append(try kiosk.run(["import", "residents", try kiosk.directory.write("bad.csv", bad)]))
        for input in ["250713\n", "140368\n", "123456\n", "54036\n"] {
            await outcomes.append(try kiosk.run(["pin", "set", "--card", "520A8BB9"], input: input))
        }
        await outcomes.append(try kiosk.run(["pin", "set", "--card", "B98B0A52"], input: "250713\n"))
        await outcomes.append(try kiosk.run(["pin", "reset", "--card", "520A8BB9"]))
        await outcomes.append(try kiosk.run(["doctor"]))
        // `kiosk run` imports the configured export at start and logs the counts: a scripted session that ends
        // at once shows what it logs.
        let withExport = try kiosk.directory.write(
            "run.toml",
            SampleConfig.withState(in: kiosk.state) {
                $0.replacingOccurrences(
                    of: "opensid_export = \"\(TestPaths.residents)\"", with: "opensid_export = \"bad.csv\"")
            })
        let script = try kiosk.directory.write("session.txt", "await idle\n")
        let run = try await KioskBinary.run(["run", "--config", withExport, "--script", script])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stderr.contains("OpenSID export imported"))
        #expect(run.stderr.contains("rejected=2"), "\(run.stderr)")
        outcomes.append(run)

        let personal = try RegistryFixture.personalData()
        let nikShaped = try Regex("[0-9]{16}")
        for outcome in outcomes {
            #expect(outcome.all.firstMatch(of: nikShaped) == nil, "\(outcome.all)")
            for name in personal.names { #expect(!outcome.all.contains(name), "\(name) in \(outcome.all)") }
            #expect(!outcome.all.contains("250713") && !outcome.all.contains("140368"), "no PIN is ever echoed")
        }
    }

    @Test func doctorReportsTheRegistryFromTheDatabase() async throws {
        let kiosk = try TestKiosk()
        let before = try await kiosk.run(["doctor"])
        #expect(before.stdout.contains("WARN resident registry: no residents: every card is unknown"))
        _ = try await kiosk.run(["import", "residents", TestPaths.residents])
        let imported = try await kiosk.run(["doctor"])
        #expect(
            imported.stdout.contains(
                "WARN resident registry: 8 residents, 7 cards, 0 PINs registered, 0 locked cards; "
                    + "the registry holds no PINs"
            ))
        _ = try await kiosk.run(["pin", "set", "--card", "520A8BB9"], input: "250713\n")
        let withPIN = try await kiosk.run(["doctor"])
        #expect(
            withPIN.stdout.contains("OK   resident registry: 8 residents, 7 cards, 1 PIN registered, 0 locked cards"))
        #expect(!withPIN.stdout.contains("holds no PINs"))
        #expect(withPIN.status == 0)
    }
}

@Suite("kiosk run's registry")
struct RunRegistryTests {
    /// The configured export is imported when it changed since the import that last took all of it, and skipped
    /// while it stays the same; one with rejected rows is imported at every start, so its warning is not lost.
    @Test func theExportIsImportedAtStartOnlyWhenItChanged() async throws {
        let directory = try TemporaryDirectory()
        let original = try String(contentsOfFile: TestPaths.residents, encoding: .utf8)
        let export = try directory.write("penduduk.csv", original)
        let settings = try SampleConfig.parse(
            SampleConfig.withState(in: directory.path + "/state") {
                $0.replacingOccurrences(of: TestPaths.residents, with: export)
            })
        let database = try RegistryFixture.database(in: directory)
        func start() async throws -> [String] {
            let logs = NIOLockedValueBox<[String]>([])
            let logger = Logger(label: "kiosk") { label in
                JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                    logs.withLockedValue { $0.append(line) }
                }
            }
            _ = try await KioskApp.registry(settings, database: database, logger: logger)
            return logs.withLockedValue { $0 }.filter { $0.contains("OpenSID export") }
        }
        func imported(_ lines: [String], _ counts: String) -> Bool {
            lines.count == 1 && lines[0].contains("OpenSID export imported") && lines[0].contains(counts)
        }

        let first = try await start()
        #expect(imported(first, "new=8"), "\(first)")
        let second = try await start()
        #expect(second.count == 1 && second[0].contains("OpenSID export unchanged since its last import"), "\(second)")

        _ = try directory.write(
            "penduduk.csv", original.replacingOccurrences(of: "HANURA NO. 11,", with: "HANURA NO. 99,"))
        let changed = try await start()
        #expect(imported(changed, "updated=1"), "\(changed)")
        #expect(try await start().allSatisfy { $0.contains("unchanged since its last import") })

        // The fixture's first resident again, with a NIK of three digits (its 7th column; "\r\n" ends its lines:
        // one Character).
        let firstRow = original.split(whereSeparator: \.isNewline)[1]
        var badRow = firstRow.split(separator: ",", omittingEmptySubsequences: false)
        badRow[6] = "123"
        _ = try directory.write("penduduk.csv", original + badRow.joined(separator: ",") + "\r\n")
        for _ in 0..<2 {
            let lines = try await start()
            #expect(lines.contains { $0.contains("OpenSID export imported") && $0.contains("rejected=1") }, "\(lines)")
            #expect(lines.contains { $0.contains("rows of the OpenSID export rejected") }, "\(lines)")
        }
    }

    @Test func aBrokenExportAtStartIsLoggedAndTheKioskServesWhatTheDatabaseHolds() async throws {
        let directory = try TemporaryDirectory()
        _ = try await RegistryFixture.imported(in: directory)
        let broken = try directory.write("penduduk.csv", "name,number\nA,1\n")
        let settings = try SampleConfig.parse(
            SampleConfig.withState(in: directory.path + "/state") {
                $0.replacingOccurrences(of: TestPaths.residents, with: broken)
            })
        let logs = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "kiosk") { label in
            JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                logs.withLockedValue { $0.append(line) }
            }
        }
        let registry = try await KioskApp.registry(
            settings, database: try RegistryFixture.database(in: directory), logger: logger)
        #expect(try await registry.lookUp(try CardUID(hex: "DEADBEEF")) == .operatorCard, "operator cards synced")
        guard case .resident = try await registry.lookUp(try CardUID(hex: "520A8BB9")) else {
            Issue.record("the residents already imported are still served")
            return
        }
        let lines = logs.withLockedValue { $0 }
        #expect(lines.contains { $0.contains("OpenSID export not imported") && $0.contains("the header lacks") })
        #expect(lines.contains { $0.contains("registry ready") && $0.contains("residents=8") })
    }
}
