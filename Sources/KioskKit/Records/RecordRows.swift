import Core
import Foundation
public import GRDB
import ProvincialAPI

/// A `service_record` row: a service as the kiosk database stores it, its personal fields sealed (`RecordSealer`).
/// The one place that turns rows into `ServiceRecord`s and back.
package struct ServiceRecordRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "service_record"

    var id: String
    var kioskID: String
    var villageCode: String
    var letterCode: String
    var letterNumber: String
    /// Milliseconds since 1970.
    var capturedAt: Int64
    var clockSynced: Bool
    var printOutcome: PrintOutcome
    /// `SealedFields`, sealed with the record id as associated data.
    var personal: Data
    /// When the province acknowledged the record (milliseconds since 1970); purged after the retention.
    var acknowledgedAt: Int64?
    /// The prepared letter this service collected (`pickups-v1`); `nil` for a letter issued here.
    var pickupID: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, personal
        case kioskID = "kiosk_id"
        case villageCode = "village_code"
        case letterCode = "letter_code"
        case letterNumber = "letter_number"
        case capturedAt = "captured_at"
        case clockSynced = "clock_synced"
        case printOutcome = "print_outcome"
        case acknowledgedAt = "acknowledged_at"
        case pickupID = "pickup_id"
    }

    /// The columns, for queries.
    package enum Columns {
        static let id = Column(CodingKeys.id)
        static let printOutcome = Column(CodingKeys.printOutcome)
        static let acknowledgedAt = Column(CodingKeys.acknowledgedAt)
    }

    /// The row of a record just captured: outcome pending, not acknowledged.
    init(
        id: RecordID, kioskID: String, village: VillageCode, letterCode: String, number: LetterNumber,
        capturedAt: Timestamp, clockSynced: Bool, personal: Data
    ) {
        self.id = id.text
        self.kioskID = kioskID
        villageCode = village.digits
        self.letterCode = letterCode
        letterNumber = number.formatted
        self.capturedAt = capturedAt.millisecondsSince1970
        self.clockSynced = clockSynced
        printOutcome = .pending
        self.personal = personal
    }

    /// The record with its personal fields opened; `nil` when they do not open with `sealer`'s key or a column
    /// does not parse (written by another version, or damaged on disk).
    func opened(with sealer: RecordSealer) -> ServiceRecord? {
        guard let plain = try? sealer.open(personal, recordID: id),
            let fields = try? JSONDecoder().decode(SealedFields.self, from: plain),
            let recordID = RecordID(id), let number = LetterNumber(letterNumber),
            let village = try? VillageCode(villageCode), let nik = try? NIK(fields.nik)
        else { return nil }
        return ServiceRecord(
            id: recordID, kioskID: kioskID, village: village, letterCode: letterCode, letterNumber: number,
            purpose: fields.purpose, residentNIK: nik, capturedAt: Timestamp(millisecondsSince1970: capturedAt),
            clockSynced: clockSynced, printOutcome: printOutcome)
    }
}

/// An `outbox` row: a record the uploader still has to send.
package struct OutboxRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "outbox"

    var recordID: String
    /// Milliseconds since 1970 from which the record may be sent (after its print grace).
    var readyAt: Int64
    var attempts = 0
    /// Why the server refused the record; the row stays for an operator.
    var rejectedReason: String?

    enum CodingKeys: String, CodingKey {
        case attempts
        case recordID = "record_id"
        case readyAt = "ready_at"
        case rejectedReason = "rejected_reason"
    }

    /// The columns, for queries.
    package enum Columns {
        static let attempts = Column(CodingKeys.attempts)
        static let rejectedReason = Column(CodingKeys.rejectedReason)
    }
}

/// Stored by its one name (`PrintOutcome.rawValue`).
extension PrintOutcome: DatabaseValueConvertible {}

extension ServiceRecordUpload {
    /// `record` as the province receives it, sent by the kiosk `kioskID` (the enrolled name, which may differ
    /// from the one the record was captured under before enrollment).
    init(_ record: ServiceRecord, kioskID: String) {
        let (outcome, problem): (PrintOutcome, String?) =
            switch record.printOutcome {
            case .pending: (.pending, nil)
            case .printed: (.printed, nil)
            case .failed(let problem): (.failed, problem.rawValue)
            }
        self.init(
            id: record.id.text, kioskId: kioskID, villageCode: record.village.digits, letterCode: record.letterCode,
            letterNumber: record.letterNumber.formatted, purpose: record.purpose,
            residentNik: record.residentNIK.digits,
            capturedAt: Date(millisecondsSince1970: record.capturedAt.millisecondsSince1970),
            clockSynced: record.clockSynced, printOutcome: outcome, printProblem: problem)
    }
}
