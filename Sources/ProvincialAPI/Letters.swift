import Crypto
public import Foundation

/// `GET /v1/kiosks/keys`: every kiosk key the province knows, for verifying letters offline.
public struct KioskKeys: Codable, Hashable, Sendable {
    public var keys: [KioskKey]

    public init(keys: [KioskKey]) { self.keys = keys }
}

public struct KioskKey: Codable, Hashable, Sendable {
    public var kioskId: String
    public var villageCode: String
    /// Ed25519, 32 raw bytes in base64.
    public var publicKey: String
    public var enrolledAt: Date
    public var revoked: Bool

    public init(kioskId: String, villageCode: String, publicKey: String, enrolledAt: Date, revoked: Bool) {
        self.kioskId = kioskId
        self.villageCode = villageCode
        self.publicKey = publicKey
        self.enrolledAt = enrolledAt
        self.revoked = revoked
    }
}

/// `GET /v1/letters/verification?seal=`: what the province says of a letter's QR, the JSON twin of the page a
/// phone opens (`GET /surat?s=`). It answers only for the signed payload of a letter, never for a number alone, so
/// nobody can step through a kiosk's numbers to list the letters it issued (OpenSID's `/c1/{id}` could be).
public struct LetterVerification: Codable, Hashable, Sendable {
    public var verdict: Verdict
    /// The letter as the province knows it; absent for `forged`, `unknownKiosk` and `damaged`. For `altered`, the
    /// genuine letter whose QR was changed.
    public var letterNumber: String?
    public var letterCode: String?
    /// The kind's title (`Surat Keterangan Domisili`).
    public var letterTitle: String?
    /// `yyyy-mm-dd`, the issue date.
    public var issuedOn: String?
    public var villageCode: String?
    public var villageName: String?
    public var kioskId: String?
    /// The holder's name masked (`I K**** W******`); absent while the province has no record of the letter. Never
    /// the NIK.
    public var holder: String?
    /// Whether the kiosk's record of this letter has reached the province.
    public var recorded: Bool?

    public enum Verdict: String, Codable, Hashable, Sendable, CaseIterable {
        /// Signed by the kiosk it names, and the province's record (if it has one yet) agrees.
        case valid
        /// Not signed by the kiosk it names, and no letter of the province has its salt: made up.
        case forged
        /// A genuine letter's QR with a field changed, or a signed QR the province's record contradicts.
        case altered
        /// No enrolled (and unrevoked) kiosk has the id it names.
        case unknownKiosk
        /// Not a letter QR, or a damaged one (truncated, a field cut).
        case damaged
    }

    public init(
        verdict: Verdict, letterNumber: String? = nil, letterCode: String? = nil, letterTitle: String? = nil,
        issuedOn: String? = nil, villageCode: String? = nil, villageName: String? = nil, kioskId: String? = nil,
        holder: String? = nil, recorded: Bool? = nil
    ) {
        self.verdict = verdict
        self.letterNumber = letterNumber
        self.letterCode = letterCode
        self.letterTitle = letterTitle
        self.issuedOn = issuedOn
        self.villageCode = villageCode
        self.villageName = villageName
        self.kioskId = kioskId
        self.holder = holder
        self.recorded = recorded
    }
}

/// The salt of a letter's holder digest, derived from its service record's id: the kiosk and the province both
/// know the id (it is the record's idempotency key), nobody else does, so the province can tell which of its
/// records a QR belongs to (and whether a changed QR was a genuine letter's) while the QR shows nothing of it.
public enum LetterSalt {
    /// The first 8 bytes of SHA-256("VK1 salt\n" + record id).
    public static func derive(recordID: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(("VK1 salt\n" + recordID).utf8)).prefix(8))
    }
}
