/// Dates as Indonesian letters write them.
public enum IndonesianDate {
    public static let monthNames = [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ]

    /// "22 November 2026".
    public static func long(_ date: CalendarDate) -> String {
        "\(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// The Roman month used in letter numbers: 1 → "I", 11 → "XI".
    public static func romanMonth(_ month: Int) -> String {
        precondition((1...12).contains(month), "month out of range")
        return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][month - 1]
    }

    /// The month number of a Roman month, or `nil`.
    public static func month(roman: some StringProtocol) -> Int? {
        (1...12).first { romanMonth($0) == roman }
    }
}
