public import Core
import Foundation
import Glibc
public import Logging

/// Speaks screen prompts with espeak-ng, one child process per prompt, the text on its standard input.
///
/// A class with one dedicated thread rather than an actor: each prompt means `posix_spawn` and a blocking wait for
/// the child, which must never occupy a thread of Swift's cooperative pool (the kiosk's event loop runs there).
/// `speak` and `silence` only take a lock, note the request and, where a prompt is playing, send its process
/// group SIGTERM (`kill` does not block); the thread does the spawning, the waiting and the reaping. The thread
/// starts with the first prompt, so a kiosk with speech configured but never used has none.
///
/// Latest wins in `.audio` output: a new prompt stops the one still playing, and only the newest waiting prompt
/// is kept. `.files` output records every prompt in full, in order. A failed prompt is logged once (by screen
/// name, never its text) until speech works again, and never reaches the caller.
public final class Speaker: PromptSpeaker, @unchecked Sendable {
    public let options: SpeechOptions
    /// State shared with the thread; everything in it is guarded by its condition's lock.
    private let shared: Shared

    /// `observer` hears each prompt start and end (tests, `kiosk test-speech`); it is called on the speech thread.
    public init(
        options: SpeechOptions, logger: Logger = Logger(label: "kiosk.speech"),
        observer: (@Sendable (SpeechEvent) -> Void)? = nil
    ) {
        self.options = options
        shared = Shared(options: options, logger: logger, observer: observer)
    }

    deinit {
        shared.close()
    }

    /// Starts speaking `prompt`; returns at once. `screen` and `sequence` name it in logs and files
    /// (`NNN-<screen>.wav`).
    public func speak(_ prompt: String, screen: ScreenID, sequence: Int) {
        speak(prompt, name: Self.name(screen: screen, sequence: sequence))
    }

    /// Starts speaking `prompt` under `name` (a file name without `.wav`, a log label); returns at once.
    public func speak(_ prompt: String, name: String) {
        shared.enqueue(Request(text: prompt, name: name))
    }

    /// Stops the prompt playing and drops the waiting ones (`.audio`); returns at once. Nothing to stop in `.files`.
    public func silence() {
        shared.silence()
    }

    /// Waits until every prompt asked for has ended: with `.files` output, until all are written (the end of a
    /// scripted `kiosk run`, whose last screen would otherwise lose its file). Waits on a thread of its own.
    public func drain() async {
        let shared = shared
        await BlockingQueue(label: "kiosk.speech.drain").run { shared.waitUntilIdle() }
    }

    /// `NNN-<screen>`, numbered as `DisplaySetup` numbers the virtual display's snapshots.
    public static func name(screen: ScreenID, sequence: Int) -> String {
        let number = String(sequence)
        return String(repeating: "0", count: max(0, 3 - number.count)) + number + "-\(screen)"
    }

    /// Whether the program runs and has the voice: espeak-ng synthesises one letter without playing it (`-q`).
    /// Blocks for the few milliseconds that takes: for start-up and the doctor, not for the kiosk's loop.
    public static func check(_ options: SpeechOptions) throws(SpeechError) {
        let pid: pid_t
        do {
            pid = try Spawn.start(options.program, ["-q", "-v", options.voice, "--stdin"], input: Array("a".utf8))
        } catch {
            throw SpeechError(error, program: options.program)
        }
        Spawn.waitForExit(pid)
        switch Spawn.reap(pid) {
        case 0: return
        // espeak-ng exits with 1 when the voice does not exist ("The specified espeak-ng voice does not exist").
        case 1: throw .voiceMissing(voice: options.voice)
        case let status: throw .programFailed(program: options.program, status: status)
        }
    }

    /// `check` on a thread of its own, for async callers.
    public func check() async throws(SpeechError) {
        let options = options
        try await BlockingQueue(label: "kiosk.speech.check").run { () throws(SpeechError) in
            try Self.check(options)
        }
    }

    struct Request: Sendable {
        var text: String
        var name: String
    }

    /// The queue, the child playing now and the thread, behind one lock.
    private final class Shared: @unchecked Sendable {
        let options: SpeechOptions
        let logger: Logger
        let observer: (@Sendable (SpeechEvent) -> Void)?
        let condition = NSCondition()
        var waiting: [Request] = []
        /// The child speaking now, and whether it was asked to stop.
        var playing: (pid: pid_t, stopping: Bool)?
        var threadStarted = false
        /// The thread is on a prompt (from taking it off the queue until it has ended).
        var busy = false
        var closed = false
        /// A failure was logged and speech has not worked since: further failures are logged at debug only.
        var failing = false

        init(options: SpeechOptions, logger: Logger, observer: (@Sendable (SpeechEvent) -> Void)?) {
            self.options = options
            self.logger = logger
            self.observer = observer
        }

        var latestWins: Bool { options.output == .audio }

        func enqueue(_ request: Request) {
            condition.withLock {
                guard !closed else { return }
                if latestWins {
                    waiting = [request]
                    stopPlaying()
                } else {
                    waiting.append(request)
                }
                if !threadStarted {
                    threadStarted = true
                    let thread = Thread { [self] in run() }
                    thread.name = "kiosk.speech"
                    thread.start()
                }
                condition.broadcast()
            }
        }

        func silence() {
            condition.withLock {
                guard latestWins else { return }
                waiting.removeAll()
                stopPlaying()
            }
        }

        func close() {
            condition.withLock {
                closed = true
                waiting.removeAll()
                stopPlaying()
                condition.broadcast()
            }
        }

        func waitUntilIdle() {
            condition.withLock {
                while busy || !waiting.isEmpty, !closed { condition.wait() }
            }
        }

        /// Under the lock: SIGTERM to the playing child's group. Its pid cannot have been reused: the thread reaps
        /// it only after clearing `playing`, under this same lock.
        private func stopPlaying() {
            guard let current = playing, !current.stopping else { return }
            playing?.stopping = true
            Spawn.terminateGroup(current.pid)
        }

        /// The speech thread: one prompt after another, until closed.
        private func run() {
            while true {
                condition.lock()
                while waiting.isEmpty, !closed { condition.wait() }
                if closed {
                    condition.unlock()
                    return
                }
                let request = waiting.removeFirst()
                busy = true
                condition.unlock()
                let outcome = speak(request)
                report(request, outcome)
                observer?(.finished(name: request.name, outcome: outcome))
                condition.withLock {
                    busy = false
                    condition.broadcast()
                }
            }
        }

        private func speak(_ request: Request) -> SpeechEvent.Outcome {
            let file: String? =
                switch options.output {
                case .audio: nil
                case .files(let folder): folder + "/" + request.name + ".wav"
                }
            let input = Array(request.text.utf8)
            guard input.count <= Spawn.maximumInput else { return .failed(.promptTooLong(bytes: input.count)) }
            let pid: pid_t
            do {
                pid = try Spawn.start(
                    options.program, options.arguments(file: file), input: input)
            } catch {
                return .failed(SpeechError(error, program: options.program))
            }
            condition.withLock {
                playing = (pid, false)
                // A newer prompt (or silence) may have come while the child started, before anyone could stop it.
                if closed || (latestWins && !waiting.isEmpty) { stopPlaying() }
            }
            observer?(.started(name: request.name, pid: pid))
            Spawn.waitForExit(pid)
            let stopped = condition.withLock {
                defer { playing = nil }
                return playing?.stopping ?? false
            }
            let status = Spawn.reap(pid)
            if stopped || status != 0, let file {
                _ = unlink(file)  // no half-written WAV left to mislead
            }
            if stopped { return .stopped }
            return status == 0 ? .spoken : .failed(.programFailed(program: options.program, status: status))
        }

        /// One warning when speech starts failing, one notice when it works again; never the prompt's text.
        private func report(_ request: Request, _ outcome: SpeechEvent.Outcome) {
            switch outcome {
            case .spoken:
                if failing {
                    failing = false
                    logger.notice("spoken prompts work again", metadata: ["prompt": "\(request.name)"])
                }
            case .stopped:
                break
            case .failed(let error):
                if failing {
                    logger.debug("spoken prompt failed", metadata: ["prompt": "\(request.name)", "error": "\(error)"])
                } else {
                    failing = true
                    logger.warning(
                        "spoken prompt failed; the kiosk goes on without speech",
                        metadata: ["prompt": "\(request.name)", "error": "\(error)"])
                }
            }
        }
    }
}

extension SpeechError {
    /// A failed spawn as a speech problem: a missing program named with its package.
    init(_ failure: Spawn.Failure, program: String) {
        switch (failure.call, failure.code) {
        case ("posix_spawnp", ENOENT), ("posix_spawnp", EACCES): self = .programMissing(program: program)
        default: self = .system(call: failure.call, code: failure.code)
        }
    }
}
