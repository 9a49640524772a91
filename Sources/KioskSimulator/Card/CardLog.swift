import VirtualCardWire

/// The simulator's log lines on stderr, `kiosk-sim card: card inserted (type-a, uid 7 bytes)`. They name the kind
/// and sizes, never the UID or file contents: a UID is what identifies a resident at the kiosk, so it stays out of
/// logs even in a simulator whose output ends up in CI transcripts.
struct CardLog: Sendable {
    /// Whether to log each APDU's header, status word and length (never its data).
    var verbose = false

    func info(_ message: String) { Syscalls.writeErrorLine("kiosk-sim card: \(message)") }

    func debug(_ message: @autoclosure () -> String) {
        if verbose { info(message()) }
    }

    /// `00 B0 00 D0 -> 208 bytes, 90 00`: the command header and what came back, without the data.
    static func summary(command: [UInt8], reply: VirtualCard.Reply) -> String {
        let header = Hex.string(command.prefix(4))
        switch reply {
        case .silence: return "\(header) -> no answer"
        case .leave: return "\(header) -> card leaves"
        case .send(let bytes) where bytes.count >= 2:
            return "\(header) -> \(bytes.count - 2) bytes, \(Hex.string(bytes.suffix(2)))"
        case .send(let bytes): return "\(header) -> \(bytes.count) byte(s), no status word"
        }
    }
}
