public import Foundation
import Synchronization

/// A program run to its end by a test, with what it wrote: the one process runner of the test targets.
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
        let errorData = Mutex(Data())
        let errorRead = DispatchSemaphore(value: 0)
        // A queue of its own, not a global one: this read blocks for as long as the program runs, and on Linux the
        // global queues' few threads are shared with the kiosk code under test (BlockingQueue says more).
        DispatchQueue(label: "test.stderr").async {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            errorRead.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorRead.wait()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData.withLock { $0 }, as: UTF8.self))
    }

    /// Runs `executable` to its end with standard output and error in one pipe, in the order they were written.
    public static func runMerged(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String)
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
