import Foundation
import TestSupport
import Testing

/// The satisfaction survey through `kiosk run --script` against `kiosk-sim api`: a resident prints, answers one
/// face, and the province receives that day's totals only once the day is over, without anything of the resident.
@Suite("The satisfaction survey through kiosk run and the reference API", .serialized)
struct SurveyIntegrationTests {
    static let kiosk = Services.binaries + "/kiosk"

    @Test func anAnswerIsCountedAnonymouslyAndTheDayIsUploadedOnlyOnceItIsOver() async throws {
        let setup = try ProvincialAPIIntegrationTests.Setup()
        try await setup.enroll()
        try setup.serveSessions("[survey]\nenabled = true")
        let script = setup.folder + "/session.txt"
        // Two residents: one answers "Puas", one skips (nothing counted).
        try """
        await idle
        tap 04A21B6C9E4F80
        press Surat Keterangan Domisili
        press Melamar pekerjaan
        await confirm
        press Cetak
        await done
        press Selesai
        await survey
        see Bagaimana Pelayanan Kami?
        press Puas
        await idle
        tap 04A21B6C9E4F80
        press Surat Keterangan Domisili
        press Melamar pekerjaan
        await confirm
        press Cetak
        await done
        press Selesai
        await survey
        press Lewati
        await idle
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let (code, output) = try await Services.run(
            Self.kiosk, ["run", "--config", setup.config, "--script", script, "--await-seconds", "60"])
        #expect(code == 0, "\(output)")
        #expect(output.contains("survey answer counted"), "\(output)")

        // Kept as counts per day, service and face: no card, NIK or record in the table, one row for one answer.
        let database = setup.folder + "/state/kiosk.sqlite"
        let rows = try await Services.run(
            "/usr/bin/sqlite3", [database, "SELECT service, rating, answers FROM survey_count"])
        #expect(rows.output.trimmingCharacters(in: .whitespacesAndNewlines) == "S-41|3|1", "\(rows.output)")
        let columns = try await Services.run("/usr/bin/sqlite3", [database, "PRAGMA table_info(survey_count)"]).output
        #expect(!columns.contains("nik") && !columns.contains("card") && !columns.contains("record"), "\(columns)")

        // Today is not over: nothing goes yet.
        #expect(try await Services.run(Self.kiosk, ["upload", "--config", setup.config]).status == 0)
        await #expect(try Self.surveys(setup).isEmpty)

        // Two days later (the stored day moved back, as the clock would move on): the day is over, but one answer
        // would name the resident served: it is held back, and `kiosk status` counts it as waiting.
        let moved = try await Services.run(
            "/usr/bin/sqlite3", [database, "UPDATE survey_count SET day = date(day, '-2 day')"])
        #expect(moved.status == 0, "\(moved.output)")
        #expect(try await Services.run(Self.kiosk, ["upload", "--config", setup.config]).status == 0)
        await #expect(try Self.surveys(setup).isEmpty, "a day of one answer is not uploaded")
        let status = try await Services.run(Self.kiosk, ["status", "--config", setup.config]).output
        #expect(status.contains("survey:          1 day(s) not uploaded (1 answer(s);"), "\(status)")
        #expect(status.contains("pick-ups:        0 prepared letter(s) waiting"), "\(status)")

        // Yesterday: five answers for S-30, four for S-10. The day carries the held-back one in: S-30 has its own
        // cell, S-41 (1) and S-10 (4) are merged into `*` (5); no cell has fewer than five, and no S-41 or S-10.
        let added = try await Services.run(
            "/usr/bin/sqlite3",
            [
                database,
                "INSERT INTO survey_count (day, service, rating, answers) VALUES "
                    + "(date('now', '+7 hours', '-1 day'), 'S-30', 4, 5), (date('now', '+7 hours', '-1 day'), 'S-10', 2, 4)",
            ])
        #expect(added.status == 0, "\(added.output)")
        #expect(try await Services.run(Self.kiosk, ["upload", "--config", setup.config]).status == 0)
        let surveys = try await Self.surveys(setup)
        #expect(surveys.count == 1, "\(surveys)")
        let body = try #require(surveys.values.first)
        #expect(body.contains(#""service":"S-30""#) && body.contains(#""verySatisfied":5"#), "\(body)")
        #expect(body.contains(#""service":"*""#) && body.contains(#""satisfied":1"#), "\(body)")
        #expect(body.contains(#""dissatisfied":4"#), "\(body)")
        #expect(!body.contains("S-41") && !body.contains("S-10"), "\(body)")
        #expect(!ProvincialAPIIntegrationTests.holdsNIKShapedNumber(body) && !body.contains("04A21B6C"), "\(body)")
        let yesterday = try #require(surveys.keys.first?.split(separator: " ").last.map(String.init))
        #expect(body.contains(#""from":""#), "covers two days: \(body)")
        #expect(
            try await Services.run("/usr/bin/sqlite3", [database, "SELECT DISTINCT uploaded FROM survey_count"])
                .output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(surveys.keys.first == "1809072001-01 \(yesterday)")
    }

    /// The survey totals the server kept, by `kioskId date`.
    static func surveys(_ setup: ProvincialAPIIntegrationTests.Setup) async throws -> [String: String] {
        let (status, output) = try await Services.run(
            Services.kioskSim, ["api", "records", "--state", setup.folder + "/api", "--json"])
        #expect(status == 0)
        struct Summary: Decodable { var surveys: [String: String] }
        return try JSONDecoder().decode(Summary.self, from: Data(output.utf8)).surveys
    }
}
