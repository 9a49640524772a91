public import Logging

/// Log lines for journald: one line per event, the syslog priority as an `<N>` prefix that journald reads from a
/// service's stderr (sd-daemon(3)), metadata as `key=value`. Outside journald (a terminal, a test) the prefix
/// becomes the level's name.
///
/// Personal data never goes through here: callers log record ids, letter codes and masked values only.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let underJournald: Bool
    let write: @Sendable (String) -> Void

    /// `underJournald`: whether stderr is connected to the journal (systemd sets `JOURNAL_STREAM`).
    public init(
        label: String, level: Logger.Level = .info, underJournald: Bool, write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.logLevel = level
        self.underJournald = underJournald
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let message = "\(event.message)".replacingNewlines()
        let prefix = underJournald ? "<\(Self.priority(event.level))>" : "\(event.level.rawValue.uppercased()) "
        write("\(prefix)\(label): \(message)\(fields)\n")
    }

    /// The syslog priority journald files a level under.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}

extension String {
    /// One event, one journal line.
    func replacingNewlines() -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ")
    }
}
