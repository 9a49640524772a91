import Core
import Foundation
import TestSupport
import Testing

/// Queue tickets (antrean) through `kiosk run --script` against `kiosk-sim api` and the rig's thermal printer
/// (`kiosk-sim printer`): one taken without a card, one after a card, the numbers on the slips, the province's
/// copy without personal data for the first; numbers going on after a restart; a printer out of paper.
@Suite("Queue tickets through kiosk run, the thermal printer and the reference API", .serialized)
struct QueueIntegrationTests {
    /// A kiosk enrolled with a fresh reference server, station 2, card mode on a supervised kiosk (no PIN), its
    /// slips on `thermal`, tickets with and without a card.
    static func setup(_ thermal: ThermalPrinterTests.VirtualPrinter) async throws -> ProvincialAPIIntegrationTests.Setup {
        let setup = try ProvincialAPIIntegrationTests.Setup()
        try await setup.enroll()
        try setup.serveSessions(
            """
            [printing]
            thermal = "127.0.0.1:\(thermal.port)"

            [queue]
            enabled = true
            without_card = true
            """)
        let text = try String(contentsOfFile: setup.config, encoding: .utf8)
        try text.replacingOccurrences(of: "village_name = \"Hanura\"", with: "village_name = \"Hanura\"\nstation = 2")
            .write(toFile: setup.config, atomically: true, encoding: .utf8)
        return setup
    }

    /// Today's number `counter` at station 2, as the kiosk's clock (WIB) gives it.
    static func number(_ counter: Int) -> String {
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        return "\(QueueNumber(day: now.date(), counter: counter, station: 2))"
    }

    static let withoutCard = """
        press Ambil Nomor Antrean (tanpa e-KTP)
        await queue
        press Perubahan Kartu Keluarga
        await queue-ticket
        """

    /// The tickets the server applied, by id: the bodies the kiosk sent.
    static func tickets(_ setup: ProvincialAPIIntegrationTests.Setup) async throws -> [String] {
        let (status, output) = try await Services.run(
            Services.kioskSim, ["api", "records", "--state", setup.folder + "/api", "--json"])
        #expect(status == 0)
        struct Summary: Decodable { var tickets: [String: String] }
        return try JSONDecoder().decode(Summary.self, from: Data(output.utf8)).tickets.values.sorted()
    }

    @Test func aTicketWithoutACardAndOneAfterACardPrintTheirNumbersAndReachTheProvinceWithoutPersonalData()
        async throws
    {
        let thermal = try ThermalPrinterTests.VirtualPrinter()
        let setup = try await Self.setup(thermal)
        let output = try await OperatorActionsIntegrationTests.run(
            "await idle\n" + Self.withoutCard + """

                see Nomor Antrean: \(Self.number(1))
                press Selesai
                await idle
                tap 04A21B6C9E4F80
                await menu
                press Ambil Nomor Antrean
                await queue
                press Surat dengan Pemeriksaan Berkas
                await queue-ticket
                see Nomor Antrean: \(Self.number(2))
                remove
                press Selesai
                await idle
                """, config: setup.config, folder: setup.folder)
        #expect(output.contains("queue ticket taken"), "\(output)")
        #expect(!ProvincialAPIIntegrationTests.holdsNIKShapedNumber(output), "no NIK in the log")

        // The bytes at the printer: the number large, the service, the village; nothing of the resident.
        let first = try #require(await thermal.transcript(1))
        let second = try #require(await thermal.transcript(2))
        for expected in ["DESA HANURA", "NOMOR ANTREAN", Self.number(1), "Perubahan Kartu Keluarga", " WIB", "cut"] {
            #expect(first.contains(expected), "the slip lacks \(expected): \(first)")
        }
        #expect(second.contains(Self.number(2)) && second.contains("Surat dengan Pemeriksaan Berkas"), "\(second)")
        #expect(!second.contains("SITI") && !ProvincialAPIIntegrationTests.holdsNIKShapedNumber(second), "\(second)")

        // Uploaded with the heartbeat: the ticket without a card has no NIK, the one after the card has it.
        #expect(
            try await Services.run(Services.binaries + "/kiosk", ["upload", "--config", setup.config])
                .status == 0)
        let tickets = try await Self.tickets(setup)
        #expect(tickets.count == 2, "\(tickets)")
        let anonymous = try #require(tickets.first { $0.contains(Self.number(1)) })
        #expect(anonymous.contains(#""service":"KK""#) && anonymous.contains(#""printOutcome":"printed""#))
        #expect(!anonymous.contains("residentNik") && !ProvincialAPIIntegrationTests.holdsNIKShapedNumber(anonymous))
        #expect(!anonymous.contains("04A21B6C"), "\(anonymous)")
        let carded = try #require(tickets.first { $0.contains(Self.number(2)) })
        #expect(carded.contains(#""residentNik":""#), "\(carded)")
        // The kiosk dropped the NIK once the province had it.
        let database = setup.folder + "/state/kiosk.sqlite"
        let kept = try await Services.run(
            "/usr/bin/sqlite3", [database, "SELECT count(*) FROM queue_ticket WHERE resident IS NOT NULL"])
        #expect(kept.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(kept.output)")
        // A second upload sends nothing again.
        #expect(
            try await Services.run(Services.binaries + "/kiosk", ["upload", "--config", setup.config])
                .status == 0)
        await #expect(try Self.tickets(setup).count == 2)
    }

    @Test func numbersGoOnAfterTheKioskRestarts() async throws {
        let thermal = try ThermalPrinterTests.VirtualPrinter()
        let setup = try await Self.setup(thermal)
        _ = try await OperatorActionsIntegrationTests.run(
            "await idle\n" + Self.withoutCard + "\nsee Nomor Antrean: \(Self.number(1))\n",
            config: setup.config, folder: setup.folder)
        // A new process on the same database (a restart, a power cut after the ticket was recorded).
        _ = try await OperatorActionsIntegrationTests.run(
            "await idle\n" + Self.withoutCard + "\nsee Nomor Antrean: \(Self.number(2))\n",
            config: setup.config, folder: setup.folder)
        let second = try #require(await thermal.transcript(2))
        #expect(second.contains(Self.number(2)), "\(second)")
        let status = try await Services.run(Services.binaries + "/kiosk", ["status", "--config", setup.config])
        #expect(status.output.contains("queue tickets:   2 taken today; "), "\(status.output)")
    }

    @Test func aPrinterOutOfPaperShowsTheNumberAndTheTicketIsRecordedAsNotPrinted() async throws {
        let thermal = try ThermalPrinterTests.VirtualPrinter(["--paper", "out"])
        let setup = try await Self.setup(thermal)
        _ = try await OperatorActionsIntegrationTests.run(
            "await idle\n" + Self.withoutCard + """

                see Nomor Antrean: \(Self.number(1))
                see Struk tidak tercetak (kertas habis).
                see Catat nomor ini, lalu tunjukkan ke petugas.
                press Selesai
                await idle
                """, config: setup.config, folder: setup.folder)
        #expect(
            try await Services.run(Services.binaries + "/kiosk", ["upload", "--config", setup.config])
                .status == 0)
        let ticket = try await #require(try Self.tickets(setup).first)
        #expect(ticket.contains(#""printOutcome":"failed""#) && ticket.contains(#""printProblem":"paperOut""#))
        #expect(ticket.contains(Self.number(1)), "\(ticket)")
    }
}
