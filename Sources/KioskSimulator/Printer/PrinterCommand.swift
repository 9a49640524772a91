import ArgumentParser
import Foundation

/// `kiosk-sim printer`: a virtual ESC/POS thermal printer on TCP.
struct PrinterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer",
        abstract: "A virtual thermal printer on TCP: decodes ESC/POS into job-N.txt and job-N.png, answers DLE EOT.",
        discussion: """
            Each connection is one job. With --paper out or --cover open it answers status accordingly and prints \
            nothing; --silent never answers status; --reply-delay-ms answers late. Prints "listening on PORT".
            With --control-port, a line-based TCP port changes all of these while it runs: "paper ok|near-end|out", \
            "cover open|closed", "silent on|off", "delay MS", "status"; each line is answered with "ok" and the \
            state, or "error: ..."; its port is said on a second line, "control on PORT". With --announce-jobs it \
            says "job data" the moment each job's first printing byte arrives (make bench times the kiosk by it).
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0 picks a free one).") var port = 9100
    @Option(help: "Where the jobs' transcripts and pictures go.") var output = "out/printer"
    @Option(help: "Printable width in dots (384 for 58 mm, 576 for 80 mm).") var widthDots = 576
    @Option(help: "ok, near-end or out.") var paper = "ok"
    @Flag(help: "The cover is open.") var coverOpen = false
    @Flag(help: "Never answer status requests.") var silent = false
    @Option(help: "Answer status requests this many milliseconds late.") var replyDelayMs = 0
    @Option(help: "The paper runs out after this many bytes of jobs (mid-job paper out).") var paperBytes: Int?
    @Option(help: "A line-based control port (0 picks a free one) to change the printer's state while it runs.")
    var controlPort: Int?
    @Flag(help: "Say \"kiosk-sim printer: job data\" on stdout when a job's first printing byte arrives.")
    var announceJobs = false

    func run() async throws {
        guard let paperState = PrinterCondition.Paper(rawValue: paper) else {
            throw ValidationError("--paper takes ok, near-end or out")
        }
        let printer = try VirtualThermalPrinter(
            output: output, widthDots: widthDots,
            condition: PrinterCondition(
                paper: paperState, coverOpen: coverOpen, silent: silent, replyDelay: .milliseconds(replyDelayMs),
                paperLeft: paperBytes), announcesJobs: announceJobs)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The job port first, and said first: tests and the demo read its port from the first line.
            let (bound, announce) = AsyncStream.makeStream(of: Void.self)
            group.addTask {
                try await printer.serve(host: host, port: port) { bound in
                    FileHandle.standardOutput.write(Data("kiosk-sim printer: listening on \(bound)\n".utf8))
                    announce.finish()
                }
            }
            for await _ in bound {}
            if let controlPort {
                group.addTask {
                    try await printer.serveControl(host: host, port: controlPort) { bound in
                        FileHandle.standardOutput.write(Data("kiosk-sim printer: control on \(bound)\n".utf8))
                    }
                }
            }
            try await group.next()
        }
    }
}
