/// A letter's number, OpenSID's default pattern `[kode_surat]/[nomor_surat, 3]/[kode_desa]/[bulan_romawi]/[tahun]`:
/// `S-41/007/1809072001/XI/2026`. Each letter kind has its own series, restarting every year.
///
/// A village with more than one kiosk gives each a station number, and each kiosk numbers its own sub-series,
/// marked after the serial: `S-41/007-K2/1809072001/XI/2026`. Kiosks that are offline at the same time can then
/// never give the same number twice, with no coordination at all (docs/LETTERS.md, "Numbering").
public struct LetterNumber: Hashable, Sendable, CustomStringConvertible {
    public var kindCode: String
    public var serial: Int
    /// The kiosk's station within its village (1-99), or `nil` for a village's only kiosk.
    public var station: Int?
    public var village: VillageCode
    public var month: Int
    public var year: Int

    public init(kindCode: String, serial: Int, station: Int? = nil, village: VillageCode, month: Int, year: Int) {
        precondition(serial > 0 && (1...12).contains(month), "serials start at 1; months are 1-12")
        precondition(station.map(Self.stations.contains) ?? true, "stations are 1-99")
        self.kindCode = kindCode
        self.serial = serial
        self.station = station
        self.village = village
        self.month = month
        self.year = year
    }

    /// The station numbers a village can give its kiosks.
    public static let stations = 1...99

    /// The series this number belongs to.
    public var series: LetterSeries { LetterSeries(kindCode: kindCode, year: year) }

    public var formatted: String {
        let serialPart = serial.zeroPadded(3) + (station.map { "-K\($0)" } ?? "")
        return "\(kindCode)/\(serialPart)/\(village.digits)/\(IndonesianDate.romanMonth(month))/\(year.zeroPadded(4))"
    }

    public var description: String { formatted }

    /// Parses the formatted form back; kind codes may not contain `/`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty else { return nil }
        let serialPart = parts[1].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        var station: Int?
        if serialPart.count == 2 {
            let tag = serialPart[1]
            guard tag.first == "K", tag.count >= 2, tag.dropFirst().allSatisfy(\.isASCIIDigit),
                tag.dropFirst().first != "0", let value = Int(tag.dropFirst()), Self.stations.contains(value)
            else { return nil }
            station = value
        }
        let digits = serialPart[0]
        guard digits.count >= 3, digits.allSatisfy(\.isASCIIDigit), let serial = Int(digits), serial > 0,
            let village = try? VillageCode(parts[2]), let month = IndonesianDate.month(roman: parts[3]),
            parts[4].count == 4, parts[4].allSatisfy(\.isASCIIDigit), let year = Int(parts[4])
        else { return nil }
        self.init(kindCode: String(parts[0]), serial: serial, station: station, village: village, month: month, year: year)
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
