import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import ProvincialAPI

/// `kiosk-sim api`: the reference provincial server, and a look at what it received.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "The reference provincial API server (api/provincial-api.yaml), with fault injection.",
        subcommands: [Serve.self, Records.self],
        defaultSubcommand: Serve.self)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Serve the API on loopback until stopped.")

        @Option(help: "Folder of the server's SQLite database.")
        var state: String

        @Option(help: "TCP port on 127.0.0.1 (0: any free port; the line 'listening on 127.0.0.1:PORT' tells).")
        var port = 8088

        @Option(help: "An enrollment token, TOKEN=VILLAGECODE:Village name (repeatable).")
        var token: [String] = []

        @Option(help: "A registry file: {\"villageCode\": \"...\", \"changes\": [RegistryChange...]} (repeatable).")
        var registry: [String] = []

        @Option(
            help: "A village board file: a Board as JSON (api/provincial-api.yaml), for its villageCode (repeatable).")
        var board: [String] = []

        @Option(
            help: """
                Letters ready for collection: a JSON array of {id, villageCode, holderNik, holderCardUid?, kind, number, \
                pdfFile, servedTo?}; pdfFile relative to the file, servedTo the village whose kiosks get it (repeatable).
                """)
        var pickups: [String] = []

        @Option(help: "Fraction of signed requests whose connection is closed without an answer.")
        var dropRate = 0.0

        @Option(help: "Fraction of signed requests answered with --fail-status instead.")
        var failRate = 0.0

        @Option(help: "The status of --fail-rate answers: 500, 503 or 429.")
        var failStatus = 503

        @Option(help: "Retry-After (seconds) sent with 429 and 503 answers.")
        var retryAfter: Int?

        @Option(help: "Fraction of signed requests committed and then left without an answer.")
        var loseAnswerRate = 0.0

        @Option(help: "Milliseconds to wait before answering a signed request.")
        var slowMs = 0

        @Option(help: "Misbehave: claim this record id accepted in every records answer, sent or not (repeatable).")
        var acknowledgeUnsent: [String] = []

        @Option(help: "Misbehave: reject every record with this reason.")
        var rejectReason: String?

        @Option(help: "Misbehave: answer signed requests signed (default), unsigned, or foreign (by an unknown key).")
        var answerSignature: String = "signed"

        @Option(help: "Seconds the server's clock is ahead (negative: behind) for signatures; Date stays right.")
        var clockSkew: Int64 = 0

        @Option(help: "Seed of the fault generator.")
        var seed: UInt64 = 1

        @Option(help: "Serve HTTPS with this PEM certificate (chain), with --tls-key.")
        var tlsCertificate: String?

        @Option(help: "The PEM private key of --tls-certificate.")
        var tlsKey: String?

        @Flag(help: "With --tls-certificate: speak nothing newer than TLS 1.1 (an outdated server the kiosk refuses).")
        var tlsOutdated = false

        func validate() throws {
            for rate in [dropRate, failRate, loseAnswerRate] where !(0...1).contains(rate) {
                throw ValidationError("rates are fractions between 0 and 1")
            }
            guard (tlsCertificate == nil) == (tlsKey == nil) else {
                throw ValidationError("--tls-certificate and --tls-key go together")
            }
            guard dropRate + failRate + loseAnswerRate <= 1 else {
                throw ValidationError("--drop-rate, --fail-rate and --lose-answer-rate add up to more than 1")
            }
        }

        /// One `--pickups` file: the letters at 3 Siap Diambil, each PDF read as it is (hostile bytes included).
        static func loadPickups(_ path: String, into store: APIStore) throws {
            struct Seed: Decodable {
                var id: String
                var villageCode: String
                var servedTo: String?
                var holderNik: String?
                var holderCardUid: String?
                var kind: String?
                var number: String?
                var pdfFile: String?
            }
            let folder = (path as NSString).deletingLastPathComponent
            let seeds = try JSONDecoder().decode([Seed].self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
            var servedTo: [String: String] = [:]
            let letters = try seeds.map { seed in
                servedTo[seed.id] = seed.servedTo
                let pdf = try seed.pdfFile.map { file in
                    let full = file.hasPrefix("/") ? file : (folder as NSString).appendingPathComponent(file)
                    return try Data(contentsOf: URL(fileURLWithPath: full)).base64EncodedString()
                }
                return PickupChange(
                    id: seed.id, villageCode: seed.villageCode, status: .ready, holderNik: seed.holderNik,
                    holderCardUid: seed.holderCardUid, kind: seed.kind, number: seed.number, pdf: pdf)
            }
            try store.loadPickups(letters, servedTo: servedTo)
        }

        static func answerSignature(_ text: String) throws -> APIFaults.AnswerSignature {
            guard let value = APIFaults.AnswerSignature(rawValue: text) else {
                throw ValidationError("--answer-signature: signed, unsigned or foreign, not \(text)")
            }
            return value
        }

        func run() async throws {
            let store = try APIStore(directory: state)
            for entry in token {
                let parts = entry.split(separator: "=", maxSplits: 1)
                let village = parts.last?.split(separator: ":", maxSplits: 1) ?? []
                guard parts.count == 2, village.count == 2, village[0].count == 10, village[0].allSatisfy(\.isNumber)
                else { throw ValidationError("--token \(entry): expected TOKEN=1809072001:Hanura") }
                try store.addToken(String(parts[0]), villageCode: String(village[0]), villageName: String(village[1]))
            }
            for path in registry {
                struct File: Decodable {
                    var villageCode: String
                    var changes: [RegistryChange]
                }
                let file = try APIJSON.decoder().decode(
                    File.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
                try store.loadRegistry(villageCode: file.villageCode, changes: file.changes)
            }
            for path in board {
                try store.loadBoard(
                    try APIJSON.decoder().decode(Board.self, from: try Data(contentsOf: URL(fileURLWithPath: path))))
            }
            for path in pickups { try Self.loadPickups(path, into: store) }
            var logger = Logger(label: "kiosk-sim.api")
            logger.logLevel = .notice
            let server = APIServer(
                store: store,
                faults: APIFaults(
                    rates: .init(drop: dropRate, status: failRate, loseAnswer: loseAnswerRate), status: failStatus,
                    retryAfterSeconds: retryAfter, delay: .milliseconds(slowMs),
                    acknowledgeUnsent: acknowledgeUnsent, rejectReason: rejectReason,
                    answerSignature: try Self.answerSignature(answerSignature), clockSkew: clockSkew, seed: seed),
                logger: logger, responseKey: try store.responseKey())
            var builder: HTTPServerBuilder = .http1()
            if let tlsCertificate, let tlsKey {
                var tls = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(tlsCertificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: tlsKey, format: .pem)))
                if tlsOutdated {
                    tls.minimumTLSVersion = .tlsv1
                    tls.maximumTLSVersion = .tlsv11
                }
                builder = try .tls(.http1(), tlsConfiguration: tls)
            }
            let app = Application(
                router: server.router(), server: builder,
                configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "kiosk-sim-api"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? 0
                    FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(port)\n".utf8))
                },
                logger: logger)
            try await app.runService()
        }
    }

    struct Records: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records", abstract: "Print what the server applied (NIKs masked), as JSON or lines.")

        @Option(help: "Folder of the server's SQLite database.")
        var state: String

        @Flag(help: "One JSON document: records, delivery counts, latest heartbeats.")
        var json = false

        func run() throws {
            let summary = try APIStore(directory: state).summary()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
                return
            }
            for record in summary.records {
                print(
                    "\(record.id)  \(record.letterNumber)  \(record.kioskId)  NIK \(record.nik)  "
                        + "print \(record.printOutcome)\(record.clockSynced ? "" : "  (clock not synced)")")
            }
            let deliveries = summary.deliveries.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            print("\(summary.records.count) record(s) applied; deliveries: \(deliveries.joined(separator: ", "))")
            for (id, state) in summary.pickups.sorted(by: { $0.key < $1.key }) { print("pickup \(id): \(state)") }
            // Queue tickets as the province has them: the number, the service, whether it printed, and whether a
            // resident's NIK came with it (masked); a ticket taken without a card has none.
            for body in summary.tickets.values.sorted() {
                guard let ticket = try? APIJSON.decoder().decode(QueueTicketUpload.self, from: Data(body.utf8)) else {
                    continue
                }
                let nik = ticket.residentNik.map { "NIK \($0.prefix(6))******\($0.suffix(4))" } ?? "no personal data"
                print(
                    "ticket \(ticket.number)  \(ticket.service)  \(ticket.kioskId)  print \(ticket.printOutcome.rawValue)  "
                        + nik)
            }
            for (key, body) in summary.surveys.sorted(by: { $0.key < $1.key }) { print("survey \(key): \(body)") }
            // The latest heartbeat of each kiosk: what a fleet updater looks at (version, build, busy).
            for (kiosk, body) in summary.heartbeats.sorted(by: { $0.key < $1.key }) {
                guard let beat = try? APIJSON.decoder().decode(Heartbeat.self, from: Data(body.utf8)) else { continue }
                print(
                    "heartbeat \(kiosk): version \(beat.softwareVersion) (commit \(beat.softwareCommit ?? "unknown")), "
                        + "busy \(beat.busy.map { $0 ? "yes" : "no" } ?? "unknown"), queue \(beat.queueDepth), "
                        + "printer \(beat.printer.status)"
                        + (beat.service.map {
                            ", service \($0.status.rawValue) by \($0.changedBy) at "
                                + $0.changedAt.formatted(.iso8601)
                        } ?? ""))
            }
        }
    }
}
