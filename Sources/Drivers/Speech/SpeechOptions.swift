/// How prompts are spoken: which espeak-ng, which voice, how fast and loud, and where the sound goes.
public struct SpeechOptions: Sendable, Equatable {
    /// Where the speech goes.
    public enum Output: Sendable, Equatable {
        /// espeak-ng plays each prompt on the default sound device (ALSA or PulseAudio); a new prompt or
        /// `Speaker.silence()` stops the one still playing.
        case audio
        /// espeak-ng writes each prompt as `NNN-<screen>.wav` into the folder (`-w`), numbered like the virtual
        /// display's snapshots so the two line up. A recorder for the demo and tests: every prompt is written in
        /// full, in order, and `silence()` has nothing to stop.
        case files(folder: String)
    }

    /// The espeak-ng executable, looked up in `PATH` unless it contains a slash.
    public var program: String
    /// The espeak-ng voice (`-v`): `id` is Indonesian.
    public var voice: String
    /// Words per minute (`-s`, espeak-ng allows 80-450; 175 is its default).
    public var rate: Int
    /// Amplitude (`-a`, 0-200; 100 is espeak-ng's default).
    public var volume: Int
    public var output: Output

    public init(
        program: String = "espeak-ng", voice: String = "id", rate: Int = 150, volume: Int = 100,
        output: Output = .audio
    ) {
        self.program = program
        self.voice = voice
        self.rate = rate
        self.volume = volume
        self.output = output
    }

    /// espeak-ng's arguments for one prompt, read from standard input (`--stdin`); `file` for the files output.
    /// Never the prompt itself: a command line is readable by every user in /proc.
    func arguments(file: String?) -> [String] {
        ["-v", voice, "-s", "\(rate)", "-a", "\(volume)"] + (file.map { ["-w", $0] } ?? []) + ["--stdin"]
    }
}
