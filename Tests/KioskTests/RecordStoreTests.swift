import Core
import Crypto
import Foundation
import GRDB
import ProvincialAPI
import TestSupport
import Testing

@testable import KioskKit

@Suite("Service records and the outbox in SQLite")
struct RecordStoreTests {
    static let resident = Resident(
        nik: try! NIK("1809071205900013"), name: "WARGA UJI", birthPlace: "HANURA",
        birthDate: CalendarDate(year: 1990, month: 5, day: 12)!, sex: .male, address: "JL. UJI 1", rt: "001",
        rw: "002", religion: "ISLAM", maritalStatus: "KAWIN", occupation: "PETANI")

    struct Fixture: ~Copyable {
        let directory: TemporaryDirectory
        let database: KioskDatabase
        var store: SQLiteRecordStore
        let settings: KioskSettings

        init(minimumFreeMB: Int = 1, station: Int? = nil) throws {
            let directory = try TemporaryDirectory()
            let settings = try SampleConfig.parse(SampleConfig.valid)
            let database = try KioskDatabase.open(stateDirectory: directory.path + "/state")
            var store = SQLiteRecordStore(
                database: database, sealer: try RecordSealer.load(stateDirectory: directory.path + "/state"),
                kioskID: "1809072001-0\(station ?? 1)", village: settings.village, station: station,
                diskGuard: DiskGuard(directory: directory.path, minimumFreeMB: minimumFreeMB))
            store.printGrace = .zero
            self.settings = settings
            self.database = database
            self.store = store
            self.directory = directory
        }

        func request(_ index: Int = 0, purpose: String = "Melamar pekerjaan") -> LetterRequest {
            LetterRequest(
                kind: settings.catalogue.kinds[index], purpose: purpose, resident: RecordStoreTests.resident,
                card: nil)
        }

        func count(_ table: String) throws -> Int {
            try database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)")! }
        }
    }

    @Test func aCaptureWritesTheRecordAndItsOutboxRowAndNumbersPerKind() async throws {
        let kiosk = try Fixture()
        let first = try await kiosk.store.issue(kiosk.request(0))
        let second = try await kiosk.store.issue(kiosk.request(0))
        let other = try await kiosk.store.issue(kiosk.request(1))
        let serials: [Int] = [first.number.serial, second.number.serial, other.number.serial]
        #expect(serials == [1, 2, 1])
        #expect(try kiosk.count("service_record") == 3)
        #expect(try kiosk.count("outbox") == 3)
        let records = try await kiosk.store.records()
        #expect(records.map(\.id) == [first.recordID, second.recordID, other.recordID])
        #expect(records.map(\.residentNIK.digits) == Array(repeating: "1809071205900013", count: 3))
        #expect(records.map(\.purpose) == Array(repeating: "Melamar pekerjaan", count: 3))
    }

    @Test func numbersContinueAfterTheStoreIsOpenedAgain() async throws {
        let kiosk = try Fixture()
        _ = try await kiosk.store.issue(kiosk.request())
        let again = SQLiteRecordStore(
            database: try KioskDatabase.open(stateDirectory: kiosk.directory.path + "/state"),
            sealer: try RecordSealer.load(stateDirectory: kiosk.directory.path + "/state"), kioskID: "x",
            village: kiosk.settings.village, diskGuard: DiskGuard(directory: "/", minimumFreeMB: 1))
        #expect(try await again.issue(kiosk.request()).number.serial == 2)
    }

    /// Two kiosks of one village, each with its own database, offline together: numbering both at once never
    /// gives one number twice, and each series still counts 1, 2, 3 at its kiosk.
    @Test func twoOfflineKiosksOfOneVillageNeverGiveTheSameNumber() async throws {
        let first = try Fixture(station: 1)
        let second = try Fixture(station: 2)
        let perKiosk = 60
        let numbers = try await withThrowingTaskGroup(of: [LetterNumber].self) { group in
            for kiosk in [first.store, second.store] {
                let request = first.request(0)
                group.addTask {
                    var numbers: [LetterNumber] = []
                    for _ in 0..<perKiosk { numbers.append(try await kiosk.issue(request).number) }
                    return numbers
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(numbers.count == 2 * perKiosk)
        #expect(Set(numbers.map(\.formatted)).count == numbers.count, "a number was given twice")
        for station in [1, 2] {
            #expect(numbers.filter { $0.station == station }.map(\.serial).sorted() == Array(1...perKiosk))
        }
        // What the province would see: every number parses back to its kiosk's station.
        #expect(numbers.allSatisfy { LetterNumber($0.formatted)?.station == $0.station })
    }

    @Test func theNIKAndThePurposeAreNotInTheDatabaseFileInTheClear() async throws {
        let kiosk = try Fixture()
        for _ in 0..<20 { _ = try await kiosk.store.issue(kiosk.request(purpose: "Pindah ke Kota Metro")) }
        _ = try await kiosk.database.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: kiosk.database.path))
        #expect(bytes.range(of: Data("1809071205900013".utf8)) == nil)
        #expect(bytes.range(of: Data("Kota Metro".utf8)) == nil)
        #expect(bytes.range(of: Data("S-41/001/1809072001".utf8)) != nil)  // the unsealed columns are there
    }

    @Test func aSealedBlobMovedToAnotherRowDoesNotOpenAndItsRecordIsKeptAsRejected() async throws {
        let kiosk = try Fixture()
        let first = try await kiosk.store.issue(kiosk.request())
        let second = try await kiosk.store.issue(kiosk.request())
        try await kiosk.database.pool.write { db in
            try db.execute(
                sql:
                    "UPDATE service_record SET personal = (SELECT personal FROM service_record WHERE id = ?) WHERE id = ?",
                arguments: [first.recordID.text, second.recordID.text])
        }
        await kiosk.store.recordPrintOutcome(.printed, for: first.recordID)
        await kiosk.store.recordPrintOutcome(.printed, for: second.recordID)
        let batch = try await kiosk.store.nextBatch(limit: 10)
        #expect(batch.map(\.id) == [first.recordID.text])
        let summary = try await kiosk.store.summary()
        #expect(summary.pending == 2 && summary.rejected == 1)
        #expect(try kiosk.count("service_record") == 2)
    }

    @Test func aRecordWaitsForItsPrintOutcomeOrTheGrace() async throws {
        var kiosk = try Fixture()
        kiosk.store.printGrace = .seconds(120)
        let issued = try await kiosk.store.issue(kiosk.request())
        #expect(try await kiosk.store.nextBatch(limit: 10).isEmpty)
        await kiosk.store.recordPrintOutcome(.failed(.paperOut), for: issued.recordID)
        let batch = try await kiosk.store.nextBatch(limit: 10)
        #expect(batch.map(\.printOutcome) == [.failed])
        #expect(batch.map(\.printProblem) == ["paperOut"])
        #expect(try kiosk.store.deviceState.get(.printerStatus) == "paperOut")

        let unprinted = try await kiosk.store.issue(kiosk.request())
        var later = kiosk.store
        later.now = { .now() + .seconds(121) }
        let afterGrace = try await later.nextBatch(limit: 10)
        #expect(afterGrace.last?.id == unprinted.recordID.text && afterGrace.last?.printOutcome == .pending)
    }

    @Test func acknowledgedRecordsLeaveTheOutboxRejectedOnesStayAndPurgeFollowsTheRetention() async throws {
        let kiosk = try Fixture()
        var ids: [String] = []
        for _ in 0..<3 {
            let issued = try await kiosk.store.issue(kiosk.request())
            await kiosk.store.recordPrintOutcome(.printed, for: issued.recordID)
            ids.append(issued.recordID.text)
        }
        try await kiosk.store.settle([
            .init(id: ids[0], status: .accepted), .init(id: ids[1], status: .duplicate),
            .init(id: ids[2], status: .rejected, reason: "villageCode: the kiosk is enrolled for another village"),
        ])
        let summary = try await kiosk.store.summary()
        #expect(summary.pending == 1 && summary.rejected == 1 && summary.lastUpload != nil)
        #expect(try await kiosk.store.nextBatch(limit: 10).isEmpty)
        #expect(try await kiosk.store.purge(retentionDays: 30) == 0)
        var later = kiosk.store
        later.now = { .now() + .seconds(31 * 86_400) }
        #expect(try await later.purge(retentionDays: 30) == 2)
        #expect(try kiosk.count("service_record") == 1)  // the rejected one is never purged
        #expect(try await kiosk.store.retryRejected() == 1)
        #expect(try await kiosk.store.nextBatch(limit: 10).map(\.id) == [ids[2]])
    }

    @Test func aFullDiskRefusesTheServiceAndWritesNothing() async throws {
        let kiosk = try Fixture(minimumFreeMB: 100_000_000)
        await #expect(throws: IssueProblem.diskFull) { try await kiosk.store.issue(kiosk.request()) }
        #expect(try kiosk.count("service_record") == 0)
    }

    @Test func aHalfWrittenKeyLeftByACrashDoesNotBlockTheNextStart() throws {
        // After a power cut during the first start, the next boot often gives the kiosk the same PID again: the
        // temporary file of that PID is then in the way of O_EXCL.
        let directory = try TemporaryDirectory()
        let stale = directory.path + "/" + DeviceKey.fileName + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data([1, 2, 3])))
        let key = try DeviceKey.load(stateDirectory: directory.path)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(try DeviceKey.load(stateDirectory: directory.path).publicKeyBase64 == key.publicKeyBase64)
    }

    @Test func keyFilesAreMadePrivateAndAnOpenOneIsRefused() throws {
        let directory = try TemporaryDirectory()
        _ = try RecordSealer.load(stateDirectory: directory.path)
        _ = try DeviceKey.load(stateDirectory: directory.path)
        for name in [RecordSealer.fileName, DeviceKey.fileName] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/" + name)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect((attributes[.size] as? Int) == 32)
        }
        let first = try DeviceKey.load(stateDirectory: directory.path).publicKeyBase64
        #expect(try DeviceKey.load(stateDirectory: directory.path).publicKeyBase64 == first)
        chmod(directory.path + "/" + RecordSealer.fileName, 0o644)
        #expect(throws: KeyFileError.self) { try RecordSealer.load(stateDirectory: directory.path) }
        let credentials = try TemporaryDirectory()
        let key = Data(repeating: 9, count: 32)
        _ = FileManager.default.createFile(
            atPath: credentials.path + "/device-key", contents: key, attributes: [.posixPermissions: 0o600])
        let fromCredential = try DeviceKey.load(
            stateDirectory: directory.path, environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(fromCredential.rawKey == key)
    }

    @Test func aStaleTemporaryLeftByACrashDoesNotBlockStartUp() throws {
        // A crash between creating `record.key.<pid>.tmp` and linking it left it behind; a kiosk that boots the same
        // way each time gets the same process id, and creating the key failed with EEXIST on every start after.
        let directory = try TemporaryDirectory()
        let stale = directory.path + "/" + RecordSealer.fileName + ".\(getpid()).tmp"
        _ = FileManager.default.createFile(
            atPath: stale, contents: Data(repeating: 1, count: 7), attributes: [.posixPermissions: 0o600])
        _ = try RecordSealer.load(stateDirectory: directory.path)
        let key = try #require(FileManager.default.contents(atPath: directory.path + "/" + RecordSealer.fileName))
        #expect(key.count == 32 && key != Data(repeating: 1, count: 32))
        #expect(!FileManager.default.fileExists(atPath: stale), "the stale temporary is gone")
    }

    @Test func backoffIsFullJitterUnderTheCapAndRespectsRetryAfter() {
        var generator = SplitMix64(seed: 2026)
        let backoff = Backoff(base: .seconds(1), cap: .seconds(60))
        for failures in 1...20 {
            let ceiling = min(Duration.seconds(60), .seconds(1 << min(failures - 1, 30)))
            for _ in 0..<50 {
                let delay = backoff.delay(afterFailures: failures, using: &generator)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
        let spread = Set((0..<100).map { _ in backoff.delay(afterFailures: 10, using: &generator) })
        #expect(spread.count > 50)  // jittered, not in step
        #expect(backoff.delay(afterFailures: 1, retryAfter: .seconds(120), using: &generator) == .seconds(120))
        // A week asked for is an hour waited: nobody may park a village's records.
        #expect(backoff.delay(afterFailures: 1, retryAfter: .seconds(7 * 86_400), using: &generator) == .seconds(3600))
    }

    @Test func serverTextLosesLongNumbersControlCharactersAndLength() {
        #expect(ServerText.loggable("NIK 1809071205900013 tidak cocok") == "NIK [number hidden] tidak cocok")
        #expect(ServerText.loggable("lahir 12051990, RT 001") == "lahir [number hidden], RT 001")
        #expect(ServerText.loggable("line\nkiosk: forged\u{1B}[2J") == "line kiosk: forged [2J")
        #expect(ServerText.loggable("batch-size 1 to 500") == "batch-size 1 to 500")
        let long = ServerText.loggable(String(repeating: "a", count: 1000))
        #expect(long.count == ServerText.limit && long.hasSuffix("…"))
    }

    @Test func aServersRetryAfterIsCappedAtAnHour() {
        // A Retry-After of days (or a date years ahead) once kept the outbox from draining for as long.
        var generator = SplitMix64(seed: 2026)
        let backoff = Backoff(base: .seconds(1), cap: .seconds(60))
        for asked in [Duration.seconds(3601), .seconds(86_400 * 365), .seconds(Int64.max / 2)] {
            #expect(backoff.delay(afterFailures: 1, retryAfter: asked, using: &generator) == Backoff.longestRetryAfter)
        }
        #expect(Backoff.longestRetryAfter == .seconds(3600))
        #expect(ProvincialClient.retryAfter("99999999999999999999") == nil, "not a number an Int holds")
    }
}

extension Timestamp {
    static func + (time: Timestamp, duration: Duration) -> Timestamp {
        Timestamp(millisecondsSince1970: time.millisecondsSince1970 + duration.milliseconds)
    }

}

/// Maintenance's "Periksa Surat" against the kiosk's own records.
extension RecordStoreTests {
    @Test func periksaSuratFindsTheKiosksOwnNumbersAndNoOthers() async throws {
        let kiosk = try Fixture(station: 2)
        let issued = try await kiosk.store.issue(kiosk.request(0))
        let number = issued.number
        let today = Timestamp.now().date()
        #expect(await kiosk.store.check(number) == .issued(kindCode: number.kindCode, on: today))
        func changed(_ change: (inout LetterNumber) -> Void) -> LetterNumber {
            var other = number
            change(&other)
            return other
        }
        // The next serial, another station or village, another month or year on paper: not this kiosk's.
        #expect(await kiosk.store.check(changed { $0.serial += 1 }) == .notIssued)
        #expect(await kiosk.store.check(changed { $0.station = 3 }) == .notIssued)
        #expect(await kiosk.store.check(changed { $0.station = nil }) == .notIssued)
        #expect(await kiosk.store.check(changed { $0.village = try! VillageCode("1809072002") }) == .notIssued)
        #expect(await kiosk.store.check(changed { $0.month = $0.month % 12 + 1 }) == .notIssued)
        #expect(await kiosk.store.check(changed { $0.year += 1 }) == .notIssued)
        #expect(await kiosk.store.check(changed { $0.kindCode = "S-99" }) == .notIssued)
        // Typed with a serial of four digits, it is the same number.
        let longSerial = try #require(
            LetterNumber(number.formatted.replacingOccurrences(of: "/001-", with: "/0001-")))
        #expect(await kiosk.store.check(longSerial) == .issued(kindCode: number.kindCode, on: today))
        // Purged after the province acknowledged it: issued here, its date gone.
        try await kiosk.database.pool.write { db in try db.execute(sql: "DELETE FROM service_record") }
        #expect(await kiosk.store.check(number) == .purged)
        #expect(await kiosk.store.check(changed { $0.serial += 1 }) == .notIssued)
    }

    @Test func periksaSuratOnAnUnreadableStoreSaysSo() async throws {
        let kiosk = try Fixture()
        let issued = try await kiosk.store.issue(kiosk.request(0))
        try await kiosk.database.pool.write { db in
            try db.execute(sql: "DROP TABLE outbox; DROP TABLE service_record")
        }
        #expect(await kiosk.store.check(issued.number) == .failed)
    }
}
