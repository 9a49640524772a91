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
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var announced = false
        while true {
            do throws(SystemCallError) {
                return VPCDConnection(fileDescriptor: try Syscalls.connectTCP(host: host, port: port), log: log)
            } catch {
                guard clock.now < deadline else { throw .noReader(host: host, port: port, timeout: timeout, error) }
                if !announced {
                    log.info("waiting for vpcd on \(host):\(port) (\(error.message))")
                    announced = true
                }
                guard !StopRequest.isRequested else { throw .stopped }
                _ = try? Syscalls.poll(-1, milliseconds: 250)
                guard !StopRequest.isRequested else { throw .stopped }
            }
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
    }

    /// Answers vpcd with `card` until `deadline` (forever when `nil`), a stop request, or the card leaving.
    func serve(
        _ card: inout VirtualCard,
        until deadline: ContinuousClock.Instant?,
        stop: () -> Bool = { StopRequest.isRequested }
    ) throws(VPCDError) -> Outcome {
        let clock = ContinuousClock()
        while true {
            if stop() { return .stopRequested }
            guard isOpen else { return .cardLeft }
            // Short slices bound how late a signal that lands between the check and `poll` is seen.
            var slice: Int32 = 200
            if let deadline {
                let left = clock.now.duration(to: deadline)
                if left <= .zero { return .deadlineReached }
                slice = Int32(min(200, max(1, left.milliseconds)))
            }
            let step: Outcome?
            do throws(SystemCallError) {
                step = try exchange(card: &card, waitingAtMost: slice)
            } catch {
                close()
                throw .io(error)
            }
            if let step { return step }
        }
    }

    /// Waits up to `milliseconds` for bytes from vpcd and answers every complete message among them.
    /// `nil` while the card stays in the reader.
    private func exchange(card: inout VirtualCard, waitingAtMost milliseconds: Int32) throws(SystemCallError)
        -> Outcome?
    {
        guard try Syscalls.poll(fd, milliseconds: milliseconds) == .readable else { return nil }
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

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Seconds for messages: `10`, `0.5`.
    var secondsText: String {
        let ms = milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000)" : "\(Double(ms) / 1000)"
    }
}
