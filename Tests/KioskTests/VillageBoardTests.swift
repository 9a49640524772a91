import Core
import Foundation
import GRDB
import ProvincialAPI
import TestSupport
import Testing

@testable import Kiosk
@testable import KioskKit

/// The village board's data: OpenSID's finance export summed as its widget does, the board kept in SQLite with its
/// texts trimmed, hostile boards refused with the old one kept, and the stale label's rule.
@Suite("Village board data")
struct VillageBoardTests {
    static let today = CalendarDate(year: 2026, month: 12, day: 6)!

    /// keuangan_manual_rinci as OpenSID exports it, two years, with the payee columns of a voucher export beside it
    /// (which must never be read).
    static let export = """
        id,config_id,Tahun,Kd_Akun,Kd_Keg,Kd_Rincian,Nilai_Anggaran,Nilai_Realisasi,Nm_Penerima,Rek_Bank,NPWP
        1,1,2025,4.,00.00.00.,4.1.1.,100000000.00,100000000.00,,,
        2,1,2026,4.,00.00.00.,4.2.1.,1000000000.00,450000000.00,,,
        3,1,2026,4.,00.00.00.,4.1.1.,234567890.00,113000000.00,,,
        4,1,2026,5.,01.01.01.,5.1.1.,300000000.00,150000000.00,BUDI SANTOSO,0123456789,09.254.294.3-407.000
        5,1,2026,5.,2.1.01.,5.3.1.,800000000.00,200000000.00,CV MAJU JAYA,9876543210,01.234.567.8-901.000
        6,1,2026,5.,01.01.02.04.01.,5.2.1.,100000000.00,100000000.00,,,
        7,1,2026,6.,00.00.00.,6.1.1.,50000000.00,50000000.00,,,
        """

    static func importBoard(_ text: String = export, year: Int? = nil) throws -> OpenSIDFinanceImport.Result {
        try OpenSIDFinanceImport.parse(
            text, villageCode: "1809072001", year: year, asOf: today, complaints: "Kantor Desa Hanura")
    }

    @Test func theFinanceExportIsSummedAsOpenSIDsWidgetDoesForTheLatestYear() throws {
        let result = try Self.importBoard()
        #expect(result.board.year == 2026 && result.rows == 6)
        #expect(
            result.board.summary.map { [$0.title, "\($0.budget)", "\($0.realised)"] } == [
                ["Pendapatan", "1234567890", "563000000"], ["Belanja", "1200000000", "450000000"],
                ["Pembiayaan", "50000000", "50000000"],
            ])
        #expect(result.board.summary[0].percent == 45.6)
        // 01.01.01. and the Siskeudes-style 01.01.02.04.01. are bidang 1 and 2; 2.1.01. is bidang 2.
        #expect(
            result.board.byBidang.map { [$0.title, "\($0.budget)"] } == [
                ["Bidang 1: Penyelenggaraan Pemerintahan Desa", "300000000"],
                ["Bidang 2: Pelaksanaan Pembangunan Desa", "900000000"],
            ])
        #expect(try Self.importBoard(year: 2025).board.summary.map(\.budget) == [100_000_000])
    }

    @Test func payeeNamesBankAccountsAndNPWPNeverReachTheBoard() throws {
        let result = try Self.importBoard()
        #expect(result.ignoredPayeeColumns == ["nm_penerima", "rek_bank", "npwp"])
        let directory = try TemporaryDirectory()
        let store = BoardStore(database: try KioskDatabase.open(stateDirectory: directory.path))
        try store.save(result.board, etag: nil, source: .import, on: Self.today)
        let kept = try store.database.pool.read { db in try Data.fetchOne(db, sql: "SELECT body FROM board")! }
        let text = String(decoding: kept, as: UTF8.self)
        for secret in ["BUDI", "SANTOSO", "MAJU JAYA", "0123456789", "9876543210", "09.254.294.3", "01.234.567.8"] {
            #expect(!text.contains(secret), "the stored board holds \(secret)")
        }
    }

    @Test(arguments: [
        ("1,1,2026,5.,01.01.01.,5.1.1.,-300000000.00,0", "line 3: a negative amount"),
        ("1,1,2026,5.,01.01.01.,5.1.1.,tiga juta,0", "line 3: Nilai_Anggaran and Nilai_Realisasi must be amounts"),
        ("1,1,2026,7.,01.01.01.,7.1.1.,1,0", "line 3: Kd_Akun must start with 4"),
        ("1,1,dua ribu,5.,01.01.01.,5.1.1.,1,0", "line 3: Tahun is not a year"),
    ])
    func aBadRowImportsNothingAndNamesTheLine(row: String, expected: String) {
        let text =
            "id,config_id,Tahun,Kd_Akun,Kd_Keg,Kd_Rincian,Nilai_Anggaran,Nilai_Realisasi\n"
            + "1,1,2026,4.,00.00.00.,4.1.1.,1000.00,0\n" + row
        #expect {
            try Self.importBoard(text)
        } throws: { error in
            "\(error)".contains(expected) && "\(error)".contains("nothing imported")
        }
    }

    @Test func aFileWithoutTheColumnsSaysWhichAreMissing() {
        #expect {
            try Self.importBoard("Tahun,Kd_Akun\n2026,4.\n")
        } throws: { error in
            "\(error)".contains("kd_keg, kd_rincian, nilai_anggaran, nilai_realisasi")
        }
    }

    static func wire(
        activities: [BoardActivity] = [], announcements: [BoardAnnouncement] = [], budget: Int64 = 1_000
    ) -> Board {
        Board(
            villageCode: "1809072001", year: 2026, asOf: "2026-11-30",
            summary: [BoardLine(title: "Pendapatan", budget: budget, realised: 10, percent: 1)], byBidang: [],
            activities: activities, announcements: announcements, complaints: "Kantor Desa Hanura")
    }

    /// The 5 MB and 10,000-activity boards take seconds of CPU in a debug build: off the concurrency pool, so the
    /// scripted sessions of other suites keep their threads.
    @Test func hostileBoardsAreTrimmedOrRefusedAndTheKeptBoardSurvives() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try Self.hostileBoards() }) }
        }
    }

    static func hostileBoards() throws {
        let directory = try TemporaryDirectory()
        let store = BoardStore(database: try KioskDatabase.open(stateDirectory: directory.path))
        // 10,000 activities, a 5 MB announcement, Javanese script: kept, the announcement cut to what a screen shows.
        let javanese = "ꦥꦁꦒꦺꦴꦭꦺꦏ꧀ꦲꦤ꧀ ꦢꦺꦱ"
        let activities = (0..<10_000).map {
            BoardActivity(
                title: "\(javanese) \($0)", bidang: 2, status: $0 % 3 == 0 ? .done : .ongoing, progress: $0 % 101)
        }
        let huge = BoardAnnouncement(
            title: javanese, body: String(repeating: "Pengumuman ", count: 500_000), validFrom: "2026-12-01",
            validUntil: "2026-12-31")
        try store.save(
            Self.wire(activities: activities, announcements: [huge]), etag: "\"a\"", source: .api, on: Self.today)
        let kept = try #require(try store.load())
        #expect(kept.board.activities.count == 10_000)
        #expect(kept.board.activityCounts.done == 3_334)
        #expect(kept.board.activities[7].title == "\(javanese) 7")
        #expect(kept.board.announcements[0].body.count == VillageBoard.maximumBody)
        let size = try store.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT length(body) FROM board")! }
        #expect(size < 2_000_000, "the 5 MB announcement was kept whole: \(size) bytes")

        // Negative amounts, progress beyond 100, an announcement that ends before it starts, a date that is not one.
        let hostile: [Board] = [
            Self.wire(budget: -5),
            Self.wire(activities: [BoardActivity(title: "x", status: .done, progress: 250)]),
            Self.wire(announcements: [
                BoardAnnouncement(title: "x", body: "y", validFrom: "2026-12-31", validUntil: "2026-12-01")
            ]),
            Self.wire(announcements: [
                BoardAnnouncement(title: "x", body: "y", validFrom: "kemarin", validUntil: "2026-12-01")
            ]),
        ]
        for board in hostile {
            #expect(throws: BoardProblem.self) {
                try store.save(board, etag: "\"b\"", source: .api, on: Self.today)
            }
        }
        #expect(try store.load()?.board.activities.count == 10_000, "the kept board is still there")
        #expect(try store.etag() == "\"a\"")
    }

    @Test func aBoardUnconfirmedForMoreThanAWeekIsStale() {
        let board = VillageBoard(year: 2026, asOf: Self.today, summary: [], byBidang: [], complaints: "")
        let stored = StoredBoard(board: board, confirmedOn: Self.today)
        #expect(!stored.isStale(on: Self.today.adding(days: 7)))
        #expect(stored.isStale(on: Self.today.adding(days: 8)))
    }

    @Test func numbersAreWrittenTheIndonesianWay() {
        #expect(IndonesianNumber.rupiah(1_234_567_890) == "Rp 1.234.567.890")
        #expect(IndonesianNumber.rupiah(0) == "Rp 0")
        #expect(IndonesianNumber.rupiah(-5_000) == "-Rp 5.000")
        #expect(IndonesianNumber.percent(45.6) == "45,6 %")
        #expect(IndonesianNumber.percent(100) == "100,0 %")
        #expect(IndonesianNumber.percent(1234.56) == "1.234,6 %")
        #expect(VillageBoard.Line(title: "", budget: 0, realised: 5).percent == 100)
        #expect(VillageBoard.Line(title: "", budget: 0, realised: 0).percent == 0)
    }
}
