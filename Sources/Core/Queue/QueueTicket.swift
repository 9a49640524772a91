/// A service the kiosk cannot finish itself and hands a queue number for (antrean): a change to the family card,
/// a letter whose documents a clerk must check. Configured in `[queue]`, with `defaults` when none are listed.
public struct QueueService: Hashable, Sendable {
    /// Short and stable (`KK`): what the record and the upload carry.
    public var code: String
    /// What the resident reads and hears: "Perubahan Kartu Keluarga".
    public var title: String

    public init(code: String, title: String) {
        self.code = code
        self.title = title
    }

    /// The services of the issue: the family card, and letters that need their documents checked.
    public static let defaults = [
        QueueService(code: "KK", title: "Perubahan Kartu Keluarga"),
        QueueService(code: "BERKAS", title: "Surat dengan Pemeriksaan Berkas"),
    ]
}

/// A queue number: OpenSID's `ddmmyy-NNN` (a daily counter from 001), with the kiosk's station after the counter
/// as letter numbers carry it (`061226-007-K2`), so kiosks of one village never give the same number. The counter
/// is taken in the transaction that records the ticket (docs/QUEUE.md).
public struct QueueNumber: Hashable, Sendable, CustomStringConvertible {
    public var day: CalendarDate
    public var counter: Int
    public var station: Int?

    public init(day: CalendarDate, counter: Int, station: Int? = nil) {
        self.day = day
        self.counter = counter
        self.station = station
    }

    /// `061226-007`, `061226-007-K2`.
    public var description: String {
        "\(day.day.zeroPadded(2))\(day.month.zeroPadded(2))\((day.year % 100).zeroPadded(2))-"
            + counter.zeroPadded(3) + (station.map { "-K\($0)" } ?? "")
    }
}

/// What a visitor asked for: a number for `service`, with the resident when a card was tapped (and the PIN typed),
/// `nil` when the ticket was taken without a card: such a ticket carries nothing personal anywhere.
public struct QueueRequest: Hashable, Sendable, CustomStringConvertible {
    public var service: QueueService
    public var resident: Resident?

    public init(service: QueueService, resident: Resident? = nil) {
        self.service = service
        self.resident = resident
    }

    public var description: String { "QueueRequest(\(service.code), card: \(resident != nil))" }
}

/// A recorded ticket: its number, its service and when it was taken (the kiosk's clock, WIB).
public struct QueueTicket: Hashable, Sendable {
    public var number: QueueNumber
    public var service: QueueService
    public var takenAt: Timestamp

    public init(number: QueueNumber, service: QueueService, takenAt: Timestamp) {
        self.number = number
        self.service = service
        self.takenAt = takenAt
    }

    /// `14.05 WIB`, the time of day on the slip.
    public var time: String {
        let seconds = Int(takenAt.millisecondsSince1970.floorDivided(by: 1000)) + TimeZoneOffset.wib
        let minutes = seconds.floorDivided(by: 60)
        let minuteOfDay = minutes - minutes.floorDivided(by: 1440) * 1440
        return "\((minuteOfDay / 60).zeroPadded(2)).\((minuteOfDay % 60).zeroPadded(2)) WIB"
    }
}

/// How taking a ticket ended.
public enum TicketOutcome: Hashable, Sendable {
    /// Recorded and printed.
    case printed(QueueTicket)
    /// Recorded, its number kept, but the slip did not print: the screen shows the number instead, and the record
    /// says it was not printed (docs/QUEUE.md says why the number is not taken back).
    case notPrinted(QueueTicket, PrinterProblem)
    /// Not recorded, so no number was given.
    case notTaken(IssueProblem)
}
