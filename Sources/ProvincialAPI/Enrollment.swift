/// `POST /v1/enrollments`: a technician's one-time token and the kiosk's public key.
public struct EnrollmentRequest: Codable, Hashable, Sendable {
    public var token: String
    /// The Ed25519 public key, 32 raw bytes in base64.
    public var publicKey: String
    public var softwareVersion: String

    public init(token: String, publicKey: String, softwareVersion: String) {
        self.token = token
        self.publicKey = publicKey
        self.softwareVersion = softwareVersion
    }
}

/// What the province assigned to an enrolled kiosk.
public struct Enrollment: Codable, Hashable, Sendable {
    public var kioskId: String
    /// Kemendagri village code (kode desa), 10 digits.
    public var villageCode: String
    public var villageName: String
    /// The province's Ed25519 public key (32 raw bytes, base64) that signs its answers (`ResponseSignature`).
    public var serverKey: String

    public init(kioskId: String, villageCode: String, villageName: String, serverKey: String) {
        self.kioskId = kioskId
        self.villageCode = villageCode
        self.villageName = villageName
        self.serverKey = serverKey
    }
}
