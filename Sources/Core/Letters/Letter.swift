/// A letter composed and ready to lay out: the catalogue entry, the template's body, the resident's fields, the
/// number, the dates in Indonesian and the signed QR. Made only after the number is stored (DESIGN.md §4).
public struct Letter: Hashable, Sendable {
    public var letterhead: Letterhead
    public var title: String
    public var number: LetterNumber
    /// The sentence before the holder's fields.
    public var opening: String
    /// Nama, NIK, Tempat/Tgl Lahir, ... in the order village letters list them.
    public var holderFields: [Field]
    /// The template's paragraphs.
    public var body: [String]
    /// "Hanura, 24 November 2026", above the signature.
    public var placeAndDate: String
    public var holderName: String
    /// The QR's payload (`LetterSeal.payload`).
    public var seal: String
    /// A draft for a wet signature (the default; a kiosk cannot sign).
    public var isDraft: Bool
    /// Kode desa and kode surat, as OpenSID's footer has them.
    public var footer: String

    public struct Field: Hashable, Sendable {
        public var label: String
        public var value: String
    }

    public init(
        request: LetterRequest, number: LetterNumber, issuedOn date: CalendarDate, letterhead: Letterhead,
        template: LetterTemplate, nikStyle: LetterFields.NIKStyle, seal: String
    ) {
        let fields = LetterFields(
            request: request, number: number, issuedOn: date, letterhead: letterhead, nikStyle: nikStyle)
        let r = request.resident
        self.letterhead = letterhead
        title = request.kind.title
        self.number = number
        opening =
            "Yang bertanda tangan di bawah ini, \(letterhead.signerTitle), Kecamatan \(letterhead.district), "
            + "Kabupaten \(letterhead.regency), menerangkan dengan sebenarnya bahwa:"
        holderFields = [
            Field(label: "Nama", value: r.name),
            Field(label: "NIK", value: fields["nik"]),
            Field(label: "Tempat/Tgl. Lahir", value: "\(r.birthPlace), \(fields["tanggal_lahir"])"),
            Field(label: "Jenis Kelamin", value: r.sex.label),
            Field(label: "Agama", value: r.religion),
            Field(label: "Status Perkawinan", value: r.maritalStatus),
            Field(label: "Pekerjaan", value: r.occupation),
            Field(label: "Kewarganegaraan", value: r.nationality),
            Field(label: "Alamat", value: Self.address(r)),
            Field(label: "Keperluan", value: request.purpose),
            Field(label: "Berlaku", value: "\(fields["tanggal"]) s/d \(fields["berlaku"])"),
        ]
        body = template.paragraphs(fields)
        placeAndDate = "\(letterhead.village), \(fields["tanggal"])"
        holderName = r.name
        self.seal = seal
        isDraft = request.kind.issueMode == .draft
        footer = "Kode desa \(number.village.digits) · Kode surat \(request.kind.code)"
    }

    private static func address(_ r: Resident) -> String {
        var parts = [r.address, "RT \(r.rt) / RW \(r.rw)"]
        // OpenSID exports hold "DUSUN II" as often as "Sukamaju".
        if !r.hamlet.isEmpty { parts.append(r.hamlet.uppercased().hasPrefix("DUSUN") ? r.hamlet : "Dusun \(r.hamlet)") }
        return parts.joined(separator: ", ")
    }
}
