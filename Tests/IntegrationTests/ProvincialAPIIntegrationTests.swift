import Core
import Crypto
import Foundation
import ProvincialAPI
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The kiosk's uploader against `kiosk-sim api`, the reference provincial server, over HTTP on loopback: faults on
/// the wire, refused signatures, and a kiosk killed with SIGKILL hundreds of times while it captures and uploads.
@Suite("Records to the provincial API", .serialized)
struct ProvincialAPIIntegrationTests {
    static let token = "T0KEN-HANURA-1"
    /// Whether `text` holds a run of exactly 16 digits, the shape of a NIK.
    static func holdsNIKShapedNumber(_ text: String) -> Bool {
        text.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).contains { $0.count == 16 }
    }

    /// `token` in a file of `folder`, for `kiosk enroll --token-file` (a token never goes on a command line).
    static func tokenFile(_ token: String, in folder: String) throws -> String {
        let path = folder + "/token-\(UUID().uuidString)"
        try "\(token)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A kiosk configuration and state folder, enrolled with a fresh server started with `serverOptions`.
    final class Setup {
        let folder: String
        let config: String
        let server: APIServerProcess

        init(serverOptions: [String] = []) throws {
            folder =
                FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-sync-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            server = try APIServerProcess(
                state: folder + "/api", options: ["--token", "\(Self.tokenOption)"] + serverOptions)
            config = folder + "/kiosk.toml"
            try Self.configuration(state: folder + "/state", url: server.url).write(
                toFile: config, atomically: true, encoding: .utf8)
        }

        static var tokenOption: String { "\(ProvincialAPIIntegrationTests.token)=1809072001:Hanura" }

        static func configuration(state: String, url: String, trustAnchor: String? = nil) -> String {
            """
            [kiosk]
            id = "HANURA-01"
            village_code = "18.09.07.2001"
            village_name = "Hanura"
            state_directory = "\(state)"
            [letterhead]
            regency = "Pesawaran"
            district = "Padang Cermin"
            village = "Hanura"
            address = "Jl. Raya Hanura No. 1"
            [letters]
            templates = "\(Services.repository)/templates"
            [card_reader]
            backend = "script"
            [api]
            url = "\(url)"
            batch_size = 50
            \(trustAnchor.map { "trust_anchor = \"\($0)\"" } ?? "")
            """
        }

        func kiosk(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            try await Services.run(Services.binaries + "/kiosk", arguments + ["--config", config])
        }

        /// `record-load`: `count` synthetic services captured through the kiosk's record store.
        func capture(_ count: Int) async throws -> (status: Int32, output: String) {
            try await Services.run(Services.binaries + "/record-load", ["--count", "\(count)", "--config", config])
        }

        func enroll() async throws {
            let enrolled = try await kiosk([
                "enroll", "--url", server.url, "--token-file",
                try ProvincialAPIIntegrationTests.tokenFile(ProvincialAPIIntegrationTests.token, in: folder),
            ])
            #expect(enrolled.status == 0, "\(enrolled.output)")
        }

        func applied() async throws -> Applied { try await ProvincialAPIIntegrationTests.applied(folder + "/api") }

        /// Makes the enrolled kiosk one that serves resident sessions by `kiosk run --script`: card mode on a
        /// supervised kiosk (no PIN), the fixture's residents, the terminal display, the domicile letter, and `extra`.
        func serveSessions(_ extra: String) throws {
            let text = try String(contentsOfFile: config, encoding: .utf8)
            try
                (text + """

                    [identity]
                    mode = "card"
                    supervised = true

                    [registry]
                    opensid_export = "\(Services.repository)/Tests/KioskTests/Fixtures/opensid-residents.csv"

                    [display]
                    backend = "terminal"

                    \(extra)

                    \(KioskTOML.domicileLetter)
                    """).write(toFile: config, atomically: true, encoding: .utf8)
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// What the server with its state in `state` applied.
    static func applied(_ state: String) async throws -> Applied {
        let (status, output) = try await Services.run(Services.kioskSim, ["api", "records", "--state", state, "--json"])
        #expect(status == 0)
        return try JSONDecoder().decode(Applied.self, from: Data(output.utf8))
    }

    struct Applied: Decodable {
        struct Record: Decodable {
            var id: String
            var applications: Int
            var printOutcome: String
        }
        var records: [Record]
        var deliveries: [String: Int]
        var heartbeats: [String: String]
    }

    @Test func enrolledRecordsUploadAndTheServerShowsThem() async throws {
        let setup = try Setup()
        try await setup.enroll()
        let again = try await setup.kiosk([
            "enroll", "--url", setup.server.url, "--token-file", try Self.tokenFile(Self.token, in: setup.folder),
        ])
        #expect(again.status != 0 && again.output.contains("already enrolled"))
        let captured = try await setup.capture(7)
        #expect(captured.status == 0)
        await #expect(try setup.kiosk(["status"]).output.contains("7 record(s) waiting"))
        let upload = try await setup.kiosk(["upload"])
        #expect(upload.status == 0, "\(upload.output)")
        #expect(upload.output.contains("uploaded 7 record(s)"))
        let applied = try await setup.applied()
        #expect(applied.records.count == 7 && applied.records.allSatisfy { $0.applications == 1 })
        #expect(applied.records.allSatisfy { $0.printOutcome == "printed" })
        let status = try await setup.kiosk(["status"]).output
        #expect(status.contains("0 record(s) waiting") && !status.contains("last upload:     never"))
        let heartbeat = try #require(applied.heartbeats["1809072001-01"])
        #expect(heartbeat.contains(#""queueDepth":0"#) && heartbeat.contains(#""softwareVersion":"0.1.0""#))
        // Outside systemd there is no busy marker: the kiosk leaves `busy` out rather than claim it is idle.
        #expect(!heartbeat.contains(#""busy""#))
        let lines = try await Services.run(Services.kioskSim, ["api", "records", "--state", setup.folder + "/api"]).output
        #expect(lines.contains("heartbeat 1809072001-01: version 0.1.0 (commit "), "\(lines)")
        #expect(lines.contains("busy unknown, queue 0, printer "), "\(lines)")
    }

    @Test func aUsedOrUnknownTokenIsRefusedWithAReason() async throws {
        let setup = try Setup()
        try await setup.enroll()
        let other = Setup.configuration(state: setup.folder + "/other", url: setup.server.url)
        try other.write(toFile: setup.folder + "/other.toml", atomically: true, encoding: .utf8)
        let used = try await Services.run(
            Services.binaries + "/kiosk",
            [
                "enroll", "--config", setup.folder + "/other.toml", "--url", setup.server.url, "--token-file",
                try Self.tokenFile(Self.token, in: setup.folder),
            ])
        #expect(used.status != 0 && used.output.contains("token-used"))
        let unknown = try await Services.run(
            Services.binaries + "/kiosk",
            [
                "enroll", "--config", setup.folder + "/other.toml", "--url", setup.server.url, "--token-file",
                try Self.tokenFile("NOPE-0000", in: setup.folder),
            ])
        #expect(unknown.status != 0 && unknown.output.contains("unknown-token"))
        // The token itself never appears on a command line: the option that took it is gone.
        let inArgv = try await Services.run(
            Services.binaries + "/kiosk",
            ["enroll", "--config", setup.folder + "/other.toml", "--url", setup.server.url, "--token", Self.token])
        #expect(inArgv.status != 0 && inArgv.output.contains("--token"), "\(inArgv.output)")
    }

    @Test func withoutEnrollmentRecordsWaitAndUploadSaysWhy() async throws {
        let setup = try Setup()
        await #expect(try setup.capture(2).status == 0)
        let upload = try await setup.kiosk(["upload"])
        #expect(upload.status != 0 && upload.output.contains("kiosk enroll"))
        await #expect(try setup.kiosk(["status"]).output.contains("2 record(s) waiting"))
    }

    @Test func aServerThatFailsAndDropsKeepsTheRecordsUntilItAnswers() async throws {
        let setup = try Setup(serverOptions: ["--fail-rate", "1", "--fail-status", "503", "--retry-after", "7"])
        try await setup.enroll()
        await #expect(try setup.capture(5).status == 0)
        let refused = try await setup.kiosk(["upload"])
        #expect(refused.status != 0 && refused.output.contains("HTTP 503, Retry-After 7"))
        await #expect(try setup.kiosk(["status"]).output.contains("5 record(s) waiting"))
        await #expect(try setup.applied().records.isEmpty)
    }

    @Test func answersLostAfterTheCommitAreResentAndCountedAsDuplicates() async throws {
        let setup = try Setup(serverOptions: ["--lose-answer-rate", "1"])
        try await setup.enroll()
        await #expect(try setup.capture(3).status == 0)
        await #expect(try setup.kiosk(["upload"]).status != 0)
        await #expect(try setup.applied().records.count == 3)  // the server committed
        await #expect(try setup.kiosk(["status"]).output.contains("3 record(s) waiting"))  // the kiosk never heard
        setup.server.stop()
        let healthy = try APIServerProcess(state: setup.folder + "/api", options: [], port: setup.server.port)
        defer { healthy.stop() }
        await #expect(try setup.kiosk(["upload"]).status == 0)
        let applied = try await setup.applied()
        #expect(applied.records.count == 3 && applied.records.allSatisfy { $0.applications == 1 })
        #expect(applied.deliveries["duplicate"] == 3)
    }

    @Test func aRecordTheServerClaimsButNeverReceivedStaysUntilItIsSent() async throws {
        let setup = try Setup()
        try await setup.enroll()
        let captured = try await setup.capture(2)
        let ids = captured.output.split(separator: "\n").compactMap { line in
            line.hasPrefix("captured ") ? String(line.dropFirst("captured ".count)) : nil
        }
        try #require(ids.count == 2, "\(captured.output)")
        // The same server, now claiming both records accepted in every answer: whichever goes first, the answer
        // also names the other one, which was never sent.
        setup.server.stop()
        let lying = try APIServerProcess(
            state: setup.folder + "/api", options: ids.flatMap { ["--acknowledge-unsent", $0] },
            port: setup.server.port)
        defer { lying.stop() }
        let upload = try await setup.kiosk(["upload", "--batch-size", "1"])
        #expect(upload.status == 0, "\(upload.output)")
        #expect(upload.output.contains("named records this batch did not hold"), "\(upload.output)")
        await #expect(Set(try setup.applied().records.map(\.id)) == Set(ids))
    }

    /// The same server restarted unsigned, then signing with a key the kiosk never got (an impostor, or a proxy that
    /// rewrites answers): the kiosk settles nothing it was told, keeps its records, and says why; the genuine server
    /// back, the records go (as duplicates where the impostor's side committed them).
    @Test(arguments: ["unsigned", "foreign"])
    func answersNotSignedByTheProvinceAreNotActedOn(_ signature: String) async throws {
        let setup = try Setup()
        try await setup.enroll()
        await #expect(try setup.capture(2).status == 0)
        setup.server.stop()
        let impostor = try APIServerProcess(
            state: setup.folder + "/api", options: ["--answer-signature", signature], port: setup.server.port)
        let upload = try await setup.kiosk(["upload"])
        impostor.stop()
        #expect(upload.status != 0, "\(upload.output)")
        #expect(upload.output.contains("the answer to POST /v1/records is not the province's"), "\(upload.output)")
        await #expect(try setup.kiosk(["status"]).output.contains("2 record(s) waiting"))
        let genuine = try APIServerProcess(state: setup.folder + "/api", options: [], port: setup.server.port)
        defer { genuine.stop() }
        await #expect(try setup.kiosk(["upload"]).status == 0)
        await #expect(try setup.kiosk(["status"]).output.contains("0 record(s) waiting"))
    }

    /// The server's clock an hour ahead of the kiosk's, its `Date` header not (a proxy's): the kiosk's first upload
    /// is refused as stale, and it corrects its offset from the refusal's signed `created`, never from `Date`.
    @Test func theClockOffsetComesFromTheSignedAnswer() async throws {
        let setup = try Setup()
        try await setup.enroll()
        await #expect(try setup.capture(1).status == 0)
        setup.server.stop()
        let ahead = try APIServerProcess(
            state: setup.folder + "/api", options: ["--clock-skew", "3600"], port: setup.server.port)
        defer { ahead.stop() }
        let upload = try await setup.kiosk(["upload"])
        #expect(upload.status == 0, "\(upload.output)")
        await #expect(try setup.applied().records.count == 1)
    }

    @Test func aRejectionReasonIsKeptWithoutNumbersOrForgedLogLines() async throws {
        let reason = "NIK 1809071205900013 tidak cocok\nkiosk: a forged line"
        let setup = try Setup(serverOptions: ["--reject-reason", reason])
        try await setup.enroll()
        await #expect(try setup.capture(1).status == 0)
        let upload = try await setup.kiosk(["upload"])
        #expect(upload.output.contains("1 rejected"), "\(upload.output)")
        #expect(upload.output.contains("NIK [number hidden] tidak cocok kiosk: a forged line"), "\(upload.output)")
        #expect(!Self.holdsNIKShapedNumber(upload.output), "\(upload.output)")
        await #expect(try setup.kiosk(["status"]).output.contains("rejected:        1"))
    }

    @Test func theRegistryIsPulledWithACursorAndResumesWhereItStopped() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString).json")
        let newcomer = RegistryResident(
            name: "WARGA BARU", birthPlace: "HANURA", birthDate: "1985-07-07", sex: "P", address: "JL. BARU 2",
            hamlet: "DUSUN II", rt: "003", rw: "001", religion: "ISLAM", maritalStatus: "BELUM KAWIN",
            occupation: "WIRASWASTA", nationality: "WNI", cardTag: "04C0FFEE123456")
        let changes = (0..<3).map { index in
            var resident = newcomer
            resident.cardTag = "04C0FFEE12345\(index)"
            return RegistryChange(nik: "180907470785000\(index + 2)", removed: false, resident: resident)
        }
        struct File: Encodable {
            var villageCode: String
            var changes: [RegistryChange]
        }
        try APIJSON.encoder().encode(File(villageCode: "1809072001", changes: changes)).write(to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let setup = try Setup(serverOptions: ["--registry", folder.path])
        try await setup.enroll()
        let residents = Services.repository + "/Tests/KioskTests/Fixtures/opensid-residents.csv"
        let imported = try await setup.kiosk(["import", "residents", residents])
        #expect(imported.status == 0, "\(imported.output)")
        let first = try await setup.kiosk(["sync-registry"])
        #expect(first.status == 0 && first.output.contains("3 resident(s) added or changed"), "\(first.output)")
        let second = try await setup.kiosk(["sync-registry"])
        #expect(second.status == 0 && second.output.contains("0 resident(s) added or changed"), "\(second.output)")

        // What a stolen disk shows after the import and the sync: no NIK, name, address or card tag, in the
        // database or its -wal (issue 18, item 5).
        let csv = try String(contentsOfFile: residents, encoding: .utf8).components(separatedBy: .newlines)
            .filter { !$0.isEmpty }.dropFirst()
        let fixture = csv.flatMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return [fields[0], fields[4], fields[6]]  // alamat, nama, nik
        }
        let sent = changes.flatMap { [$0.nik, $0.resident!.cardTag!] } + [newcomer.name, newcomer.address]
        let found = DatabaseBytes.found(fixture + sent, in: setup.folder + "/state/kiosk.sqlite")
        #expect(fixture.count == 24 && found.isEmpty, "readable in kiosk.sqlite: \(found)")
    }

    // MARK: TLS

    /// A CA and a certificate it signed for 127.0.0.1, made with the openssl command (package openssl).
    static func makeCertificates(in folder: String, name: String) async throws {
        func openssl(_ arguments: [String]) async throws {
            let (status, output) = try await Services.run("/usr/bin/openssl", arguments)
            #expect(status == 0, "openssl \(arguments.first ?? ""): \(output)")
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try await openssl(
            ["req", "-x509"] + ec + [
                "-keyout", "\(folder)/\(name)-ca.key", "-out", "\(folder)/\(name)-ca.pem", "-days", "2", "-subj",
                "/CN=\(name) CA",
            ])
        try await openssl(
            ["req"] + ec + [
                "-keyout", "\(folder)/\(name)-server.key", "-out", "\(folder)/\(name)-server.csr", "-subj",
                "/CN=127.0.0.1",
            ])
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: "\(folder)/san.ext", atomically: true, encoding: .utf8)
        try await openssl([
            "x509", "-req", "-in", "\(folder)/\(name)-server.csr", "-CA", "\(folder)/\(name)-ca.pem", "-CAkey",
            "\(folder)/\(name)-ca.key", "-CAcreateserial", "-out", "\(folder)/\(name)-server.pem", "-days", "2",
            "-extfile", "\(folder)/san.ext",
        ])
    }

    /// `kiosk-sim api` over TLS with a server certificate of the "province" CA, both made in `folder`
    /// (`province-ca.pem` is the anchor to trust).
    static func provinceServer(in folder: String, options: [String] = []) async throws -> APIServerProcess {
        try await makeCertificates(in: folder, name: "province")
        return try APIServerProcess(
            state: folder + "/api",
            options: [
                "--token", Setup.tokenOption, "--tls-certificate", folder + "/province-server.pem", "--tls-key",
                folder + "/province-server.key",
            ] + options)
    }

    @Test func overTLSTheKioskTrustsOnlyItsConfiguredAnchor() async throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path
        try await Self.makeCertificates(in: folder, name: "stranger")
        let server = try await Self.provinceServer(in: folder)
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)"
        func enroll(trusting anchor: String?, as name: String) async throws -> (status: Int32, output: String) {
            let config = "\(folder)/\(name).toml"
            try Setup.configuration(state: "\(folder)/\(name)", url: url, trustAnchor: anchor).write(
                toFile: config, atomically: true, encoding: .utf8)
            return try await Services.run(
                Services.binaries + "/kiosk",
                ["enroll", "--config", config, "--url", url, "--token-file", try Self.tokenFile(Self.token, in: folder)])
        }
        let systemRoots = try await enroll(trusting: nil, as: "system")
        #expect(
            systemRoots.status != 0 && systemRoots.output.contains("certificate is not trusted"),
            "\(systemRoots.output)")
        let stranger = try await enroll(trusting: folder + "/stranger-ca.pem", as: "stranger")
        #expect(stranger.status != 0 && stranger.output.contains("certificate is not trusted"), "\(stranger.output)")
        let province = try await enroll(trusting: folder + "/province-ca.pem", as: "province")
        #expect(province.status == 0 && province.output.contains("enrolled as 1809072001-01"), "\(province.output)")
    }

    @Test func aServerSpeakingOnlyTLS11IsRefusedEvenWithTheRightCertificate() async throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path
        let server = try await Self.provinceServer(in: folder, options: ["--tls-outdated"])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)"
        let config = "\(folder)/kiosk.toml"
        try Setup.configuration(state: "\(folder)/state", url: url, trustAnchor: folder + "/province-ca.pem").write(
            toFile: config, atomically: true, encoding: .utf8)
        let enroll = try await Services.run(
            Services.binaries + "/kiosk",
            ["enroll", "--config", config, "--url", url, "--token-file", try Self.tokenFile(Self.token, in: folder)])
        #expect(enroll.status != 0 && !enroll.output.contains("enrolled as"), "\(enroll.output)")
        await #expect(try Self.applied(folder + "/api").records.isEmpty)
    }

    @Test func theAPIIsHTTPSWithTheProvincesCAOrOnThisMachine() async throws {
        let folder = try TemporaryDirectory()
        for (url, anchor, refusal) in [
            ("http://api.example.id", nil, "plain http is only for a server on this machine"),
            ("http://10.0.2.100:8080", nil, "use https://10.0.2.100:8080"),
            ("https://api.example.id", nil, "needs [api] trust_anchor"),
        ] as [(String, String?, String)] {
            let config = folder.path + "/kiosk.toml"
            try Setup.configuration(state: folder.path + "/state", url: url, trustAnchor: anchor).write(
                toFile: config, atomically: true, encoding: .utf8)
            let status = try await Services.run(Services.binaries + "/kiosk", ["status", "--config", config])
            #expect(status.status == 78 && status.output.contains(refusal), "\(url): \(status.output)")
            let bare = folder.path + "/bare.toml"
            try Setup.configuration(state: folder.path + "/state", url: "http://127.0.0.1:9").write(
                toFile: bare, atomically: true, encoding: .utf8)
            let enroll = try await Services.run(
                Services.binaries + "/kiosk",
                [
                    "enroll", "--config", bare, "--url", url, "--token-file",
                    try Self.tokenFile(Self.token, in: folder.path),
                ])
            #expect(enroll.status != 0 && enroll.output.contains(refusal), "\(url): \(enroll.output)")
        }
    }

    // MARK: Signatures

    /// A request signed with the enrolled kiosk's own key, sent as is (so it can be replayed or altered).
    static func send(
        _ setup: Setup, body: Data, sentBody: Data? = nil, created: Int64? = nil, nonce: String? = nil
    ) async throws -> (Int, String) {
        let key = try Curve25519.Signing.PrivateKey(
            rawRepresentation: try Data(contentsOf: URL(fileURLWithPath: setup.folder + "/state/device.key")))
        let message = MessageSignature.Message(
            method: "POST", path: Endpoint.heartbeats, query: "", contentDigest: ContentDigest.header(for: body))
        let (input, signature) = try MessageSignature.sign(
            message,
            .init(
                created: created ?? Int64(Date().timeIntervalSince1970), nonce: nonce ?? MessageSignature.makeNonce(),
                keyID: "1809072001-01"), with: key)
        var request = URLRequest(url: URL(string: setup.server.url + Endpoint.heartbeats)!)
        request.httpMethod = "POST"
        request.httpBody = sentBody ?? body
        request.setValue(APIJSON.mediaType, forHTTPHeaderField: "Content-Type")
        request.setValue(message.contentDigest, forHTTPHeaderField: ContentDigest.headerName)
        request.setValue(input, forHTTPHeaderField: MessageSignature.inputHeaderName)
        request.setValue(signature, forHTTPHeaderField: MessageSignature.headerName)
        let (data, response) = try await URLSession.shared.data(for: request)
        let code = (try? JSONDecoder().decode(Problem.self, from: data))?.code ?? ""
        return ((response as! HTTPURLResponse).statusCode, code)
    }

    static func heartbeat() throws -> Data {
        try APIJSON.encoder().encode(
            Heartbeat(
                kioskId: "1809072001-01", softwareVersion: "test", sentAt: Date(), uptimeSeconds: 1, clockSynced: true,
                printer: .init(status: "ready"), queueDepth: 0, oldestPendingAt: nil, lastUploadAt: nil,
                rejectedRecords: 0))
    }

    @Test func replayedTamperedAndStaleRequestsAreRefused() async throws {
        let setup = try Setup()
        try await setup.enroll()
        let body = try Self.heartbeat()
        let fixed = MessageSignature.makeNonce()
        #expect(try await Self.send(setup, body: body, nonce: fixed) == (204, ""))
        #expect(try await Self.send(setup, body: body, nonce: fixed) == (401, "replayed-nonce"))
        var tampered = body
        tampered.append(contentsOf: Array(" ".utf8))
        #expect(try await Self.send(setup, body: body, sentBody: tampered) == (401, "digest-mismatch"))
        let stale = Int64(Date().timeIntervalSince1970) - 3600
        #expect(try await Self.send(setup, body: body, created: stale) == (401, "stale-signature"))
        await #expect(try setup.applied().heartbeats.count == 1)
    }

    // MARK: Crash test

    /// `record-load --upload` (the kiosk's record store and uploader) killed with SIGKILL at random points, against a server that drops
    /// connections, fails and loses answers; then one clean drain. Every record the kiosk reported captured must be
    /// on the server exactly once, and no log line may hold a NIK-shaped number. KIOSK_CRASH_KILLS sets the number
    /// of kills (200 in `make test`, 1,000 in `make soak`).
    @Test(.timeLimit(.minutes(30)))
    func killedAtRandomPointsTheKioskLosesNothingAndTheServerAppliesNothingTwice() async throws {
        let kills = Int(ProcessInfo.processInfo.environment["KIOSK_CRASH_KILLS"] ?? "") ?? 200
        let setup = try Setup(serverOptions: [
            "--drop-rate", "0.1", "--fail-rate", "0.1", "--fail-status", "500", "--lose-answer-rate", "0.15",
            "--seed", "7",
        ])
        try await setup.enroll()
        var generator = SplitMix64()
        var captured = Set<String>()
        var logs = ""
        var killedMidway = 0
        for _ in 0..<kills {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Services.binaries + "/record-load")
            process.arguments = ["--config", setup.config, "--count", "100000", "--upload"]
            let (out, err) = (Pipe(), Pipe())
            process.standardOutput = out
            process.standardError = err
            try process.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...400, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidway += 1 }
            let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in lines.split(separator: "\n") where line.hasPrefix("captured ") && line.count == 35 {
                captured.insert(String(line.dropFirst(9)))
            }
            logs += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        #expect(killedMidway == kills, "every run was killed, none finished on its own")
        #expect(captured.count > kills, "the kiosk captured records between the kills")

        // The server heals; the kiosk drains what is left (a run may still meet a fault: try again).
        var drained = false
        for _ in 0..<100 where !drained {
            let upload = try await setup.kiosk(["upload", "--include-recent"])
            logs += upload.output
            drained = upload.status == 0 && upload.output.contains("0 waiting")
        }
        #expect(drained)
        let applied = try await setup.applied()
        let onServer = Set(applied.records.map(\.id))
        #expect(captured.subtracting(onServer).isEmpty, "lost: \(captured.subtracting(onServer).count)")
        #expect(applied.records.allSatisfy { $0.applications == 1 }, "a record was applied twice")
        let status = try await setup.kiosk(["status"]).output
        #expect(status.contains("queue:           0 record(s)"))
        logs += setup.server.output()
        #expect(!logs.isEmpty && !Self.holdsNIKShapedNumber(logs), "a log line holds a NIK-shaped number")
        #expect(Self.holdsNIKShapedNumber("nik=1809071205900013;"), "the scan itself finds one")
        print(
            "crash test: \(kills) kills, \(captured.count) records reported captured, \(onServer.count) on the "
                + "server (\(applied.deliveries["duplicate"] ?? 0) duplicate deliveries absorbed), 0 lost, 0 applied twice"
        )
    }
}

/// One `kiosk-sim api serve` on loopback, on a free port it reports.
final class APIServerProcess: Sendable {
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let process: Process
    private let logFile: String

    init(state: String, options: [String], port requested: Int = 0) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Services.kioskSim)
        process.arguments = ["api", "serve", "--state", state, "--port", "\(requested)"] + options
        let out = Pipe()
        // A file, not a pipe: nobody reads the log while the server runs, and a full pipe would block it.
        logFile = state + ".log"
        try FileManager.default.createDirectory(
            atPath: (state as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: logFile)
        try process.run()
        // The first line says where it listens; reading it is the wait (no sleep).
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8),
            let found = Int(
                text.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        else {
            process.terminate()
            throw ServerDidNotStart(output: String(decoding: line, as: UTF8.self))
        }
        self.port = found
        self.process = process
    }

    struct ServerDidNotStart: Error { var output: String }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// What it logged (after `stop`).
    func output() -> String {
        stop()
        return (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }
}
