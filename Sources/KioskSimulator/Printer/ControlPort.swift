import Foundation
import NIOCore
import NIOPosix

extension PrinterCondition {
    /// One line of the control port applied to the condition: the answer is `ok` and the state, or `error: ...`.
    ///
    ///     paper ok|near-end|out    cover open|closed    silent on|off    delay MS    status
    ///
    /// `paper ok` is a new roll: it also ends a `--paper-bytes` countdown.
    mutating func apply(command line: String) -> String {
        let words = line.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        switch (words.first, words.count == 2 ? words[1] : nil) {
        case ("status", _) where words.count == 1: break
        case ("paper", let value?):
            guard let paper = Paper(rawValue: value) else { return "error: paper takes ok, near-end or out" }
            self.paper = paper
            if paper == .ok { paperLeft = nil }
        case ("cover", "open"?): coverOpen = true
        case ("cover", "closed"?): coverOpen = false
        case ("silent", "on"?): silent = true
        case ("silent", "off"?): silent = false
        case ("delay", let value?):
            guard let milliseconds = Int(value), milliseconds >= 0 else { return "error: delay takes milliseconds" }
            replyDelay = .milliseconds(milliseconds)
        default:
            return "error: commands are paper ok|near-end|out, cover open|closed, silent on|off, delay MS, status"
        }
        return "ok " + summary
    }

    /// The state as the control port says it: `paper=out cover=closed silent=off delay=0`.
    var summary: String {
        let delay = replyDelay.milliseconds
        return "paper=\(paper.rawValue) cover=\(coverOpen ? "open" : "closed") silent=\(silent ? "on" : "off") "
            + "delay=\(delay)"
    }
}

extension VirtualThermalPrinter {
    /// The control port: a line-based TCP port on which a test or the demo changes the printer's condition while
    /// the kiosk runs (`echo "paper out" | nc 127.0.0.1 PORT`). Each line gets one line back.
    func serveControl(host: String, port: Int, ready: @Sendable (Int) -> Void) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.addHandler(ControlHandler(printer: self))
            }
            .bind(host: host, port: port).get()
        ready(server.localAddress?.port ?? port)
        try await withTaskCancellationHandler {
            try await server.closeFuture.get()
        } onCancel: {
            server.close(promise: nil)
        }
    }
}

/// Splits the control connection into lines and answers each.
private final class ControlHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let printer: VirtualThermalPrinter
    var pending: [UInt8] = []

    init(printer: VirtualThermalPrinter) { self.printer = printer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let end = pending.firstIndex(of: 0x0A) {
            let line = String(decoding: pending[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            pending.removeSubrange(...end)
            guard !line.isEmpty else { continue }
            let answer = printer.condition.withLockedValue { $0.apply(command: line) }
            var out = context.channel.allocator.buffer(capacity: answer.utf8.count + 1)
            out.writeString(answer + "\n")
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        }
    }
}
