public import Foundation
import NIOConcurrencyHelpers

/// A program run to its end by a test, with what it wrote: the one process runner of the test targets.
///
/// Awaited, never waited for on the caller's thread: Swift's concurrency pool has one thread per core (two in CI), and
/// a test blocking one for a whole `kiosk run` session held back every other test's timers and answers. Scripted
/// sessions and wedge reader tests ran out of their 20 s in loaded full runs, "showing" the very screen they awaited.
public enum TestProcess {
    /// How a run ended and what it wrote.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Standard output, then standard error.
        public var all: String { stdout + stderr }
    }

    /// Runs `executable` with `arguments` (and `input` on its standard input) to its end. Both pipes are read while
    /// the process runs, or a chatty child would block on a full pipe.
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]
    ) async throws -> Outcome {
        try await onThreadOfItsOwn { try runBlocking(executable, arguments, input: input, environment: environment) }
    }

    /// Runs `executable` to its end with standard output and error in one pipe, in the order they were written.
    public static func runMerged(_ executable: String, _ arguments: [String]) async throws
        -> (status: Int32, output: String)
    {
        try await onThreadOfItsOwn { try runMergedBlocking(executable, arguments) }
    }

    /// Waits for `process` to end, on a thread outside the concurrency pool.
    public static func exit(of process: Process) async {
        await onThreadOfItsOwn { process.waitUntilExit() }
    }

    private static func onThreadOfItsOwn<T: Sendable, Failure: Error>(
        _ work: @escaping @Sendable () throws(Failure) -> T
    ) async throws(Failure) -> T {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Result(catching: work)) }
        }
        return try result.get()
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], input: String?, environment: [String: String]
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let (out, err, inPipe) = (Pipe(), Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let errorData = NIOLockedValueBox(Data())
        let errorRead = DispatchSemaphore(value: 0)
        // A queue of its own, not a global one: this read blocks for as long as the program runs, and on Linux the
        // global queues' few threads are shared with the kiosk code under test (BlockingQueue says more).
        DispatchQueue(label: "test.stderr").async {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errorData.withLockedValue { $0 = data }
            errorRead.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorRead.wait()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData.withLockedValue { $0 }, as: UTF8.self))
    }

    private static func runMergedBlocking(_ executable: String, _ arguments: [String]) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
