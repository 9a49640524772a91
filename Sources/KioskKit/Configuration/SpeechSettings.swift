package import Drivers

/// `[speech]`: spoken prompts, one per screen, through espeak-ng. The one switch for speech: `enabled` also makes
/// the state machine emit its `.speak` effects (the old `[session] spoken_prompts` is gone).
///
///     [speech]
///     enabled = true
///     voice = "id"            # espeak-ng's Indonesian voice
///     rate = 150              # words per minute (espeak-ng -s, 80-450)
///     volume = 100            # espeak-ng -a, 0-200
///     output = "audio"        # the sound device; "files": NNN-<screen>.wav into folder (demo, tests)
///     folder = "speech"       # with output = "files", relative to the configuration file
package struct SpeechSettings: Sendable, Equatable {
    package enum Output: String, Sendable, CaseIterable {
        case audio
        case files
    }

    package var enabled = false
    var program = "espeak-ng"
    package var voice = "id"
    package var rate = 150
    package var volume = 100
    var output = Output.audio
    /// Where `.files` output writes; absolute.
    var folder: String?

    package var options: SpeechOptions {
        SpeechOptions(
            program: program, voice: voice, rate: rate, volume: volume,
            output: output == .files ? .files(folder: folder ?? ".") : .audio)
    }

    /// Reads `[speech]`, reporting every bad value to the section's report; `resolve` makes a path absolute.
    static func parse(_ section: TOMLSection, resolve: (String) -> String) -> SpeechSettings {
        var settings = SpeechSettings()
        settings.enabled = section.bool("enabled", default: settings.enabled)
        settings.program = section.string("program") ?? settings.program
        if settings.program.isEmpty {
            section.problem("program", "is empty; leave it out to use espeak-ng from PATH")
            settings.program = "espeak-ng"
        }
        if let voice = section.string("voice") {
            // Handed to espeak-ng as -v VOICE: a name, never something it could take for an option.
            if !voice.isEmpty, voice.first != "-",
                voice.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_+/".contains($0)) })
            {
                settings.voice = voice
            } else {
                section.problem("voice", "found \"\(voice)\", expected an espeak-ng voice name such as \"id\"")
            }
        }
        settings.rate = section.int("rate", default: settings.rate, range: 80...450)
        settings.volume = section.int("volume", default: settings.volume, range: 0...200)
        settings.output = section.choice("output", default: settings.output)
        settings.folder = section.string("folder").map(resolve)
        switch (settings.output, settings.folder) {
        case (.files, nil):
            section.problem(
                "folder", "missing; output = \"files\" writes NNN-<screen>.wav there, e.g. folder = \"speech\"")
        case (.audio, .some):
            section.problem("folder", "is only used with output = \"files\"; remove it or set output = \"files\"")
        default:
            break
        }
        section.rejectUnknownKeys()
        return settings
    }
}
