import Drivers
import VirtualCardWire

/// The virtual card's link to vpcd, the vsmartcard reader driver pcscd loads: an open TCP connection is a card
/// in the reader, closing it takes the card away. vpcd listens (35963 for its first reader, 35964 for the next)
/// and the card connects, then answers whatever vpcd sends until it leaves.
///
/// Owns its socket and closes it in `deinit` or `close()`. Blocking calls are fine here: the simulator is a
/// process of its own with one card at a time.
final class VPCDConnection {
    private var fd: Int32
    private var decoder = VPCDFrameDecoder()
    private let log: CardLog

    /// Adopts a connected socket (tests pass one end of a socket pair).
    init(fileDescriptor: Int32, log: CardLog) {
        fd = fileDescriptor
        self.log = log
    }

    deinit { close() }

    var isOpen: Bool { fd >= 0 }

    /// Takes the card out of the reader.
    func close() {
        guard fd >= 0 else { return }
        Syscalls.close(fd)
        fd = -1
    }

    /// Connects to vpcd, retrying while nothing listens yet (pcscd starting, or the reader slot still busy
    /// with a card that just left) until `timeout` has passed or a stop is requested.
    static func connect(
        host: String,
        port: UInt16,
        timeout: Duration,
        log: CardLog
    ) throws(VPCDError) -> VPCDConnection {
        let attempt = Waiting.connect(waitingFor: "vpcd on \(host):\(port)", timeout: timeout, log: log) {
            () throws(SystemCallError) in try Syscalls.connectTCP(host: host, port: port)
        }
        switch attempt {
        case .connected(let fd): return VPCDConnection(fileDescriptor: fd, log: log)
        case .gaveUp(let error): throw .noReader(host: host, port: port, timeout: timeout, error)
        case .stopped: throw .stopped
        }
    }

    /// Why `serve` returned.
    enum Outcome: Equatable {
        /// The deadline passed with the card still in the reader.
        case deadlineReached
        /// SIGINT or SIGTERM.
        case stopRequested
        /// The card chose to leave (`remove-mid-apdu`); the connection is closed.
        case cardLeft
        /// vpcd closed the connection: pcscd stopped or restarted. The connection is closed.
        case readerClosed
        /// The watched input (live steps) has something to read; the card stays.
        case inputReady
    }

    /// Answers vpcd with `card` until `deadline` (forever when `nil`), a stop request, the card leaving, or bytes
    /// on `input`.
    func serve(
        _ card: inout VirtualCard,
        until deadline: ContinuousClock.Instant?,
        watching input: Int32? = nil,
        stop: () -> Bool = { StopRequest.isRequested }
    ) throws(VPCDError) -> Outcome {
        while true {
            if stop() { return .stopRequested }
            guard isOpen else { return .cardLeft }
            guard let slice = Waiting.nextSlice(until: deadline) else { return .deadlineReached }
            let step: Outcome?
            do throws(SystemCallError) {
                step = try exchange(card: &card, waitingAtMost: slice, watching: input)
            } catch {
                close()
                throw .io(error)
            }
            if let step { return step }
        }
    }

    /// Waits up to `milliseconds` for bytes from vpcd and answers every complete message among them.
    /// `nil` while the card stays in the reader. vpcd's messages are answered before the input is reported, so
    /// a step never overtakes a command that arrived with it.
    private func exchange(
        card: inout VirtualCard,
        waitingAtMost milliseconds: Int32,
        watching input: Int32?
    ) throws(SystemCallError) -> Outcome? {
        guard let ready = try Syscalls.poll([fd, input ?? -1], milliseconds: milliseconds) else { return nil }
        guard ready.contains(fd) else { return input.map(ready.contains) == true ? .inputReady : nil }
        let bytes = try Syscalls.read(fd, maximum: 4096)
        guard !bytes.isEmpty else {
            close()
            return .readerClosed
        }
        decoder.append(bytes)
        while let payload = decoder.next() {
            if let outcome = try answer(payload, card: &card) { return outcome }
        }
        return nil
    }

    private func answer(_ payload: [UInt8], card: inout VirtualCard) throws(SystemCallError) -> Outcome? {
        let message = VPCDMessage(payload: payload)
        let reply = card.respond(to: message)
        switch message {
        case .apdu(let command): log.debug(CardLog.summary(command: command, reply: reply))
        case .getATR: break  // vpcd polls presence with it several times a second
        default: log.debug("reader: \(message)")
        }
        switch reply {
        case .send(let bytes):
            try Syscalls.sendAll(fd, VPCDFrame.encode(bytes))
            return nil
        case .silence:
            return nil
        case .leave:
            close()
            return .cardLeft
        }
    }
}

enum VPCDError: Error, Equatable, CustomStringConvertible {
    case noReader(host: String, port: UInt16, timeout: Duration, SystemCallError)
    case io(SystemCallError)
    /// SIGINT or SIGTERM while waiting for the reader.
    case stopped

    var description: String {
        switch self {
        case .noReader(let host, let port, let timeout, let error):
            "no virtual reader at \(host):\(port) after \(timeout.secondsText) s (\(error.message)). The vpcd driver "
                + "listens there once pcscd runs with it: install the Debian package vsmartcard-vpcd (it adds "
                + "/etc/reader.conf.d/vpcd) and start pcscd (`systemctl start pcscd`, or `pcscd --foreground`)"
        case .io(let error):
            "talking to vpcd: \(error)"
        case .stopped:
            "stopped while waiting for the reader"
        }
    }
}
