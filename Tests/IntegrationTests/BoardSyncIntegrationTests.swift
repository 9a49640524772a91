import Foundation
import ProvincialAPI
import Testing

/// `kiosk sync-board` and `kiosk import board` against `kiosk-sim api` over loopback: the board with its ETag, a
/// 304 while it is unchanged, a changed board after the province updates it, and the kept board surviving an
/// unreachable server, a board the kiosk refuses, and a server that has none.
@Suite("Village board sync", .serialized)
struct BoardSyncIntegrationTests {
    static func board(asOf: String, budget: Int64 = 1_234_567_890) -> Board {
        Board(
            villageCode: "1809072001", year: 2026, asOf: asOf,
            summary: [BoardLine(title: "Pendapatan", budget: budget, realised: 563_000_000, percent: 45.6)],
            byBidang: [], activities: [BoardActivity(title: "Rabat beton", bidang: 2, status: .done, progress: 100)],
            announcements: [], complaints: "Kantor Desa Hanura")
    }

    static func write(_ board: Board, in folder: String, name: String) throws -> String {
        let path = folder + "/\(name).json"
        try APIJSON.encoder().encode(board).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theBoardSyncsWithItsETagAndTheKeptOneSurvivesOutagesAndBadBoards() async throws {
        try await Self.syncsWithItsETag()
    }

    static func syncsWithItsETag() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("board-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.write(Self.board(asOf: "2026-11-30"), in: folder, name: "first")
        let setup = try ProvincialAPIIntegrationTests.Setup(serverOptions: ["--board", first])
        defer { setup.server.stop() }
        try await setup.enroll()

        let fetched = try await setup.kiosk(["sync-board"])
        #expect(
            fetched.status == 0 && fetched.output.contains("board updated (data per 30 November 2026)"),
            "\(fetched.output)")
        let again = try await setup.kiosk(["sync-board"])
        #expect(again.status == 0 && again.output.contains("board unchanged"), "\(again.output)")

        // The province unreachable: the sync fails, the board stays.
        setup.server.stop()
        let offline = try await setup.kiosk(["sync-board"])
        #expect(offline.status == 1 && offline.output.contains("board sync failed"), "\(offline.output)")

        // A new board: fetched whole, with a new ETag.
        let second = try Self.write(Self.board(asOf: "2026-12-05"), in: folder, name: "second")
        let updated = try APIServerProcess(
            state: setup.folder + "/api", options: ["--board", second], port: setup.server.port)
        let changed = try await setup.kiosk(["sync-board"])
        #expect(changed.output.contains("board updated (data per 5 Desember 2026)"), "\(changed.output)")
        updated.stop()

        // A board with a negative amount is refused; the kiosk keeps the one it had.
        let bad = try Self.write(Self.board(asOf: "2026-12-06", budget: -1), in: folder, name: "bad")
        let hostile = try APIServerProcess(
            state: setup.folder + "/api", options: ["--board", bad], port: setup.server.port)
        let refused = try await setup.kiosk(["sync-board"])
        #expect(refused.status == 1 && refused.output.contains("negative amount"), "\(refused.output)")
        #expect(refused.output.contains("keeps the board it had"))
        hostile.stop()

        // A village the province has no board for: a clear answer, the board kept.
        let empty = try APIServerProcess(
            state: FileManager.default.temporaryDirectory.appendingPathComponent("board-empty-\(UUID().uuidString)")
                .path, options: ["--token", ProvincialAPIIntegrationTests.Setup.tokenOption], port: setup.server.port)
        defer { empty.stop() }
        let noBoard = try await setup.kiosk(["sync-board"])
        #expect(noBoard.status == 1, "\(noBoard.output)")
    }

    @Test func anImportedBoardIsReplacedByTheProvincesOnceTheVillageIsConnected() async throws {
        try await Self.importThenSync()
    }

    static func importThenSync() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("board-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/keuangan_manual_rinci.csv"
        try """
        id,config_id,Tahun,Kd_Akun,Kd_Keg,Kd_Rincian,Nilai_Anggaran,Nilai_Realisasi
        1,1,2026,4.,00.00.00.,4.1.1.,1000000.00,500000.00
        2,1,2026,5.,2.1.01.,5.3.1.,800000.00,200000.00
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let first = try Self.write(Self.board(asOf: "2026-11-30"), in: folder, name: "first")
        let setup = try ProvincialAPIIntegrationTests.Setup(serverOptions: ["--board", first])
        defer { setup.server.stop() }
        let imported = try await setup.kiosk(["import", "board", csv, "--as-of", "2026-10-31"])
        #expect(
            imported.status == 0
                && imported.output.contains("board imported: APBDes 2026, 2 row(s), data per 31 Oktober 2026"),
            "\(imported.output)")
        try await setup.enroll()
        let fetched = try await setup.kiosk(["sync-board"])
        #expect(fetched.output.contains("board updated (data per 30 November 2026)"), "\(fetched.output)")
    }
}
