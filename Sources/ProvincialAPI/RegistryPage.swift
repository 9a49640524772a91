/// `GET /v1/registry?cursor=`: residents of the kiosk's village changed after the cursor.
public struct RegistryPage: Codable, Hashable, Sendable {
    public var changes: [RegistryChange]
    /// Where the next sync starts.
    public var cursor: String
    /// More changes are waiting: ask again with `cursor`.
    public var more: Bool

    public init(changes: [RegistryChange], cursor: String, more: Bool) {
        self.changes = changes
        self.cursor = cursor
        self.more = more
    }
}

/// A resident added or changed (`resident` set), or gone from the village (`removed`).
public struct RegistryChange: Codable, Hashable, Sendable {
    public var nik: String
    public var removed: Bool
    public var resident: RegistryResident?
    public var pin: PINHashWire?

    public init(nik: String, removed: Bool, resident: RegistryResident? = nil, pin: PINHashWire? = nil) {
        self.nik = nik
        self.removed = removed
        self.resident = resident
        self.pin = pin
    }
}

/// The fields of OpenSID's resident table the kiosk keeps.
public struct RegistryResident: Codable, Hashable, Sendable {
    public var name: String
    public var birthPlace: String
    /// `YYYY-MM-DD`.
    public var birthDate: String
    /// `L` or `P`.
    public var sex: String
    public var address: String
    public var hamlet: String
    public var rt: String
    public var rw: String
    public var religion: String
    public var maritalStatus: String
    public var occupation: String
    public var nationality: String
    /// OpenSID's `tag_id_card` (decimal) or the card's UID in hex.
    public var cardTag: String?

    public init(
        name: String, birthPlace: String, birthDate: String, sex: String, address: String, hamlet: String, rt: String,
        rw: String, religion: String, maritalStatus: String, occupation: String, nationality: String,
        cardTag: String?
    ) {
        self.name = name
        self.birthPlace = birthPlace
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.hamlet = hamlet
        self.rt = rt
        self.rw = rw
        self.religion = religion
        self.maritalStatus = maritalStatus
        self.occupation = occupation
        self.nationality = nationality
        self.cardTag = cardTag
    }
}

/// An scrypt PIN hash with its parameters, base64 for the bytes.
public struct PINHashWire: Codable, Hashable, Sendable {
    public var hash: String
    public var salt: String
    public var n: Int
    public var r: Int
    public var p: Int

    public init(hash: String, salt: String, n: Int, r: Int, p: Int) {
        self.hash = hash
        self.salt = salt
        self.n = n
        self.r = r
        self.p = p
    }
}
