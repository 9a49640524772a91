/// A letter's number, OpenSID's default pattern `[kode_surat]/[nomor_surat, 3]/[kode_desa]/[bulan_romawi]/[tahun]`:
/// `S-41/007/1809072001/XI/2026`. Each letter kind has its own series, restarting every year.
public struct LetterNumber: Hashable, Sendable, CustomStringConvertible {
    public var kindCode: String
    public var serial: Int
    public var village: VillageCode
    public var month: Int
    public var year: Int

    public init(kindCode: String, serial: Int, village: VillageCode, month: Int, year: Int) {
        precondition(serial > 0 && (1...12).contains(month), "serials start at 1; months are 1-12")
        self.kindCode = kindCode
        self.serial = serial
        self.village = village
        self.month = month
        self.year = year
    }

    /// The series this number belongs to.
    public var series: LetterSeries { LetterSeries(kindCode: kindCode, year: year) }

    public var formatted: String {
        "\(kindCode)/\(serial.zeroPadded(3))/\(village.digits)/\(IndonesianDate.romanMonth(month))/\(year)"
    }

    public var description: String { formatted }

    /// Parses the formatted form back; kind codes may not contain `/`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty, parts[1].count >= 3, parts[1].allSatisfy(\.isASCIIDigit),
            parts[4].allSatisfy(\.isASCIIDigit), let serial = Int(parts[1]), serial > 0,
            let village = try? VillageCode(parts[2]), let month = IndonesianDate.month(roman: parts[3]),
            parts[4].count == 4, let year = Int(parts[4])
        else { return nil }
        self.init(kindCode: String(parts[0]), serial: serial, village: village, month: month, year: year)
    }
}

/// One numbering series: a letter kind in a year (OpenSID's default `penomoran_surat = 2`).
public struct LetterSeries: Hashable, Sendable {
    public var kindCode: String
    public var year: Int

    public init(kindCode: String, year: Int) {
        self.kindCode = kindCode
        self.year = year
    }
}
