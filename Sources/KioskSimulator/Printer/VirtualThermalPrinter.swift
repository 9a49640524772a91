import Core
import Drivers
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// What the virtual printer's mechanism is doing: set by options or the control port, read by status replies.
struct PrinterCondition: Sendable {
    var paper = Paper.ok
    var coverOpen = false
    /// Never answer status (firmware without `DLE EOT`).
    var silent = false
    /// Answer status this late.
    var replyDelay = Duration.zero
    /// The roll ends after this many bytes of jobs (all jobs together): paper out in the middle of a slip.
    var paperLeft: Int?

    enum Paper: String, Sendable, CaseIterable {
        case ok
        case nearEnd = "near-end"
        case out
    }

    /// The reply to `DLE EOT n`, by the bit layout of printing.md §2 (0x12 is "nothing set").
    func reply(to n: UInt8) -> UInt8 {
        let stopped = paper == .out || coverOpen
        switch n {
        case 1: return 0x12 | (stopped ? 0x08 : 0)
        case 2: return 0x12 | (coverOpen ? 0x04 : 0) | (paper == .out ? 0x20 : 0)
        case 3: return 0x12
        case 4: return 0x12 | (paper == .nearEnd ? 0x0C : 0) | (paper == .out ? 0x60 : 0)
        default: return 0x12
        }
    }
}

/// A thermal printer on TCP: each connection is a job, decoded into what the paper would show. At the end of a
/// job it writes `job-N.txt` (a transcript: lines, rasters, QR payloads, cuts) and `job-N.png` (the paper) into
/// the output folder. While the paper is out or the cover open it prints nothing, as a real printer would.
final class VirtualThermalPrinter: Sendable {
    let output: String
    let widthDots: Int
    let condition: NIOLockedValueBox<PrinterCondition>
    private let jobs = Atomic<Int>(0)
    private let renderer: Renderer
    /// Says "job data" on stdout at each job's first printing byte (`--announce-jobs`).
    let announcesJobs: Bool

    init(output: String, widthDots: Int, condition: PrinterCondition, announcesJobs: Bool = false) throws {
        self.output = output
        self.announcesJobs = announcesJobs
        self.widthDots = widthDots
        self.condition = NIOLockedValueBox(condition)
        renderer = try Renderer(fonts: Fonts(serif: "DejaVu Serif", sans: "DejaVu Sans Mono"))
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    }

    /// Serves on `host:port` until the task is cancelled.
    func serve(host: String, port: Int, ready: @Sendable (Int) -> Void) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.addHandler(JobHandler(printer: self))
            }
            .bind(host: host, port: port).get()
        ready(server.localAddress?.port ?? port)
        try await withTaskCancellationHandler {
            try await server.closeFuture.get()
        } onCancel: {
            server.close(promise: nil)
        }
    }

    /// Writes a finished job's transcript and picture; returns the job number.
    func finish(_ decoder: EscPosDecoder, printed: Bool) {
        let number = jobs.add(1, ordering: .relaxed).newValue
        var transcript: [String] = printed ? [] : ["(nothing printed: paper out or cover open)"]
        for item in decoder.paper where printed {
            switch item {
            case .line(let text, let bold, let alignment, let scale):
                transcript.append("\(bold ? "B" : "-")\(["L", "C", "R"][min(alignment, 2)])\(scale) \(text)")
            case .raster(let widthBytes, let height, _): transcript.append("raster \(widthBytes * 8)x\(height)")
            case .qr(let payload, _): transcript.append("qr \(payload)")
            case .feed(let lines): transcript.append("feed \(lines)")
            case .cut: transcript.append("cut")
            }
        }
        transcript += decoder.unknown.map { "unknown \($0)" }
        let base = (output as NSString).appendingPathComponent("job-\(number)")
        // The picture before the transcript: a waiter takes the transcript's appearance as "the job is written".
        if printed, let png = try? renderer.png(PaperPicture.page(decoder.paper, widthDots: widthDots, qr: renderer)) {
            try? Data(png).write(to: URL(fileURLWithPath: base + ".png"))
        }
        try? (transcript.joined(separator: "\n") + "\n").write(toFile: base + ".txt", atomically: true, encoding: .utf8)
    }
}

/// One connection: bytes in, status replies out, the job written when the kiosk closes it.
private final class JobHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let printer: VirtualThermalPrinter
    var decoder = EscPosDecoder()
    /// Whether anything reached the paper: a printer out of paper prints nothing of the job.
    var printed = true
    /// Whether this job's first printing byte was announced (`--announce-jobs`).
    var announced = false

    init(printer: VirtualThermalPrinter) { self.printer = printer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        let printing = bytes.count - bytes.indices.filter { bytes[$0] == 0x10 }.count * 3
        if printer.announcesJobs, printing > 0, !announced {
            announced = true
            FileHandle.standardOutput.write(Data("kiosk-sim printer: job data\n".utf8))
        }
        let condition = printer.condition.withLockedValue { condition in
            if let left = condition.paperLeft, printing > 0 {
                condition.paperLeft = max(left - printing, 0)
                if condition.paperLeft == 0 { condition.paper = .out }
            }
            return condition
        }
        if condition.paper == .out && condition.paperLeft == nil || condition.coverOpen, printing > 0 {
            printed = false
        }
        let requests = decoder.feed(bytes)
        guard !requests.isEmpty, !condition.silent else { return }
        let reply = requests.map(condition.reply)
        let channel = context.channel
        let send: @Sendable () -> Void = {
            var out = channel.allocator.buffer(capacity: reply.count)
            out.writeBytes(reply)
            channel.writeAndFlush(out, promise: nil)
        }
        if condition.replyDelay > .zero {
            let delay = TimeAmount.milliseconds(condition.replyDelay.milliseconds)
            channel.eventLoop.scheduleTask(in: delay, send)
        } else {
            send()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        decoder.finish()
        // A connection that only asked for status (or nothing) is not a job.
        if decoder.paper.isEmpty, decoder.unknown.isEmpty { return }
        printer.finish(decoder, printed: printed)
    }
}

/// The paper as a picture: text lines set in a monospace font at the printer's column width, rasters dot for dot.
enum PaperPicture {
    /// `qr` tells a native QR's size in modules (the printer's own encoder would make the same code).
    static func page(_ paper: [EscPosDecoder.Paper], widthDots: Int, qr: any TextMeasurer) -> DisplayPage {
        var items: [DisplayItem] = []
        var y = 8.0
        let width = Double(widthDots)
        for item in paper {
            switch item {
            case .line(let text, let bold, let alignment, let scale):
                // Font A is 12 dots a character (48 columns on 576 dots); DejaVu Sans Mono advances 0.602 em.
                let size = 12 / 0.602 * Double(scale)
                let font = Font(.sans, size: size, bold: bold)
                let advance = Double(text.count) * 12 * Double(scale)
                let x = alignment == 1 ? (width - advance) / 2 : alignment == 2 ? width - advance : 0
                y += size * 1.15
                items.append(.text(TextRun(text, at: Point(x: max(x, 0), y: y), font: font)))
            case .raster(let widthBytes, let height, let bits):
                // Dark runs of each row as thin rectangles.
                for row in 0..<height {
                    var x = 0
                    while x < widthBytes * 8 {
                        func dark(_ x: Int) -> Bool { bits[row * widthBytes + x / 8] & (0x80 >> UInt8(x % 8)) != 0 }
                        guard dark(x) else {
                            x += 1
                            continue
                        }
                        let start = x
                        while x < widthBytes * 8, dark(x) { x += 1 }
                        items.append(
                            .fill(
                                Rect(x: Double(start), y: y + Double(row), width: Double(x - start), height: 1), .black)
                        )
                    }
                }
                y += Double(height)
            case .qr(let payload, let moduleSize):
                // As a printer prints it: each module `moduleSize` dots, the quiet zone of 4 modules a side.
                let side = Double(((qr.qrModules(for: payload) ?? 21) + 8) * moduleSize)
                items.append(
                    .qr(
                        payload: payload,
                        frame: Rect(x: ((width - side) / 2).rounded(.down), y: y + 4, width: side, height: side)))
                y += side + 8
            case .feed(let lines): y += Double(lines) * 26
            case .cut:
                y += 12
                items.append(.rule(from: Point(x: 0, y: y), to: Point(x: width, y: y), width: 1))
                y += 12
            }
        }
        return DisplayPage(size: Size(width: width, height: max(y + 8, 64)), items: items)
    }
}
