import Core
import Foundation
import TestSupport
import Testing

/// The village board through `kiosk run --script` on the virtual panel: a board imported from OpenSID's finance
/// export, touched on the idle screen, opened in detail, left with Kembali, opened again and interrupted by a card,
/// which starts the resident's session at once as on idle.
@Suite("Village board in detail through kiosk run", .serialized)
struct BoardDetailSessionTests {
    static let kiosk = Services.binaries + "/kiosk"
    static let size = SizeMM(width: 154, height: 86)

    /// A supervised card kiosk (no PIN for residents) on the virtual panel, letters kept as PDF files, operator card
    /// DEADBEEF; its configuration's path.
    static func configure(_ folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder + "/letters", withIntermediateDirectories: true)
        let config = folder + "/kiosk.toml"
        try """
        [kiosk]
        id = "HANURA-01"
        village_code = "18.09.07.2001"
        village_name = "Hanura"
        state_directory = "\(folder)/state"

        [identity]
        mode = "card"
        supervised = true

        \(KioskTOML.letterhead(templates: Services.repository + "/templates"))

        [registry]
        opensid_export = "\(Services.repository)/Tests/KioskTests/Fixtures/opensid-residents.csv"

        [printing]
        letters = "file"
        letter_output = "\(folder)/letters"

        [display]
        backend = "virtual"
        snapshots = "\(folder)/snapshots"
        width_mm = \(Self.size.width)
        height_mm = \(Self.size.height)

        [operators]
        cards = ["DEADBEEF"]

        [card_reader]
        backend = "script"

        \(KioskTOML.domicileLetter)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// The screens `kiosk run` drew on the virtual panel, each run of one screen once.
    static func screens(_ folder: String) throws -> [String] {
        let shown = try FileManager.default.contentsOfDirectory(atPath: folder + "/snapshots").sorted().map {
            String($0.dropFirst(4).dropLast(4))
        }
        return shown.enumerated().filter { $0.offset == 0 || shown[$0.offset - 1] != $0.element }.map(\.element)
    }

    static func run(_ script: String, folder: String, config: String) async throws -> (status: Int32, output: String) {
        let file = folder + "/session.txt"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        return try await Services.run(
            Self.kiosk, ["run", "--config", config, "--script", file, "--await-seconds", "60"])
    }

    @Test func touchingTheBoardOpensItsPageKembaliGoesBackAndACardInterruptsIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("board-touch-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try Self.configure(folder)
        let csv = folder + "/keuangan_manual_rinci.csv"
        try """
        id,config_id,Tahun,Kd_Akun,Kd_Keg,Kd_Rincian,Nilai_Anggaran,Nilai_Realisasi
        1,1,2026,4.,00.00.00.,4.1.1.,1000000000.00,456000000.00
        2,1,2026,5.,2.1.01.,5.3.1.,800000000.00,200000000.00
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await Services.run(Self.kiosk, ["import", "board", csv, "--config", config])
        try #require(imported.status == 0, "\(imported.output)")

        // The centre of the board's box on the idle screen, as the panel lays it out.
        let layout = try ScreenLayout(size: Self.size)
        let box = layout.idleAreas(layout.layout(KioskScreens.idle(health: Health()))).board
        let touch = "touch \(box.x + box.width / 2) \(box.y + box.height / 2)"
        let (status, output) = try await Self.run(
            """
            await idle
            \(touch)
            await board
            see \(Teks.Board.detailTitle)
            press \(Teks.back)
            await idle
            \(touch)
            await board
            tap 04A21B6C9E4F80
            await menu
            remove
            await idle
            """, folder: folder, config: config)
        #expect(status == 0, "\(output)")
        #expect(
            try Self.screens(folder) == [
                "idle", "board-realisation", "idle", "board-realisation", "reading", "menu", "idle",
            ])
        #expect(!output.contains("screen=error"), "\(output)")
    }
}
