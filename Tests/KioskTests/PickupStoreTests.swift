import Core
import Foundation
import GRDB
import NIOConcurrencyHelpers
import ProvincialAPI
import TestSupport
import Testing

@testable import KioskKit

/// Letters prepared elsewhere in the kiosk database: what the sync keeps and refuses, how a collection claims, records
/// and prints a letter once, and what a failed print leaves.
@Suite("Prepared letters in SQLite")
struct PickupStoreTests {
    static let holder = RecordStoreTests.resident
    static let card = try! CardUID(hex: "04A21B6C9E4F80")
    static let pdf = Data("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8)

    /// Keeps what it was given to print, and answers `outcome`.
    final class Output: LetterOutput, Sendable {
        let printed = NIOLockedValueBox<[[UInt8]]>([])
        let outcome: PrintOutcome
        init(_ outcome: PrintOutcome = .printed) { self.outcome = outcome }
        func deliver(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async -> PrintOutcome {
            Issue.record("a prepared letter must go through deliverUnchanged")
            return .failed(.unknown)
        }
        func deliverUnchanged(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async
            -> PrintOutcome
        {
            printed.withLockedValue { $0.append(pdf) }
            return outcome
        }
    }

    struct Fixture: ~Copyable {
        let records: RecordStoreTests.Fixture
        let store: PickupStore
        let output: Output

        init(_ outcome: PrintOutcome = .printed) throws {
            records = try RecordStoreTests.Fixture()
            output = Output(outcome)
            store = PickupStore(
                database: records.database, records: records.store, catalogue: records.settings.catalogue,
                output: output)
        }

        var village: String { records.settings.village.digits }
        var kind: String { records.settings.catalogue.kinds[0].code }

        func ready(
            _ id: String, village: String? = nil, kind: String? = nil, nik: String = PickupStoreTests.holder.nik.digits,
            card: String? = nil, pdf: Data = PickupStoreTests.pdf, number: String? = nil
        ) -> PickupChange {
            PickupChange(
                id: id, villageCode: village ?? self.village, status: .ready, holderNik: nik, holderCardUid: card,
                kind: kind ?? self.kind, number: number ?? "\(self.kind)/042/\(self.village)/XII/2026",
                pdf: pdf.base64EncodedString())
        }

        func apply(_ changes: [PickupChange], cursor: String = "1") async throws -> PickupStore.Report {
            try await records.database.pool.write { [store] db in
                try store.apply(PickupPage(changes: changes, cursor: cursor, more: false), db)
            }
        }

        func letters() async throws -> [PickupLetter] {
            try await store.letters(for: PickupStoreTests.holder, card: PickupStoreTests.card)
        }
    }

    @Test func aReadyLetterIsKeptSealedWithOnlyDigestsOfItsHolderAndTheCursor() async throws {
        let kiosk = try Fixture()
        let report = try await kiosk.apply([kiosk.ready("PM-1")], cursor: "7")
        #expect(report.stored == 1 && report.refused == 0)
        #expect(try await kiosk.letters().map(\.id) == ["PM-1"])
        #expect(try await kiosk.letters().first?.title == kiosk.records.settings.catalogue.kinds[0].title)
        #expect(try DeviceState(database: kiosk.records.database).get(.pickupCursor) == "7")
        // Neither the NIK nor the PDF's bytes are in the database file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: kiosk.records.database.path))
        #expect(bytes.range(of: Data(Self.holder.nik.digits.utf8)) == nil)
        #expect(bytes.range(of: Data("%PDF-1.4".utf8)) == nil)
        // Another resident sees nothing.
        let other = Resident(
            nik: try NIK("1809075107800002"), name: "LAIN", birthPlace: "X",
            birthDate: CalendarDate(year: 1980, month: 7, day: 11)!, sex: .female, address: "", rt: "", rw: "",
            religion: "", maritalStatus: "", occupation: "")
        #expect(try await kiosk.store.letters(for: other, card: Self.card).isEmpty)
    }

    @Test func aLetterBoundToACardIsOfferedOnlyWithThatCard() async throws {
        let kiosk = try Fixture()
        _ = try await kiosk.apply([kiosk.ready("PM-1", card: "520A8BB9")])
        #expect(try await kiosk.letters().isEmpty)
        #expect(try await kiosk.store.letters(for: Self.holder, card: CardUID(hex: "520A8BB9")).count == 1)
    }

    @Test func hostileChangesAreRefusedByIdAndTheOthersKept() async throws {
        let kiosk = try Fixture()
        let report = try await kiosk.apply([
            kiosk.ready("NOT-PDF", pdf: Data("<html>hello</html>".utf8)),
            kiosk.ready("OTHER-VILLAGE", village: "1809072002"),
            kiosk.ready(
                "HUGE", pdf: Data("%PDF-1.4\n".utf8) + Data(count: PickupStore.maximumPDFBytes) + Data("%%EOF".utf8)),
            kiosk.ready("UNKNOWN-KIND", kind: "Z-99"),
            kiosk.ready("BAD-NUMBER", number: "nomor 12"),
            kiosk.ready("PM-1"),
        ])
        #expect(report.stored == 1)
        #expect(report.refused == 5)
        #expect(report.problems.count == 5)
        #expect(report.problems[0].contains("NOT-PDF") && report.problems[0].contains("not a PDF"))
        #expect(report.problems[1].contains("for village 1809072002"))
        #expect(report.problems[2].contains("more than"))
        #expect(report.problems[3].contains("unknown letter kind"))
        #expect(report.problems.allSatisfy { !$0.contains(Self.holder.nik.digits) })
        #expect(try await kiosk.letters().map(\.id) == ["PM-1"])
    }

    @Test func collectingRecordsTheServicePrintsTheBytesUnchangedAndNeverTwice() async throws {
        let kiosk = try Fixture()
        _ = try await kiosk.apply([kiosk.ready("PM-1")])
        let letter = try #require(try await kiosk.letters().first)
        let outcome = await kiosk.store.collect(letter, by: Self.holder, card: Self.card) { _ in }
        guard case .printed = outcome else { Issue.record("\(outcome)"); return }
        #expect(kiosk.output.printed.withLockedValue { $0 } == [[UInt8](Self.pdf)])
        let again = await kiosk.store.collect(letter, by: Self.holder, card: Self.card) { _ in }
        guard case .alreadyCollected = again else { Issue.record("\(again)"); return }
        #expect(kiosk.output.printed.withLockedValue { $0.count } == 1)
        #expect(try await kiosk.letters().first?.collectedOn != nil)
        // One service record, naming the request, on its way to the province.
        let batch = try await kiosk.records.store.nextBatch(limit: 10)
        #expect(batch.count == 1)
        #expect(batch.first?.pickupId == "PM-1")
        #expect(batch.first?.printOutcome == .printed)
        #expect(batch.first?.residentNik == Self.holder.nik.digits)
    }

    @Test func aLetterCollectedElsewhereIsMarkedAndNotPrinted() async throws {
        let kiosk = try Fixture()
        _ = try await kiosk.apply([kiosk.ready("PM-1")])
        let letter = try #require(try await kiosk.letters().first)
        let report = try await kiosk.apply(
            [
                PickupChange(id: "PM-1", villageCode: kiosk.village, status: .collected)
            ], cursor: "2")
        #expect(report.collected == 1)
        let outcome = await kiosk.store.collect(letter, by: Self.holder, card: Self.card) { _ in }
        guard case .alreadyCollected = outcome else { Issue.record("\(outcome)"); return }
        #expect(kiosk.output.printed.withLockedValue { $0.isEmpty })
        #expect(try kiosk.records.count("service_record") == 0)
    }

    @Test func aFailedPrintLeavesTheLetterWaitingAndNoRecord() async throws {
        let kiosk = try Fixture(.failed(.paperOut))
        _ = try await kiosk.apply([kiosk.ready("PM-1")])
        let letter = try #require(try await kiosk.letters().first)
        let outcome = await kiosk.store.collect(letter, by: Self.holder, card: Self.card) { _ in }
        #expect(outcome == .failed(.paperOut))
        #expect(try await kiosk.letters().first?.isWaiting == true)
        #expect(try kiosk.records.count("service_record") == 0)
        #expect(try kiosk.records.count("outbox") == 0)
    }

    @Test func collectedLettersArePurgedAfterTheRetention() async throws {
        let kiosk = try Fixture()
        _ = try await kiosk.apply([
            kiosk.ready("PM-1"), kiosk.ready("PM-2", number: "\(kiosk.kind)/043/\(kiosk.village)/XII/2026"),
        ])
        _ = try await kiosk.apply([PickupChange(id: "PM-1", villageCode: kiosk.village, status: .collected)])
        #expect(try await kiosk.store.purge() == 0)
        var later = kiosk.store
        later.now = { Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 + 31 * 86_400_000) }
        #expect(try await later.purge() == 1)
        #expect(try await kiosk.letters().map(\.id) == ["PM-2"])
    }
}
