import Glibc

/// Why a prompt cannot be spoken, with what a technician does about it.
public enum SpeechError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The espeak-ng program is not installed (or not at the configured path).
    case programMissing(program: String)
    /// espeak-ng has no such voice.
    case voiceMissing(voice: String)
    /// espeak-ng ran but ended with a failure status, or was ended by a signal nobody sent (`status` nil).
    case programFailed(program: String, status: Int32?)
    /// A system call around the child failed with `errno`.
    case system(call: String, code: Int32)
    /// The prompt is longer than the kiosk hands to espeak-ng in one go (`Spawn.maximumInput` bytes).
    case promptTooLong(bytes: Int)

    public var description: String {
        switch self {
        case .programMissing(let program):
            return "\(program) is not installed: apt-get install espeak-ng (or fix [speech] program)"
        case .voiceMissing(let voice):
            return
                "espeak-ng has no voice \"\(voice)\" (espeak-ng --voices lists them): apt-get install espeak-ng-data, "
                + "or set [speech] voice = \"id\" for Indonesian"
        case .programFailed(let program, let status):
            let how = status.map { "with status \($0)" } ?? "by a signal"
            return
                "\(program) ended \(how): run kiosk test-speech to hear it, and check the voice and the sound device (aplay -l)"
        case .system(let call, let code):
            return "\(call) failed: \(SystemCall.describe(code)) (errno \(code))"
        case .promptTooLong(let bytes):
            return "a prompt of \(bytes) bytes is too long to speak (at most \(Int(PIPE_BUF)))"
        }
    }
}
