import Foundation
import ProvincialAPI
import Testing
import Yams

/// The hand-written wire types against `api/provincial-api.yaml`: every value the kiosk or the reference server
/// encodes must validate against its schema (names, required fields, types, enums, no extra properties), and every
/// schema must be exercised, so the document and the code cannot drift apart unnoticed.
@Suite("The API contract and the Swift wire types")
struct ContractTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var document: [String: Any] {
        let text = try! String(
            contentsOf: repository.appendingPathComponent("api/provincial-api.yaml"), encoding: .utf8)
        return try! Yams.load(yaml: text) as! [String: Any]
    }
    static var schemas: [String: Any] {
        ((document["components"] as! [String: Any])["schemas"] as! [String: Any])
    }

    static let date = Date(timeIntervalSince1970: 1_795_000_000)
    static let record = ServiceRecordUpload(
        id: "01KB0Q4V7W3YB2E6C1D9N8M5TZ", kioskId: "1809072001-01", villageCode: "1809072001", letterCode: "S-41",
        letterNumber: "S-41/001/1809072001/XI/2026", purpose: "Melamar pekerjaan", residentNik: "1809071205900013",
        capturedAt: date, clockSynced: false, printOutcome: .failed, printProblem: "paperOut",
        pickupId: "PM-2026-0042")
    /// A ticket taken after a card and PIN (one without a card has no residentNik).
    static let ticket = QueueTicketUpload(
        id: "01KB0Q4V7W3YB2E6C1D9N8M5TA", kioskId: "1809072001-01", villageCode: "1809072001", number: "061226-007-K2",
        date: "2026-12-06", service: "KK", takenAt: date, clockSynced: true, printOutcome: .failed,
        printProblem: "paperOut", residentNik: "1809071205900013")
    static let resident = RegistryResident(
        name: "WARGA UJI", birthPlace: "HANURA", birthDate: "1990-05-12", sex: "L", address: "JL. UJI 1",
        hamlet: "DUSUN I", rt: "001", rw: "002", religion: "ISLAM", maritalStatus: "KAWIN", occupation: "PETANI",
        nationality: "WNI", cardTag: "1376422841")

    static let board = Board(
        villageCode: "1809072001", year: 2026, asOf: "2026-11-30",
        summary: [BoardLine(title: "Pendapatan", budget: 1_234_567_890, realised: 563_000_000, percent: 45.6)],
        byBidang: [BoardLine(title: "Pelaksanaan Pembangunan Desa", budget: 800_000_000, realised: 0, percent: 0)],
        activities: [
            BoardActivity(
                title: "Rabat beton jalan Dusun II", bidang: 2, status: .ongoing, progress: 60, executor: "TPK Hanura")
        ],
        announcements: [
            BoardAnnouncement(
                title: "Musyawarah desa", body: "Balai desa, 5 Desember", validFrom: "2026-11-25",
                validUntil: "2026-12-05")
        ],
        complaints: "Kantor Desa Hanura, Jl. Raya Hanura No. 1")

    /// One sample per schema, every optional field set.
    static var samples: [(String, any Encodable)] {
        [
            (
                "EnrollmentRequest",
                EnrollmentRequest(
                    token: "T0KEN-1234", publicKey: Data(repeating: 7, count: 32).base64EncodedString(),
                    softwareVersion: "0.1.0")
            ),
            (
                "Enrollment",
                Enrollment(
                    kioskId: "1809072001-01", villageCode: "1809072001", villageName: "Hanura",
                    serverKey: Data(repeating: 7, count: 32).base64EncodedString())
            ),
            ("RecordBatch", RecordBatch(records: [record])),
            ("ServiceRecord", record),
            ("RecordBatchResult", RecordBatchResult(results: [.init(id: record.id, status: .rejected, reason: "why")])),
            ("RecordResult", RecordResult(id: record.id, status: .duplicate)),
            (
                "RegistryPage",
                RegistryPage(
                    changes: [
                        .init(
                            nik: "1809071205900013", removed: false, resident: resident,
                            pin: .init(hash: "AAAA", salt: "BBBB", n: 32768, r: 8, p: 1))
                    ], cursor: "5", more: true)
            ),
            ("RegistryChange", RegistryChange(nik: "1809071205900013", removed: true)),
            ("RegistryResident", resident),
            ("PINHash", PINHashWire(hash: "AAAA", salt: "BBBB", n: 32768, r: 8, p: 1)),
            (
                "Heartbeat",
                Heartbeat(
                    kioskId: "1809072001-01", softwareVersion: "0.1.0", sentAt: date, uptimeSeconds: 5,
                    clockSynced: true,
                    printer: .init(status: "paperOut"), queueDepth: 3, oldestPendingAt: date, lastUploadAt: date,
                    rejectedRecords: 0, softwareCommit: "1a2b3c4d5e6f", softwareBuiltAt: date, busy: true,
                    thermalPrinter: .init(status: "paperNearEnd", at: date),
                    service: .init(status: .stopped, changedBy: "****BEEF", changedAt: date))
            ),
            (
                "KioskKeys",
                KioskKeys(keys: [
                    .init(
                        kioskId: "1809072001-01", villageCode: "1809072001", publicKey: "AAAA", enrolledAt: date,
                        revoked: false)
                ])
            ),
            (
                "LetterVerification",
                LetterVerification(
                    verdict: .valid, letterNumber: "S-41/001/1809072001/XI/2026", letterCode: "S-41",
                    letterTitle: "Surat Keterangan Domisili", issuedOn: "2026-11-24", villageCode: "1809072001",
                    villageName: "Hanura", kioskId: "1809072001-01", holder: "I K**** W******", recorded: true)
            ),
            (
                "PickupPage",
                PickupPage(
                    changes: [
                        .init(
                            id: "PM-2026-0042", villageCode: "1809072001", status: .ready,
                            holderNik: "1809071205900013", holderCardUid: "04A21B6C9E4F80", kind: "S-41",
                            number: "S-41/042/1809072001/XII/2026", pdf: "JVBERi0xLjQK")
                    ], cursor: "7", more: false)
            ),
            ("PickupChange", PickupChange(id: "PM-2026-0042", villageCode: "1809072001", status: .collected)),
            (
                "SurveyDay",
                SurveyDay(
                    kioskId: "1809072001-01", date: "2026-12-05", from: "2026-12-03",
                    services: [
                        SurveyCounts(
                            service: "S-41", verySatisfied: 3, satisfied: 5, dissatisfied: 1, veryDissatisfied: 0)
                    ])
            ),
            (
                "SurveyCounts",
                SurveyCounts(service: "S-41", verySatisfied: 3, satisfied: 5, dissatisfied: 1, veryDissatisfied: 0)
            ),
            ("TicketBatch", TicketBatch(tickets: [ticket])),
            ("QueueTicket", ticket),
            ("Board", board),
            ("BoardLine", board.summary[0]),
            ("BoardActivity", board.activities[0]),
            ("BoardAnnouncement", board.announcements[0]),
            (
                "Problem",
                Problem(title: "Unauthorized", status: 401, code: "stale-signature", detail: "check the clock")
            ),
        ]
    }

    @Test func theDocumentIsOpenAPI31WithEveryOperation() {
        #expect(Self.document["openapi"] as? String == "3.1.0")
        let paths = Self.document["paths"] as! [String: Any]
        #expect(
            Set(paths.keys) == [
                Endpoint.enrollments, Endpoint.records, Endpoint.registry, Endpoint.heartbeats, Endpoint.kioskKeys,
                Endpoint.letterVerification, Endpoint.letterPage, Endpoint.board, Endpoint.pickups, Endpoint.surveys,
                Endpoint.tickets,
            ])
    }

    @Test func everySchemaHasASample() {
        #expect(Set(Self.schemas.keys) == Set(Self.samples.map(\.0)))
    }

    @Test(arguments: samples.map(\.0))
    func theSwiftTypeEncodesToItsSchema(name: String) throws {
        let value = Self.samples.first { $0.0 == name }!.1
        let json = try JSONSerialization.jsonObject(
            with: try APIJSON.encoder().encode(value), options: [.fragmentsAllowed])
        var problems: [String] = []
        Self.validate(json, against: Self.schemas[name]!, at: name, problems: &problems)
        #expect(problems == [])
    }

    @Test func theValidatorCatchesAnExtraAMissingAndAMistypedField() {
        var problems: [String] = []
        Self.validate(
            ["kioskId": "kiosk-1", "villageName": 5, "extra": true, "serverKey": String(repeating: "A", count: 43) + "="]
                as [String: Any],
            against: Self.schemas["Enrollment"]!,
            at: "Enrollment", problems: &problems)
        #expect(problems.count == 3)
    }

    /// A small JSON Schema check: `$ref`, object properties, `required`, `additionalProperties: false`, arrays,
    /// primitive types, `enum` and `pattern`.
    static func validate(_ value: Any, against schema: Any, at path: String, problems: inout [String]) {
        var schema = schema as! [String: Any]
        if let reference = schema["$ref"] as? String {
            schema = schemas[String(reference.split(separator: "/").last!)] as! [String: Any]
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return problems.append("\(path): not an object") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for required in schema["required"] as? [String] ?? [] where object[required] == nil {
                problems.append("\(path).\(required): required, missing")
            }
            for (key, item) in object {
                guard let property = properties[key] else {
                    problems.append("\(path).\(key): not in the schema")
                    continue
                }
                validate(item, against: property, at: "\(path).\(key)", problems: &problems)
            }
        case "array":
            guard let array = value as? [Any] else { return problems.append("\(path): not an array") }
            for (index, item) in array.enumerated() {
                validate(item, against: schema["items"]!, at: "\(path)[\(index)]", problems: &problems)
            }
        case "string":
            guard let string = value as? String else { return problems.append("\(path): not a string") }
            if let choices = schema["enum"] as? [String], !choices.contains(string) {
                problems.append("\(path): \(string) not in \(choices)")
            }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil
            {
                problems.append("\(path): does not match \(pattern)")
            }
        case "integer":
            if !(value is Int) || isBoolean(value) { problems.append("\(path): not an integer") }
            if let minimum = schema["minimum"] as? Int, let int = value as? Int, int < minimum {
                problems.append("\(path): \(int) below \(minimum)")
            }
        case "number":
            if !(value is Double || value is Int) || isBoolean(value) { problems.append("\(path): not a number") }
        case "boolean":
            if !isBoolean(value) { problems.append("\(path): not a boolean") }
        default:
            problems.append("\(path): schema without a type")
        }
    }

    /// JSONSerialization gives NSNumbers; 0 and 1 cast to Bool too, so ask for the boolean's own encoding.
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }
}
