package import Core
import Foundation
import GRDB
package import ProvincialAPI

/// The village board the idle screen shows, kept in the kiosk's database: the last board the province sent (or the
/// import gave) as its wire JSON, its ETag, and the last day it was confirmed current. One row: a new board
/// replaces the old one in one transaction, so the screen always has a whole board or none.
package struct BoardStore: Sendable {
    let database: KioskDatabase

    package init(database: KioskDatabase) {
        self.database = database
    }

    /// Where a board came from: the province's API, or `kiosk import board`.
    package enum Source: String, Sendable {
        case api, `import`
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("board-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE board (id INTEGER PRIMARY KEY CHECK (id = 1), source TEXT NOT NULL, etag TEXT,
                        body BLOB NOT NULL, confirmed_on TEXT NOT NULL)
                    """)
        }
    }

    /// Replaces the board; a board that cannot be shown (`VillageBoard.problem`) is refused and the old one kept.
    package func save(_ board: Board, etag: String?, source: Source, on today: CalendarDate) throws(BoardProblem) {
        let shown = try Self.domain(board)
        if let problem = shown.problem { throw .unusable(problem) }
        do {
            // Kept as the screen needs it: texts cut to what it shows (a 5 MB announcement stays out of the database).
            let body = try APIJSON.encoder().encode(Self.wire(shown.trimmed(), villageCode: board.villageCode))
            try database.pool.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO board (id, source, etag, body, confirmed_on) VALUES (1, ?, ?, ?, ?)",
                    arguments: [source.rawValue, etag, body, Self.iso(today)])
            }
        } catch {
            throw .storage("\(error)")
        }
    }

    /// The province said the board with our ETag is still current.
    package func confirm(on today: CalendarDate) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE board SET confirmed_on = ? WHERE id = 1", arguments: [Self.iso(today)])
        }
    }

    package func etag() throws -> String? {
        try database.pool.read { db in try String.fetchOne(db, sql: "SELECT etag FROM board WHERE id = 1") }
    }

    package func source() throws -> Source? {
        try database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT source FROM board WHERE id = 1").flatMap(Source.init(rawValue:))
        }
    }

    /// The board as the screen shows it, texts trimmed; `nil` when there is none (or it no longer decodes).
    package func load() throws -> StoredBoard? {
        let row = try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT body, confirmed_on FROM board WHERE id = 1")
        }
        guard let row, let body = row["body"] as Data?,
            let confirmed = CalendarDate(iso: row["confirmed_on"] as String),
            let wire = try? APIJSON.decoder().decode(Board.self, from: body), let board = try? Self.domain(wire)
        else { return nil }
        return StoredBoard(board: board.trimmed(), confirmedOn: confirmed)
    }

    /// The wire board as Core's; dates that do not parse make the whole board unusable.
    package static func domain(_ wire: Board) throws(BoardProblem) -> VillageBoard {
        guard let asOf = CalendarDate(iso: wire.asOf) else { throw .unusable("asOf \"\(wire.asOf)\" is not a date") }
        var announcements: [VillageBoard.Announcement] = []
        for item in wire.announcements {
            guard let from = CalendarDate(iso: item.validFrom), let until = CalendarDate(iso: item.validUntil) else {
                throw .unusable("announcement \"\(item.title.prefix(40))\" has a date that is not yyyy-mm-dd")
            }
            announcements.append(.init(title: item.title, body: item.body, validFrom: from, validUntil: until))
        }
        func line(_ line: BoardLine) -> VillageBoard.Line {
            .init(title: line.title, budget: line.budget, realised: line.realised)
        }
        return VillageBoard(
            year: wire.year, asOf: asOf, summary: wire.summary.map(line), byBidang: wire.byBidang.map(line),
            activities: wire.activities.map {
                .init(
                    title: $0.title, bidang: $0.bidang,
                    status: VillageBoard.Activity.Status(rawValue: $0.status.rawValue) ?? .notStarted,
                    progress: $0.progress, executor: $0.executor)
            },
            announcements: announcements, complaints: wire.complaints)
    }

    /// Core's board as the wire's, to keep.
    static func wire(_ board: VillageBoard, villageCode: String) -> Board {
        func line(_ line: VillageBoard.Line) -> BoardLine {
            BoardLine(title: line.title, budget: line.budget, realised: line.realised, percent: line.percent)
        }
        return Board(
            villageCode: villageCode, year: board.year, asOf: iso(board.asOf), summary: board.summary.map(line),
            byBidang: board.byBidang.map(line),
            activities: board.activities.map {
                BoardActivity(
                    title: $0.title, bidang: $0.bidang, status: BoardActivity.Status(rawValue: $0.status.rawValue)!,
                    progress: $0.progress, executor: $0.executor)
            },
            announcements: board.announcements.map {
                BoardAnnouncement(
                    title: $0.title, body: $0.body, validFrom: iso($0.validFrom), validUntil: iso($0.validUntil))
            },
            complaints: board.complaints)
    }

    static func iso(_ date: CalendarDate) -> String {
        String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }
}

/// Why a board was not kept.
package enum BoardProblem: Error, Equatable, CustomStringConvertible {
    /// The board itself is wrong (a negative amount, a broken date): the source must fix it.
    case unusable(String)
    case storage(String)

    package var description: String {
        switch self {
        case .unusable(let why): "the board cannot be shown: \(why); the kiosk keeps the board it had"
        case .storage(let why): "the board could not be stored: \(why)"
        }
    }
}
