/// The values a letter template may name, in Indonesian as village letters label them. Built from the request,
/// the issued number and the letterhead; the one place that decides how each is written.
public struct LetterFields: Hashable, Sendable {
    public private(set) var values: [String: String]

    /// Every name a template may use.
    public static let names: Set<String> = [
        "nama", "nik", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "rt", "rw", "dusun", "agama",
        "status", "pekerjaan", "kewarganegaraan", "keperluan", "berlaku", "tanggal", "nomor", "judul", "desa",
        "kecamatan", "kabupaten",
    ]

    /// How the NIK appears on the letter: in full (what an official letter carries) or masked as on slips.
    public enum NIKStyle: String, Hashable, Sendable, CaseIterable {
        case full
        case masked
    }

    public init(
        request: LetterRequest, number: LetterNumber, issuedOn date: CalendarDate, letterhead: Letterhead,
        nikStyle: NIKStyle
    ) {
        let r = request.resident
        values = [
            "nama": r.name,
            "nik": nikStyle == .full ? r.nik.digits : r.nik.masked,
            "tempat_lahir": r.birthPlace,
            "tanggal_lahir": IndonesianDate.long(r.birthDate),
            "jenis_kelamin": r.sex.label,
            "alamat": r.address,
            "rt": r.rt,
            "rw": r.rw,
            "dusun": r.hamlet,
            "agama": r.religion,
            "status": r.maritalStatus,
            "pekerjaan": r.occupation,
            "kewarganegaraan": r.nationality,
            "keperluan": request.purpose,
            "berlaku": IndonesianDate.long(date.adding(days: request.kind.validityDays)),
            "tanggal": IndonesianDate.long(date),
            "nomor": number.formatted,
            "judul": request.kind.title,
            "desa": letterhead.village,
            "kecamatan": letterhead.district,
            "kabupaten": letterhead.regency,
        ]
        assert(Set(values.keys) == Self.names, "every field has a value")
    }

    public subscript(name: String) -> String { values[name] ?? "" }
}
