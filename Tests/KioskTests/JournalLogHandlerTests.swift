import Drivers
import Logging
import NIOConcurrencyHelpers
import Testing

@Suite("journald log lines")
struct JournalLogHandlerTests {
    static func lines(underJournald: Bool, _ body: (Logger) -> Void) -> [String] {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "kiosk.test") { label in
            JournalLogHandler(label: label, level: .info, underJournald: underJournald) { line in
                lines.withLockedValue { $0.append(line) }
            }
        }
        body(logger)
        return lines.withLockedValue { $0 }
    }

    @Test func journaldGetsSyslogPrioritiesAndOneLinePerEvent() {
        let lines = Self.lines(underJournald: true) { logger in
            logger.error("printer gone\nretrying", metadata: ["queue": "kiosk"])
            logger.notice("service recorded")
            logger.debug("below the level")
        }
        #expect(lines == ["<3>kiosk.test: printer gone retrying queue=kiosk\n", "<5>kiosk.test: service recorded\n"])
    }

    @Test func aTerminalGetsLevelNames() {
        let lines = Self.lines(underJournald: false) { $0.warning("disk nearly full") }
        #expect(lines == ["WARNING kiosk.test: disk nearly full\n"])
    }

    @Test(arguments: [
        (Logger.Level.critical, 2), (.error, 3), (.warning, 4), (.notice, 5), (.info, 6), (.debug, 7), (.trace, 7),
    ])
    func prioritiesFollowSyslog(level: Logger.Level, priority: Int) {
        #expect(JournalLogHandler.priority(level) == priority)
    }
}
