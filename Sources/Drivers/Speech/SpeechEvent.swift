/// What happened to one prompt, for tests and the technician's `kiosk test-speech` (never its text).
public enum SpeechEvent: Sendable, Equatable {
    /// espeak-ng started for the prompt `name` (`NNN-<screen>`) as process `pid`.
    case started(name: String, pid: Int32)
    /// It ended: spoken in full, stopped by a newer prompt or `silence()`, or failed.
    case finished(name: String, outcome: Outcome)

    public enum Outcome: Sendable, Equatable {
        case spoken
        case stopped
        case failed(SpeechError)
    }
}
