import Core
import Drivers
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Kiosk
@testable import KioskKit

@Suite("[speech]: configuration, the runtime's prompts, the doctor")
struct SpeechTests {
    static func config(_ speech: String) -> String {
        SampleConfig.valid + "\n\n[speech]\n" + speech
    }

    // MARK: - Configuration

    @Test func speechIsOffByDefaultAndEnabledIsTheOneSwitch() throws {
        let off = try SampleConfig.parse(SampleConfig.valid)
        #expect(off.speech == SpeechSettings())
        #expect(!off.speech.enabled)
        #expect(!off.policy.spokenPrompts)

        let on = try SampleConfig.parse(
            Self.config(
                "enabled = true\nvoice = \"id\"\nrate = 170\nvolume = 80\noutput = \"files\"\nfolder = \"speech\""))
        #expect(on.policy.spokenPrompts)
        #expect(
            on.speech.options
                == SpeechOptions(voice: "id", rate: 170, volume: 80, output: .files(folder: "/tmp/speech")))
    }

    @Test func theOldSessionKeyLoadsWhenFalseAndSaysWhereItWentWhenTrue() throws {
        let old = SampleConfig.valid.replacingOccurrences(
            of: "warning_seconds = 15", with: "warning_seconds = 15\nspoken_prompts = false")
        #expect(!(try SampleConfig.parse(old)).policy.spokenPrompts)

        let problems = SampleConfig.problems(
            old.replacingOccurrences(of: "spoken_prompts = false", with: "spoken_prompts = true"))
        #expect(problems.map(\.key) == ["session.spoken_prompts"])
        #expect(problems.first?.message.contains("[speech]") == true)
        #expect(problems.first?.message.contains("enabled = true") == true)
    }

    @Test(arguments: [
        ("rate = 20", "speech.rate", "80 to 450"),
        ("volume = 300", "speech.volume", "0 to 200"),
        ("enabled = \"yes\"", "speech.enabled", "true or false"),
        ("output = \"speaker\"", "speech.output", "\"audio\", \"files\""),
        ("output = \"files\"", "speech.folder", "missing"),
        ("folder = \"speech\"", "speech.folder", "only used with output = \"files\""),
        ("voice = \"-w /etc/passwd\"", "speech.voice", "voice name"),
        ("program = \"\"", "speech.program", "is empty"),
        ("pitch = 50", "speech.pitch", "unknown key"),
    ])
    func malformedValuesNameTheirKey(line: String, key: String, message: String) {
        let problems = SampleConfig.problems(Self.config(line.hasPrefix("enabled") ? line : "enabled = true\n" + line))
        #expect(problems.map(\.key) == [key])
        #expect(problems.first?.message.contains(message) == true, "\(problems)")
    }

    // MARK: - The runtime

    /// A speaker that remembers what it was asked, in order.
    final class RecordingSpeaker: PromptSpeaker {
        enum Call: Equatable {
            case speak(String, ScreenID, Int)
            case silence
        }

        let calls = NIOLockedValueBox<[Call]>([])

        func speak(_ prompt: String, screen: ScreenID, sequence: Int) {
            calls.withLockedValue { $0.append(.speak(prompt, screen, sequence)) }
        }

        func silence() { calls.withLockedValue { $0.append(.silence) } }
    }

    @Test func eachNewScreenIsSpokenWithTheNumberOfItsSnapshotAndTheCardLeavingSilencesIt() async throws {
        let speaker = RecordingSpeaker()
        let (capture, _, _) = try await KioskRuntimeTests.play(
            KioskRuntimeTests.domicileSession, config: Self.config("enabled = true"), speaker: speaker)
        let calls = speaker.calls.withLockedValue { $0 }
        let screens = capture.screens.withLockedValue { $0 }
        let spoken = calls.compactMap { call -> (String, ScreenID, Int)? in
            if case .speak(let prompt, let screen, let sequence) = call { return (prompt, screen, sequence) }
            return nil
        }
        // Every prompt belongs to the screen shown with that number, as the virtual display numbers snapshots.
        for (prompt, screen, sequence) in spoken {
            #expect(screens[sequence - 1].id == screen)
            #expect(screens[sequence - 1].prompt == prompt)
        }
        #expect(
            spoken.map { "\($0.1)" } == ["reading", "menu", "purpose", "confirm", "printing", "done", "idle"],
            "the start-up screen is not spoken; the printing screen once, not at every progress step")
        // The letter is out: the session's data is cleared (and whatever is still spoken stops) before done.
        let silence = try #require(calls.firstIndex(of: .silence))
        // The sample kiosk keeps letters as files: its done screen sends nobody to a printer.
        #expect(calls[silence + 1] == .speak(Teks.doneSavedPrompt, .done, spoken[5].2))
    }

    @Test func theCardLeavingMidFlowSilencesThePromptBeforeTheIdleScreenSpeaks() async throws {
        let speaker = RecordingSpeaker()
        let (capture, _, _) = try await KioskRuntimeTests.play(
            KioskRuntimeTests.removalMidFlow, config: Self.config("enabled = true"), speaker: speaker)
        let count = capture.screens.withLockedValue { $0.count }
        // The last silence is the kiosk stopping (the script ended): nothing is left speaking after it.
        #expect(
            speaker.calls.withLockedValue { $0 }.suffix(4) == [
                .speak(Teks.purposePrompt, .purpose, count - 1), .silence, .speak(Teks.idlePrompt, .idle, count),
                .silence,
            ])
    }

    @Test func withSpeechOffNothingIsSpoken() async throws {
        let speaker = RecordingSpeaker()
        _ = try await KioskRuntimeTests.play(KioskRuntimeTests.domicileSession, speaker: speaker)
        #expect(!speaker.calls.withLockedValue { $0 }.contains { if case .speak = $0 { true } else { false } })
    }

    // MARK: - The doctor

    @Test func theDoctorChecksEspeakAndItsVoiceOnlyWhenSpeechIsOn() throws {
        #expect(Doctor.speech(SpeechSettings()).verdict == .ok)
        #expect(Doctor.speech(SpeechSettings()).detail.hasPrefix("off"))

        var missing = SpeechSettings()
        missing.enabled = true
        missing.program = "/nonexistent/espeak-ng"
        let finding = Doctor.speech(missing)
        #expect(finding.verdict == .fail)
        #expect(finding.fix == "apt-get install espeak-ng")

        var voice = SpeechSettings()
        voice.enabled = true
        voice.voice = "zz-none"
        let noVoice = Doctor.speech(voice)
        #expect(noVoice.verdict == .fail, "espeak-ng missing? apt-get install espeak-ng: \(noVoice.detail)")
        #expect(noVoice.detail.contains("zz-none"))

        var real = SpeechSettings()
        real.enabled = true
        let ok = Doctor.speech(real)
        #expect(ok.verdict == .ok, "the speech tests need espeak-ng: apt-get install espeak-ng (\(ok.detail))")
    }
}
