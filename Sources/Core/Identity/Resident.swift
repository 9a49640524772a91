/// A resident as the registry knows them: what a village letter prints about its holder.
///
/// `description` never shows personal data, so a resident interpolated into a log line by mistake reveals nothing.
public struct Resident: Hashable, Sendable, CustomStringConvertible {
    public var nik: NIK
    public var name: String
    public var birthPlace: String
    public var birthDate: CalendarDate
    public var sex: Sex
    public var address: String
    public var hamlet: String  // dusun
    public var rt: String
    public var rw: String
    public var religion: String
    public var maritalStatus: String
    public var occupation: String
    public var nationality: String
    /// The registered card, as OpenSID's `tag_id_card` holds it.
    public var cardTag: CardTag?

    public init(
        nik: NIK, name: String, birthPlace: String, birthDate: CalendarDate, sex: Sex, address: String,
        hamlet: String = "", rt: String, rw: String, religion: String, maritalStatus: String, occupation: String,
        nationality: String = "WNI", cardTag: CardTag? = nil
    ) {
        self.nik = nik
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

    public var description: String { "Resident(nik: \(nik.masked))" }
}
