import Drivers
import Foundation
import Logging

/// The speaker `[speech]` configures, checked once at start.
package enum SpeechSetup {
    /// `nil` when speech is off. A missing espeak-ng or voice is logged as an error with its fix, and the kiosk
    /// starts anyway: residents are still served on screen, each failed prompt is logged once, and speech works as
    /// soon as the package is installed.
    static func speaker(_ settings: SpeechSettings, logger: Logger) async throws -> Speaker? {
        guard settings.enabled else { return nil }
        if case .files(let folder) = settings.options.output {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let speaker = Speaker(options: settings.options, logger: logger)
        do {
            try await speaker.check()
            logger.info(
                "spoken prompts on",
                metadata: [
                    "voice": "\(settings.voice)", "rate": "\(settings.rate)", "volume": "\(settings.volume)",
                    "output": "\(settings.output.rawValue)",
                ])
        } catch {
            logger.error("spoken prompts unavailable; the kiosk runs without them", metadata: ["problem": "\(error)"])
        }
        return speaker
    }
}
