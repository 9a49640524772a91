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

/// `GET /v1/letters/verification?number=&kioskId=`: whether the province has the record of a letter.
public struct LetterVerification: Codable, Hashable, Sendable {
    public var verdict: Verdict
    public var letterCode: String?
    public var villageCode: String?
    public var capturedAt: Date?

    public enum Verdict: String, Codable, Hashable, Sendable {
        case known, unknown
    }

    public init(verdict: Verdict, letterCode: String? = nil, villageCode: String? = nil, capturedAt: Date? = nil) {
        self.verdict = verdict
        self.letterCode = letterCode
        self.villageCode = villageCode
        self.capturedAt = capturedAt
    }
}
