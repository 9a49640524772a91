/// What a 58/80 mm thermal printer gives: short documents of lines, set as printer text (fast, crisp, any
/// width) with the QR native or drawn, as the printer allows. Core says what a slip holds; the ESC/POS encoder
/// sets it for the printer's columns.
public struct Slip: Hashable, Sendable {
    public enum Line: Hashable, Sendable {
        /// Large, bold, centred.
        case title(String)
        /// Centred.
        case centered(String)
        /// Wrapped to the paper's columns.
        case text(String)
        /// "Label : value", the value wrapped under itself.
        case field(String, String)
        /// A dashed rule across the paper.
        case rule
        case qr(String)
    }

    public var lines: [Line]

    public init(_ lines: [Line]) {
        self.lines = lines
    }

    /// The pengantar an RT post prints instead of an A4 letter: the letter's facts, the holder masked, the signed
    /// QR, and what to do next. The resident takes it to the village office for the signed letter.
    public static func pengantar(
        request: LetterRequest, number: LetterNumber, issuedOn date: CalendarDate, letterhead: Letterhead, seal: String
    ) -> Slip {
        Slip([
            .title("DESA \(letterhead.village.uppercased())"),
            .centered("Kec. \(letterhead.district), Kab. \(letterhead.regency)"),
            .rule,
            .centered("PENGANTAR"),
            .centered(request.kind.title.uppercased()),
            .field("Nomor", number.formatted),
            .field("Tanggal", IndonesianDate.long(date)),
            .field("Nama", request.resident.name),
            .field("NIK", request.resident.nik.masked),
            .field("Keperluan", request.purpose),
            .rule,
            .qr(seal),
            .text("DRAF: bawa ke kantor desa untuk surat yang ditandatangani."),
        ])
    }

    /// The receipt beside an A4 letter: proof of the service without personal data beyond the masked NIK.
    public static func receipt(request: LetterRequest, number: LetterNumber, issuedOn date: CalendarDate, village: String)
        -> Slip
    {
        Slip([
            .title("DESA \(village.uppercased())"),
            .centered("BUKTI LAYANAN"),
            .rule,
            .field("Surat", request.kind.title),
            .field("Nomor", number.formatted),
            .field("Tanggal", IndonesianDate.long(date)),
            .field("NIK", request.resident.nik.masked),
            .rule,
            .text("Simpan bukti ini. Terima kasih."),
        ])
    }

    /// OpenSID's queue ticket: the number large (`ddmmyy-NNN`, a daily counter from 001, with the kiosk's station),
    /// the service, the date and time, the village. Nothing of the resident, card or not.
    public static func queueTicket(_ ticket: QueueTicket, village: String) -> Slip {
        Slip([
            .title("DESA \(village.uppercased())"),
            .centered("NOMOR ANTREAN"),
            .title("\(ticket.number)"),
            .rule,
            .field("Layanan", ticket.service.title),
            .field("Tanggal", IndonesianDate.long(ticket.number.day)),
            .field("Jam", ticket.time),
            .rule,
            .text("Tunggu sampai nomor Anda dipanggil petugas."),
        ])
    }

    /// `251126-007`.
    public static func queueNumber(day: CalendarDate, counter: Int) -> String {
        "\(QueueNumber(day: day, counter: counter))"
    }
}
