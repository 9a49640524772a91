import Core
import Crypto
import Foundation
import ProvincialAPI

/// What the province says of a scanned letter QR: the verdict behind `GET /v1/letters/verification` and the page a
/// phone opens (`GET /surat`). It answers for a signed payload only, and looks its record up by the letter's salt,
/// which only a holder of the genuine QR knows: stepping through numbers or ids lists nothing.
struct LetterCheck: Sendable {
    let store: APIStore
    /// Titles of letter kinds by code, for the page ("Surat Keterangan Domisili").
    var catalogue: LetterCatalogue = .openSIDSelfService

    func verify(_ scanned: String) throws -> LetterVerification {
        guard let seal = try? LetterSeal(scanned: scanned) else { return LetterVerification(verdict: .damaged) }
        guard let kiosk = try store.kiosk(seal.kioskID),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: kiosk.publicKey)
        else { return LetterVerification(verdict: .unknownKiosk) }
        let signed = key.isValidSignature(Data(seal.signature), for: Data(seal.signedText.utf8))
        let record = try store.letterRecord(salt: seal.salt.map { String(format: "%02X", $0) }.joined())
        guard signed else {
            // A changed QR whose salt is a genuine letter's: it was that letter, altered. Without the salt of a real
            // letter (64 random-looking bits) nobody gets here, so this shows nothing to a prober.
            guard let record else { return LetterVerification(verdict: .forged) }
            return try described(.altered, record: record)
        }
        guard let record, record.kioskID == seal.kioskID else {
            // Signed, but the kiosk's record has not reached the province yet (offline kiosks upload later).
            return LetterVerification(
                verdict: .valid, letterNumber: seal.number.formatted, letterCode: seal.number.kindCode,
                letterTitle: title(seal.number.kindCode), issuedOn: iso(seal.issuedOn),
                villageCode: seal.number.village.digits, villageName: try store.villageName(code: kiosk.villageCode),
                kioskId: seal.kioskID, recorded: false)
        }
        // Signed and recorded: the record must say the same, or the kiosk's key signed something it did not issue.
        let name = try store.residentName(villageCode: record.villageCode, nik: record.residentNIK)
        let agrees =
            record.letterNumber == seal.number.formatted && issueDate(record) == seal.issuedOn
            && (name.map { holderDigest(seal, nik: record.residentNIK, name: $0) == seal.holderDigest } ?? true)
        return try described(agrees ? .valid : .altered, record: record, holder: name)
    }

    /// The letter as the province recorded it.
    private func described(_ verdict: LetterVerification.Verdict, record: APIStore.LetterRecord, holder: String? = nil)
        throws -> LetterVerification
    {
        let name = try holder ?? store.residentName(villageCode: record.villageCode, nik: record.residentNIK)
        return LetterVerification(
            verdict: verdict, letterNumber: record.letterNumber, letterCode: record.letterCode,
            letterTitle: title(record.letterCode), issuedOn: iso(issueDate(record)), villageCode: record.villageCode,
            villageName: try store.villageName(code: record.villageCode), kioskId: record.kioskID,
            holder: name.map(Self.masked), recorded: true)
    }

    private func issueDate(_ record: APIStore.LetterRecord) -> CalendarDate {
        let milliseconds: Double = (record.capturedAt.timeIntervalSince1970 * 1000).rounded()
        return Timestamp(millisecondsSince1970: Int64(milliseconds)).date()
    }

    private func title(_ code: String) -> String? { catalogue[code]?.title }

    private func iso(_ date: CalendarDate) -> String {
        String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }

    private func holderDigest(_ seal: LetterSeal, nik: String, name: String) -> [UInt8]? {
        guard let nik = try? NIK(nik) else { return nil }
        return Array(SHA256.hash(data: LetterSeal.holderMessage(salt: seal.salt, nik: nik, name: name)).prefix(16))
    }

    /// A name masked as the page shows it: the first letter of each word, the rest starred (`I K**** W******`).
    static func masked(_ name: String) -> String {
        name.uppercased().split(whereSeparator: \.isWhitespace).map { (word: Substring) -> String in
            let first: Substring = word.prefix(1)
            return first + String(repeating: "*", count: max(0, word.count - 1))
        }.joined(separator: " ")
    }
}
