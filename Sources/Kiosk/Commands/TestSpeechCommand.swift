import ArgumentParser
import Core
import Drivers
import Foundation
import KioskKit
import Logging

/// `kiosk test-speech`: the idle screen's prompt with the configured voice, rate, volume and output, so a technician
/// hears the loudspeaker (or finds the WAV file) before the first resident does. Works with speech still off.
struct TestSpeechCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-speech",
        abstract: "Speak the idle screen's prompt with the configured espeak-ng voice, rate, volume and output.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings().speech
        if !settings.enabled {
            print("speech is off in the configuration ([speech] enabled = false); testing it anyway")
        }
        if case .files(let folder) = settings.options.output {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let (events, continuation) = AsyncStream.makeStream(of: SpeechEvent.self)
        let speaker = Speaker(options: settings.options) { continuation.yield($0) }
        do {
            try await speaker.check()
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let name = "test-speech"
        speaker.speak(Teks.idlePrompt, name: name)
        for await event in events {
            guard case .finished(_, let outcome) = event else { continue }
            switch (outcome, settings.options.output) {
            case (.spoken, .audio):
                print("spoke \"\(Teks.idlePrompt)\" (voice \(settings.voice), \(settings.rate) words/min)")
            case (.spoken, .files(let folder)):
                print("wrote \(folder)/\(name).wav (voice \(settings.voice), \(settings.rate) words/min)")
            case (.stopped, _):
                print("stopped before the end")
            case (.failed(let error), _):
                printError("\(error)")
                throw ExitCode(1)
            }
            return
        }
    }
}
