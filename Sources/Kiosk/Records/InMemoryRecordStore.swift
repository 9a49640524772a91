import Core
import Foundation

/// Numbers letters and keeps service records in memory: the issuer until the SQLite store (record + outbox in one
/// transaction, numbers that survive a crash) replaces it. Numbers restart with the process, so it suits the demo
/// and tests only; `kiosk doctor` does not pretend otherwise.
actor InMemoryRecordStore: LetterIssuer {
    let kioskID: String
    let village: VillageCode
    private var lastSerial: [LetterSeries: Int] = [:]
    private(set) var records: [ServiceRecord] = []
    private var generator = SystemRandomNumberGenerator()

    init(kioskID: String, village: VillageCode) {
        self.kioskID = kioskID
        self.village = village
    }

    func issue(_ request: LetterRequest) async throws(IssueProblem) -> IssuedLetter {
        let now = Timestamp.now()
        let today = now.date()
        let series = LetterSeries(kindCode: request.kind.code, year: today.year)
        let serial = lastSerial[series, default: 0] + 1
        lastSerial[series] = serial
        let number = LetterNumber(
            kindCode: request.kind.code, serial: serial, village: village, month: today.month, year: today.year)
        let record = ServiceRecord(
            id: RecordID(at: now, using: &generator), kioskID: kioskID, village: village, letterCode: request.kind.code,
            letterNumber: number, purpose: request.purpose, residentNIK: request.resident.nik, capturedAt: now,
            clockSynced: false)  // clock sync is checked by the sync service; until then the province is told "unknown"
        records.append(record)
        return IssuedLetter(recordID: record.id, number: number)
    }

    func recordPrintOutcome(_ outcome: PrintOutcome, for id: RecordID) {
        if let index = records.firstIndex(where: { $0.id == id }) { records[index].printOutcome = outcome }
    }
}

extension Timestamp {
    /// The wall clock, now.
    static func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }
}
