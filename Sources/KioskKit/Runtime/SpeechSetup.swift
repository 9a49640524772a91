import Drivers
import Foundation
import Logging
import ServiceLifecycle

/// The speaker `[speech]` configures, and its check.
package enum SpeechSetup {
    /// `nil` when speech is off.
    static func speaker(_ settings: SpeechSettings, logger: Logger) throws -> Speaker? {
        guard settings.enabled else { return nil }
        if case .files(let folder) = settings.options.output {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return Speaker(options: settings.options, logger: logger)
    }

    /// Whether espeak-ng runs and has the voice. A missing espeak-ng or voice is logged as an error with its fix, and
    /// the kiosk runs anyway: residents are still served on screen, each failed prompt is logged once, and speech
    /// works as soon as the package is installed. As nothing is refused, `kiosk run` checks after READY=1: the
    /// espeak-ng child takes 10-20 ms that the first screen need not wait for (`kiosk doctor` checks it too).
    struct Check: Service {
        let speaker: Speaker
        let settings: SpeechSettings
        let logger: Logger

        func run() async throws {
            do {
                try await speaker.check()
                logger.info(
                    "spoken prompts on",
                    metadata: [
                        "voice": "\(settings.voice)", "rate": "\(settings.rate)", "volume": "\(settings.volume)",
                        "output": "\(settings.output.rawValue)",
                    ])
            } catch {
                logger.error(
                    "spoken prompts unavailable; the kiosk runs without them", metadata: ["problem": "\(error)"])
            }
        }
    }
}
