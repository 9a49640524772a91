import Core
import Drivers
import Foundation
import Glibc
import Logging
import NIOConcurrencyHelpers
import Testing

/// The speaker against the real espeak-ng (files output) and against a stand-in espeak-ng that records what it got
/// and then waits to be killed (audio output): latest wins, silence, what the child inherits.
@Suite("Speaker: espeak-ng prompts", .serialized, .timeLimit(.minutes(1)))
struct SpeakerTests {
    /// A speaker whose events arrive on a stream.
    struct Observed {
        let speaker: Speaker
        var events: AsyncStream<SpeechEvent>.Iterator
        let logs = Logs()

        final class Logs: Sendable {
            let lines = NIOLockedValueBox<[String]>([])
        }

        init(_ options: SpeechOptions) {
            let (stream, continuation) = AsyncStream.makeStream(of: SpeechEvent.self)
            let logs = logs
            let logger = Logger(label: "kiosk.speech") { label in
                JournalLogHandler(label: label, level: .debug, underJournald: true) { line in
                    logs.lines.withLockedValue { $0.append(line) }
                }
            }
            speaker = Speaker(options: options, logger: logger) { continuation.yield($0) }
            events = stream.makeAsyncIterator()
        }

        mutating func next(sourceLocation: SourceLocation = #_sourceLocation) async throws -> SpeechEvent {
            try #require(await events.next(), sourceLocation: sourceLocation)
        }

        /// The next `.started` event's pid.
        mutating func started(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> pid_t {
            let event = try await next(sourceLocation: sourceLocation)
            guard case .started(name, let pid) = event else {
                Issue.record("expected \(name) to start, got \(event)", sourceLocation: sourceLocation)
                throw Stop()
            }
            return pid
        }
    }

    struct Stop: Error {}

    /// A temporary folder, removed at the end.
    final class Folder {
        let path: String

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("speech-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func read(_ name: String) -> String? {
            try? String(contentsOfFile: path + "/" + name, encoding: .utf8)
        }

        /// Waits for the stand-in to have written `name` (it writes its files as soon as it starts). Fails, never
        /// passes, on time: a test asserts on the file's content, not on how long it took.
        func waitFor(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            for _ in 0..<1000 {
                if let text = read(name), text.hasSuffix("\n") { return text }
                try await Task.sleep(for: .milliseconds(10))
            }
            Issue.record("the stand-in espeak-ng never wrote \(name)", sourceLocation: sourceLocation)
            throw Stop()
        }
    }

    /// The stand-in espeak-ng: records its arguments, its standard input and its own child,
    /// then waits until killed. Its files are named by its pid.
    static func standIn(in folder: Folder) throws -> String {
        let path = folder.path + "/espeak-ng"
        let script = """
            #!/bin/sh
            dir=$(dirname "$0")
            printf '%s\\n' "$@" > "$dir/args-$$"
            cat > "$dir/stdin-$$"
            sleep 600 &
            echo $! > "$dir/child-$$"
            wait
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        guard chmod(path, 0o755) == 0 else { throw Stop() }
        return path
    }

    /// espeak-ng must be installed: a missing one fails the test with the package to install, never skips it.
    static func requireEspeak(sourceLocation: SourceLocation = #_sourceLocation) throws {
        do throws(SpeechError) {
            try Speaker.check(SpeechOptions())
        } catch {
            Issue.record("\(error) (the speech tests run the real espeak-ng)", sourceLocation: sourceLocation)
            throw Stop()
        }
    }

    /// Whether `pid` is gone: no such process (killed and reaped by the speaker).
    static func isGone(_ pid: pid_t) -> Bool {
        kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Whether `pid` no longer runs: gone, or a zombie waiting for a parent that is not the speaker.
    static func isNotRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    /// Waits for `pid` to stop running; false only if it still runs after ten seconds.
    static func stops(_ pid: pid_t) async -> Bool {
        for _ in 0..<1000 {
            if isNotRunning(pid) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    // MARK: - The real espeak-ng

    /// The header of a PCM WAV file and the length of its data chunk.
    struct WAV {
        var channels: Int
        var sampleRate: Int
        var bitsPerSample: Int
        var dataBytes: Int
        var riffSize: Int

        init?(_ bytes: [UInt8]) {
            func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
            func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
            guard bytes.count >= 44, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8),
                bytes[12..<16].elementsEqual("fmt ".utf8), u16(20) == 1
            else { return nil }
            channels = u16(22)
            sampleRate = u32(24)
            bitsPerSample = u16(34)
            riffSize = u32(4)
            // The data chunk follows the fmt chunk (16 bytes of fmt in espeak-ng's files).
            let data = 20 + u32(16)
            guard bytes.count >= data + 8, bytes[data..<data + 4].elementsEqual("data".utf8) else { return nil }
            dataBytes = u32(data + 4)
        }
    }

    /// The real espeak-ng writing WAV files into a new folder.
    static func recorder() throws -> (Folder, Observed) {
        try requireEspeak()
        let folder = try Folder()
        return (folder, Observed(SpeechOptions(output: .files(folder: folder.path))))
    }

    @Test("files output: the prompt becomes NNN-<screen>.wav, a complete PCM WAV as long as the sentence")
    func filesOutputWritesAWAV() async throws {
        let (folder, recorder) = try Self.recorder()
        var observed = recorder
        observed.speaker.speak(Teks.idlePrompt, screen: .idle, sequence: 3)
        _ = try await observed.started("003-idle")
        #expect(try await observed.next() == .finished(name: "003-idle", outcome: .spoken))

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder.path + "/003-idle.wav")))
        let wav = try #require(WAV(bytes), "not a PCM WAV file")
        #expect(wav.channels == 1)
        #expect(wav.sampleRate == 22_050)
        #expect(wav.bitsPerSample == 16)
        // Complete: espeak-ng patches the sizes in when it finishes.
        #expect(wav.riffSize == bytes.count - 8)
        #expect(wav.dataBytes == bytes.count - 44)
        // At least 20 ms of sound per character at 150 words/min (about 60 ms is usual): the sentence, not a blip.
        let minimum = Teks.idlePrompt.count * wav.sampleRate * 2 / 50
        #expect(wav.dataBytes >= minimum, "\(wav.dataBytes) bytes of sound for \(Teks.idlePrompt.count) characters")
    }

    @Test("files output records every prompt in full, in order, and drain() waits for them all")
    func filesOutputKeepsEveryPrompt() async throws {
        let (folder, recorder) = try Self.recorder()
        var observed = recorder
        observed.speaker.speak(Teks.readingPrompt, screen: .readingCard, sequence: 2)
        observed.speaker.speak(Teks.pinPrompt, screen: .pinEntry, sequence: 3)
        observed.speaker.silence()  // nothing to stop in a recording
        await observed.speaker.drain()  // both written when it returns
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["002-reading.wav", "003-pin.wav"])
        var finished: [SpeechEvent] = []
        while finished.count < 2 {
            let event = try await observed.next()
            if case .finished = event { finished.append(event) }
        }
        #expect(
            finished == [
                .finished(name: "002-reading", outcome: .spoken), .finished(name: "003-pin", outcome: .spoken),
            ])
    }

    @Test("a voice espeak-ng does not have is found by the check, with what to do")
    func missingVoice() throws {
        try Self.requireEspeak()
        #expect(throws: SpeechError.voiceMissing(voice: "zz-none")) {
            try Speaker.check(SpeechOptions(voice: "zz-none"))
        }
        #expect(SpeechError.voiceMissing(voice: "zz-none").description.contains("apt-get install espeak-ng-data"))
    }

    // MARK: - A stand-in espeak-ng

    @Test("the text goes on standard input, never on the command line; the child inherits only fds 0, 1 and 2")
    func textOnStandardInputOnly() async throws {
        let folder = try Folder()
        // A descriptor without O_CLOEXEC, as a careless library would leave one: the child must not get it.
        let leak = open("/dev/zero", O_RDONLY)
        #expect(leak > 2)
        defer { close(leak) }
        var observed = Observed(SpeechOptions(program: try Self.standIn(in: folder), rate: 160, volume: 120))
        let prompt = "Selamat datang, I KETUT WIRAWAN."
        observed.speaker.speak(prompt, screen: .idle, sequence: 1)
        let pid = try await observed.started("001-idle")
        _ = try await folder.waitFor("child-\(pid)")

        #expect(folder.read("stdin-\(pid)") == prompt)
        let arguments = try #require(folder.read("args-\(pid)")).split(separator: "\n").map(String.init)
        #expect(arguments == ["-v", "id", "-s", "160", "-a", "120", "--stdin"])
        let commandLine = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
        #expect(!commandLine.contains("WIRAWAN"))
        #expect(!commandLine.contains("Selamat"))

        // What the stand-in holds open while it waits (the shell's redirections are over by then).
        let fdFolder = "/proc/\(pid)/fd"
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: fdFolder).map {
            [$0, (try? FileManager.default.destinationOfSymbolicLink(atPath: fdFolder + "/" + $0)) ?? "?"]
        }
        #expect(descriptors.count >= 3)
        for descriptor in descriptors {
            switch descriptor[0] {
            case "0": #expect(descriptor[1].hasPrefix("pipe:"))
            case "1", "2": #expect(descriptor[1] == "/dev/null")
            // The shell keeps the script it reads open; anything else was inherited.
            default: #expect(descriptor[1].hasSuffix("/espeak-ng"), "inherited fd \(descriptor[0]): \(descriptor[1])")
            }
        }
        #expect(!descriptors.contains { $0.last == "/dev/zero" })
        observed.speaker.silence()
        #expect(try await observed.next() == .finished(name: "001-idle", outcome: .stopped))
    }

    @Test("latest wins: a new prompt kills the one speaking (its whole process group) and reaps it; silence too")
    func latestWinsAndSilence() async throws {
        let folder = try Folder()
        var observed = Observed(SpeechOptions(program: try Self.standIn(in: folder)))
        observed.speaker.speak(Teks.readingPrompt, screen: .readingCard, sequence: 2)
        let first = try await observed.started("002-reading")
        let firstChild = try #require(
            pid_t(try await folder.waitFor("child-\(first)").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!Self.isGone(first))

        observed.speaker.speak(Teks.pinPrompt, screen: .pinEntry, sequence: 3)
        #expect(try await observed.next() == .finished(name: "002-reading", outcome: .stopped))
        #expect(Self.isGone(first), "the first espeak-ng was killed and reaped")
        // Its own child got SIGTERM with it (the process group) and dies a moment later; without the group kill it
        // would sleep on for ten minutes.
        #expect(await Self.stops(firstChild), "its own child (the process group) was killed too")
        let second = try await observed.started("003-pin")
        _ = try await folder.waitFor("child-\(second)")
        #expect(folder.read("stdin-\(second)") == Teks.pinPrompt)

        observed.speaker.silence()
        #expect(try await observed.next() == .finished(name: "003-pin", outcome: .stopped))
        #expect(Self.isGone(second))
    }

    @Test("a missing program: the check names the package; at run time each prompt fails, logged once, no text")
    func missingProgram() async throws {
        let options = SpeechOptions(program: "/nonexistent/espeak-ng")
        #expect(throws: SpeechError.programMissing(program: "/nonexistent/espeak-ng")) {
            try Speaker.check(options)
        }
        #expect(
            SpeechError.programMissing(program: "espeak-ng").description.contains("apt-get install espeak-ng"))

        var observed = Observed(options)
        observed.speaker.speak(Teks.idlePrompt, screen: .idle, sequence: 1)
        #expect(
            try await observed.next()
                == .finished(name: "001-idle", outcome: .failed(.programMissing(program: "/nonexistent/espeak-ng"))))
        observed.speaker.speak(Teks.readingPrompt, screen: .readingCard, sequence: 2)
        #expect(
            try await observed.next()
                == .finished(name: "002-reading", outcome: .failed(.programMissing(program: "/nonexistent/espeak-ng"))))
        let logs = observed.logs.lines.withLockedValue { $0 }
        #expect(logs.filter { $0.contains("the kiosk goes on without speech") }.count == 1)
        #expect(logs.contains { $0.contains("002-reading") })  // the repeat, at debug level
        #expect(!logs.contains { $0.contains("Selamat") || $0.contains("tunggu") })
    }

    @Test("a prompt too long for one pipe buffer fails alone; the speaker goes on")
    func promptTooLong() async throws {
        let folder = try Folder()
        var observed = Observed(SpeechOptions(program: try Self.standIn(in: folder)))
        observed.speaker.speak(String(repeating: "a", count: 5000), name: "001-idle")
        #expect(try await observed.next() == .finished(name: "001-idle", outcome: .failed(.promptTooLong(bytes: 5000))))
        observed.speaker.speak(Teks.idlePrompt, name: "002-idle")
        let pid = try await observed.started("002-idle")
        _ = try await folder.waitFor("child-\(pid)")
        observed.speaker.silence()
        #expect(try await observed.next() == .finished(name: "002-idle", outcome: .stopped))
    }
}
