import Core
import Foundation
import GRDB
import TestSupport
import Testing

@testable import KioskKit

/// Queue tickets in SQLite: the day's counter taken in the transaction that records the ticket, so a number is never
/// given twice, whatever the clock does; the NIK of a carded ticket sealed and dropped once uploaded.
@Suite("Queue tickets and their counters in SQLite")
struct QueueStoreTests {
    /// 2026-12-06 10:00 WIB.
    static let morning = Timestamp(millisecondsSince1970: 1_796_526_000_000)
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    final class Clock: @unchecked Sendable {
        var now = QueueStoreTests.morning
    }

    struct Fixture: ~Copyable {
        let directory: TemporaryDirectory
        let database: KioskDatabase
        let clock = Clock()
        var store: QueueStore

        init(station: Int? = 2) throws {
            let directory = try TemporaryDirectory()
            let settings = try SampleConfig.parse(SampleConfig.valid)
            let database = try KioskDatabase.open(stateDirectory: directory.path + "/state")
            let records = SQLiteRecordStore(
                database: database, sealer: try RecordSealer.load(stateDirectory: directory.path + "/state"),
                kioskID: "1809072001-02", village: settings.village, station: station,
                diskGuard: DiskGuard(directory: directory.path, minimumFreeMB: 1))
            store = QueueStore(records: records)
            let clock = clock
            store.now = { clock.now }
            store.printGrace = .zero
            self.database = database
            self.directory = directory
        }

        func take(_ resident: Resident? = nil) async throws -> String {
            "\(try await store.take(QueueRequest(service: QueueService.defaults[0], resident: resident)).ticket.number)"
        }

        func column(_ sql: String) throws -> [String] {
            try database.pool.read { try String.fetchAll($0, sql: sql) }
        }
    }

    @Test func numbersCountFromOneEachDayWithTheStation() async throws {
        let kiosk = try Fixture()
        #expect(try await kiosk.take() == "061226-001-K2")
        #expect(try await kiosk.take() == "061226-002-K2")
        kiosk.clock.now = Timestamp(millisecondsSince1970: Self.morning.millisecondsSince1970 + Self.day)
        #expect(try await kiosk.take() == "071226-001-K2")
        let single = try Fixture(station: nil)
        #expect(try await single.take() == "061226-001", "a village's only kiosk keeps OpenSID's format")
    }

    /// The hostile case of issue 19: a ticket counter that goes back. The clock goes back within the day, then to
    /// the day before (which had tickets), then forward again: every (day, number) is new.
    @Test func aClockThatGoesBackNeverGivesANumberTwice() async throws {
        let kiosk = try Fixture()
        let start = Self.morning.millisecondsSince1970
        var numbers: [String] = []
        kiosk.clock.now = Timestamp(millisecondsSince1970: start - Self.day)  // yesterday
        numbers.append(try await kiosk.take())
        numbers.append(try await kiosk.take())
        kiosk.clock.now = Self.morning
        numbers.append(try await kiosk.take())
        numbers.append(try await kiosk.take())
        kiosk.clock.now = Timestamp(millisecondsSince1970: start - 2 * Self.hour)  // an hour earlier, same day
        numbers.append(try await kiosk.take())
        kiosk.clock.now = Timestamp(millisecondsSince1970: start - Self.day + Self.hour)  // back to yesterday
        numbers.append(try await kiosk.take())
        kiosk.clock.now = Self.morning
        numbers.append(try await kiosk.take())
        #expect(
            numbers == [
                "051226-001-K2", "051226-002-K2", "061226-001-K2", "061226-002-K2", "061226-003-K2", "051226-003-K2",
                "061226-004-K2",
            ])
        #expect(Set(numbers).count == numbers.count)
        #expect(Set(try kiosk.column("SELECT number FROM queue_ticket")).count == numbers.count)
    }

    @Test func numbersContinueAfterTheDatabaseIsOpenedAgain() async throws {
        let kiosk = try Fixture()
        #expect(try await kiosk.take() == "061226-001-K2")
        // A restart: a new connection and store on the same file.
        let settings = try SampleConfig.parse(SampleConfig.valid)
        let records = SQLiteRecordStore(
            database: try KioskDatabase.open(stateDirectory: kiosk.directory.path + "/state"),
            sealer: try RecordSealer.load(stateDirectory: kiosk.directory.path + "/state"), kioskID: "x",
            village: settings.village, station: 2, diskGuard: DiskGuard(directory: "/", minimumFreeMB: 1))
        var again = QueueStore(records: records)
        again.now = { QueueStoreTests.morning }
        let ticket = try await again.take(QueueRequest(service: QueueService.defaults[1]))
        #expect("\(ticket.ticket.number)" == "061226-002-K2")
    }

    @Test func aRepeatedNumberIsRefusedNotGiven() async throws {
        let kiosk = try Fixture()
        _ = try await kiosk.take()
        // A counter set back by hand (a restored backup of the counters alone): the ticket is not taken.
        try await kiosk.database.pool.write { try $0.execute(sql: "UPDATE queue_counter SET last = 0") }
        await #expect(throws: IssueProblem.storageFailed) { try await kiosk.take() }
        #expect(try kiosk.column("SELECT number FROM queue_ticket") == ["061226-001-K2"])
    }

    @Test func aTicketWithoutACardHoldsNothingPersonalAndACardedOneDropsItsNIKOnceUploaded() async throws {
        let kiosk = try Fixture()
        _ = try await kiosk.take()
        _ = try await kiosk.take(RecordStoreTests.resident)
        let blobs = try await kiosk.database.pool.read {
            try Row.fetchAll($0, sql: "SELECT resident FROM queue_ticket ORDER BY counter").map {
                $0["resident"] as Data?
            }
        }
        #expect(blobs[0] == nil)
        let sealed = try #require(blobs[1])
        #expect(!String(decoding: sealed, as: UTF8.self).contains("1809071205900013"), "sealed at rest")
        let batch = try kiosk.store.nextBatch(limit: 10)
        #expect(batch.map(\.residentNik) == [nil, "1809071205900013"])
        #expect(batch.map(\.number) == ["061226-001-K2", "061226-002-K2"])
        try kiosk.store.markUploaded(batch.map(\.id))
        #expect(try kiosk.column("SELECT count(*) FROM queue_ticket WHERE resident IS NOT NULL") == ["0"])
        #expect(try kiosk.store.nextBatch(limit: 10).isEmpty)
        // Purged after the retention; the counter stays, so the day's numbers go on.
        kiosk.clock.now = Timestamp(millisecondsSince1970: Self.morning.millisecondsSince1970 + 31 * Self.day)
        #expect(try kiosk.store.purge(retentionDays: 30) == 2)
        kiosk.clock.now = Self.morning
        #expect(try await kiosk.take() == "061226-003-K2")
    }

    @Test func surveyDaysArePurgedOnlyOnceUploadedAndPastTheRetention() throws {
        let directory = try TemporaryDirectory()
        let surveys = SurveyStore(database: try KioskDatabase.open(stateDirectory: directory.path + "/state"))
        let old = CalendarDate(year: 2026, month: 10, day: 1)!
        let recent = CalendarDate(year: 2026, month: 12, day: 1)!
        for day in [old, recent, old.adding(days: 1)] {
            try surveys.record(SurveyAnswer(service: "S-41", rating: .satisfied), on: day)
        }
        try surveys.markUploaded("\(old)")
        try surveys.markUploaded("\(recent)")
        let today = CalendarDate(year: 2026, month: 12, day: 6)!
        #expect(try surveys.purge(uploadedBefore: today.adding(days: -30)) == 1, "only the old day that was sent")
        #expect(try surveys.days(before: today).map(\.day) == ["\(old.adding(days: 1))"], "not sent: kept")
        #expect(try surveys.days(before: today, uploaded: true).map(\.day) == ["\(recent)"])
    }
}
