package import Core

/// The sample letter of a test print: `kiosk test-print` and the maintenance screen's "Uji Cetak". Its kind exists
/// only for test prints (its number says UJI, it is never recorded) and its resident is no one's.
package enum TestPage {
    package static let kind = LetterKind(
        code: "UJI", title: "Surat Uji Cetak", classification: "000", selfService: false, template: "(built in)",
        purposes: ["Uji cetak"])
    package static let body = try! LetterTemplate(
        """
        Ini adalah surat uji cetak anjungan layanan Desa {{desa}}, Kecamatan {{kecamatan}}, Kabupaten {{kabupaten}}. \
        Data di atas adalah contoh, bukan data warga.
        Surat ini tidak berlaku sebagai surat keterangan.
        """)
    package static let resident = Resident(
        nik: try! NIK("1809070101900001"), name: "CONTOH WARGA DESA", birthPlace: "PESAWARAN",
        birthDate: CalendarDate(year: 1990, month: 1, day: 1)!, sex: .male, address: "Jl. Contoh No. 1", rt: "001",
        rw: "001", religion: "ISLAM", maritalStatus: "BELUM KAWIN", occupation: "PETANI/PEKEBUN")

    /// The sample request, numbered 1 in the UJI series of this month, with a record id that is never stored.
    package static func request(settings: KioskSettings, at now: Timestamp) -> (LetterRequest, IssuedLetter) {
        let today = now.date()
        let issued = IssuedLetter(
            recordID: RecordID(at: now),
            number: LetterNumber(
                kindCode: kind.code, serial: 1, station: settings.station, village: settings.village,
                month: today.month, year: today.year))
        return (LetterRequest(kind: kind, purpose: "Uji cetak", resident: resident, card: nil), issued)
    }
}
