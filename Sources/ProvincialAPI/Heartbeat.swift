public import Foundation

/// `POST /v1/heartbeats`: the kiosk's health, sent on an interval.
public struct Heartbeat: Codable, Hashable, Sendable {
    public var kioskId: String
    public var softwareVersion: String
    /// The git commit the kiosk was built from; absent when the build did not record it.
    public var softwareCommit: String?
    /// When the kiosk's binary was built; absent when the build did not record it.
    public var softwareBuiltAt: Date?
    public var sentAt: Date
    public var uptimeSeconds: Int
    public var clockSynced: Bool
    public var printer: Printer
    /// Records waiting for upload.
    public var queueDepth: Int
    public var oldestPendingAt: Date?
    public var lastUploadAt: Date?
    /// Records the server refused, kept on the kiosk for an operator.
    public var rejectedRecords: Int
    /// A resident is being served at this moment (the kiosk's busy marker): an update can wait. Absent when the
    /// kiosk cannot tell (not under systemd).
    public var busy: Bool?
    /// The receipt/slip printer as its last job or check found it; absent on a kiosk without one.
    public var thermalPrinter: ThermalPrinter?
    /// The operator's last "Hentikan Layanan" / "Buka Layanan"; absent while no operator has switched it.
    public var service: Service?

    public struct Printer: Codable, Hashable, Sendable {
        /// `ready`, a `PrinterProblem` name, or `unknown`.
        public var status: String

        public init(status: String) { self.status = status }
    }

    public struct ThermalPrinter: Codable, Hashable, Sendable {
        /// `ready`, `paperNearEnd`, a `PrinterProblem` name, or `unknown` (a printer that does not answer status).
        public var status: String
        /// When the kiosk last learnt it.
        public var at: Date

        public init(status: String, at: Date) {
            self.status = status
            self.at = at
        }
    }

    public struct Service: Codable, Hashable, Sendable {
        public enum Status: String, Codable, Hashable, Sendable {
            case open, stopped
        }
        public var status: Status
        /// The operator card that switched it, masked (`****BEEF`): never the whole UID.
        public var changedBy: String
        public var changedAt: Date

        public init(status: Status, changedBy: String, changedAt: Date) {
            self.status = status
            self.changedBy = changedBy
            self.changedAt = changedAt
        }
    }

    public init(
        kioskId: String, softwareVersion: String, sentAt: Date, uptimeSeconds: Int, clockSynced: Bool,
        printer: Printer, queueDepth: Int, oldestPendingAt: Date?, lastUploadAt: Date?, rejectedRecords: Int,
        softwareCommit: String? = nil, softwareBuiltAt: Date? = nil, busy: Bool? = nil,
        thermalPrinter: ThermalPrinter? = nil, service: Service? = nil
    ) {
        self.kioskId = kioskId
        self.softwareVersion = softwareVersion
        self.sentAt = sentAt
        self.uptimeSeconds = uptimeSeconds
        self.clockSynced = clockSynced
        self.printer = printer
        self.queueDepth = queueDepth
        self.oldestPendingAt = oldestPendingAt
        self.lastUploadAt = lastUploadAt
        self.rejectedRecords = rejectedRecords
        self.softwareCommit = softwareCommit
        self.softwareBuiltAt = softwareBuiltAt
        self.busy = busy
        self.thermalPrinter = thermalPrinter
        self.service = service
    }
}
