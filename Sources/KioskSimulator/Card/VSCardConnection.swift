import Drivers
import VirtualCardWire

/// The virtual card's link to QEMU's emulated USB CCID reader (`-device usb-ccid -device ccid-card-passthru`),
/// over the unix socket of QEMU's `-chardev socket,server=on`. Unlike vpcd, the connection is the reader, not the
/// card: it is opened once (Init, then ReaderAdd), a tap sends the card's ATR, a remove sends CardRemove, and the
/// reader stays in the guest in between. The guest's APDUs arrive as APDU messages and are answered by the same
/// `VirtualCard` that answers vpcd.
///
/// QEMU acknowledges ReaderAdd, ATR, CardRemove and ReaderRemove with an Error message, code 0 for success, in
/// the order it received them; a step returns once its acknowledgement came, so `inserted` means the guest's reader
/// has the card. Blocking calls are fine here, as in `VPCDConnection`: one process, one reader, one card.
final class VSCardConnection: CardReaderLink {
    private var fd: Int32
    private let path: String?
    private let connectTimeout: Duration
    private let answerTimeout: Duration
    private let log: CardLog
    private let stop: () -> Bool
    private var decoder = VSCardFrameDecoder()

    private(set) var card: VirtualCard?
    /// The id QEMU gave the reader in its answer to ReaderAdd.
    private(set) var readerID: UInt32?
    /// The VSCard version of QEMU's Init, once it came.
    private(set) var hostVersion: UInt32?
    /// Requests QEMU will acknowledge, oldest first.
    private var unacknowledged: [Request] = []
    /// The request a step is waiting for, and QEMU's answer once it came.
    private var awaited: Request?
    private var answer: VSCardErrorCode?
    /// The card left by itself while a message was handled; `serve` says so next.
    private var leftUnreported = false

    /// What the card asks of QEMU and waits for.
    enum Request: Equatable, Sendable, CustomStringConvertible {
        case initialize
        case readerAdd
        case atr
        case cardRemove
        case readerRemove

        var description: String {
            switch self {
            case .initialize: "Init"
            case .readerAdd: "ReaderAdd (the reader)"
            case .atr: "the card's ATR"
            case .cardRemove: "CardRemove"
            case .readerRemove: "ReaderRemove"
            }
        }
    }

    /// A connection `open()` makes to the socket at `path`, retrying while nothing listens for `connectTimeout`.
    init(
        path: String,
        connectTimeout: Duration,
        answerTimeout: Duration = .seconds(10),
        log: CardLog,
        stop: @escaping () -> Bool = { StopRequest.isRequested }
    ) {
        fd = -1
        self.path = path
        self.connectTimeout = connectTimeout
        self.answerTimeout = answerTimeout
        self.log = log
        self.stop = stop
    }

    /// Adopts a connected socket (tests pass one end of a socket pair and play QEMU on the other).
    init(
        fileDescriptor: Int32,
        answerTimeout: Duration = .seconds(10),
        log: CardLog,
        stop: @escaping () -> Bool = { StopRequest.isRequested }
    ) {
        fd = fileDescriptor
        path = nil
        connectTimeout = .zero
        self.answerTimeout = answerTimeout
        self.log = log
        self.stop = stop
    }

    /// Only lets the socket go: the goodbye to QEMU belongs in `close()`, which may wait for answers.
    deinit { if fd >= 0 { Syscalls.close(fd) } }

    var isOpen: Bool { fd >= 0 }

    /// Connects (unless a socket was adopted), then the handshake: our Init, QEMU's Init, ReaderAdd and its
    /// acknowledgement, which carries the reader's id.
    func open() throws(CardRunError) -> Bool {
        do throws(VSCardError) {
            if fd < 0, let path {
                let attempt = Waiting.connect(
                    waitingFor: "QEMU's VSCard socket \(path)", timeout: connectTimeout, log: log, stop: stop
                ) { () throws(SystemCallError) in try Syscalls.connectUnix(path: path) }
                switch attempt {
                case .connected(let socket): fd = socket
                case .gaveUp(let error): throw .noSocket(path: path, timeout: connectTimeout, error)
                case .stopped: return false
                }
            }
            try send(.initialize())
            guard try waitFor(.initialize, honouringStop: true) else { return false }
            guard try request(.readerAdd, .readerAdd(name: "kiosk-sim virtual e-KTP reader")) else { return false }
        } catch {
            throw .vscard(error)
        }
        log.info("QEMU's CCID reader is ready (reader \(readerID ?? 0), VSCard version \(hostVersion ?? 0))")
        return true
    }

    func insert(_ card: VirtualCard) throws(CardRunError) -> Bool {
        self.card = card
        do throws(VSCardError) {
            let atr = VSCardFrame(.atr, reader: reader, payload: card.answerToReset.bytes)
            return try request(.atr, atr)
        } catch {
            self.card = nil
            throw .vscard(error)
        }
    }

    func remove() throws(CardRunError) {
        guard card != nil else { return }
        card = nil
        do throws(VSCardError) {
            _ = try request(.cardRemove, VSCardFrame(.cardRemove, reader: reader))
        } catch {
            throw .vscard(error)
        }
    }

    func serve(until deadline: ContinuousClock.Instant?, watching input: Int32?) throws(CardRunError) -> LinkEvent {
        do throws(VSCardError) {
            var inputReady = false
            while true {
                if leftUnreported {
                    leftUnreported = false
                    return .leftMidAPDU
                }
                if stop() { return .stopRequested }
                // QEMU's messages first, so a step never overtakes an APDU that arrived with it.
                if try handleNext() { continue }
                if inputReady { return .inputReady }
                guard let slice = Waiting.nextSlice(until: deadline) else { return .deadlineReached }
                inputReady = try receive(waitingAtMost: slice, watching: input)
            }
        } catch {
            throw .vscard(error)
        }
    }

    /// Takes the card out and removes the reader, as libcacard's vscclient does on exit, so the guest does not
    /// keep a card whose answers will never come. It waits for QEMU's acknowledgements even after SIGTERM, briefly,
    /// so the messages are read before the socket closes.
    func close() {
        guard fd >= 0 else {
            card = nil
            return
        }
        do throws(VSCardError) {
            if card != nil {
                card = nil
                _ = try request(.cardRemove, VSCardFrame(.cardRemove, reader: reader), honouringStop: false)
                log.info("card removed")
            }
            if readerID != nil {
                _ = try request(.readerRemove, VSCardFrame(.readerRemove, reader: reader), honouringStop: false)
                readerID = nil
            }
        } catch {
            log.info("letting QEMU's reader go: \(error)")
        }
        if fd >= 0 {
            Syscalls.close(fd)
            fd = -1
        }
    }

    private var reader: UInt32 { readerID ?? VSCardFrame.firstReader }

    /// Sends `frame` and handles QEMU's messages until it acknowledges `request`. `false` when a stop request
    /// came first; throws when QEMU refuses or stays silent.
    private func request(
        _ request: Request,
        _ frame: VSCardFrame,
        honouringStop: Bool = true
    ) throws(VSCardError) -> Bool {
        try send(frame)
        unacknowledged.append(request)
        return try waitFor(request, honouringStop: honouringStop)
    }

    private func waitFor(_ request: Request, honouringStop: Bool) throws(VSCardError) -> Bool {
        awaited = request
        answer = nil
        defer { awaited = nil }
        // On the way out (SIGTERM, end of steps) a silent QEMU must not hold the exit up for long.
        let timeout = honouringStop ? answerTimeout : min(answerTimeout, .seconds(2))
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if request == .initialize, hostVersion != nil { return true }
            if let answer {
                guard answer == .success else { throw .refused(request, answer) }
                return true
            }
            if honouringStop, stop() { return false }
            if try handleNext() { continue }
            guard let slice = Waiting.nextSlice(until: deadline) else {
                throw .noAnswer(request, timeout: timeout)
            }
            _ = try receive(waitingAtMost: slice, watching: nil)
        }
    }

    /// Waits up to `milliseconds` for QEMU's bytes and keeps them for `handleNext`. True when `input` is readable.
    private func receive(waitingAtMost milliseconds: Int32, watching input: Int32?) throws(VSCardError) -> Bool {
        let ready: [Int32]
        let bytes: [UInt8]?
        do throws(SystemCallError) {
            guard let polled = try Syscalls.poll([fd, input ?? -1], milliseconds: milliseconds) else { return false }
            ready = polled
            bytes = ready.contains(fd) ? try Syscalls.read(fd, maximum: 4096) : nil
        } catch {
            hangUp()
            throw error.isHangUp ? .closedByQEMU : .io(error)
        }
        if let bytes {
            guard !bytes.isEmpty else {
                let pending = decoder.pendingByteCount
                hangUp()
                throw pending > 0 ? .malformed(.endedInsideMessage(pendingBytes: pending)) : .closedByQEMU
            }
            decoder.append(bytes)
        }
        return input.map(ready.contains) == true
    }

    /// Handles the next complete message received, if there is one. One at a time, because a wait ends with the
    /// message it waits for: an acknowledgement already received for a request not yet sent must wait for it.
    private func handleNext() throws(VSCardError) -> Bool {
        let frame: VSCardFrame
        let message: VSCardHostMessage
        do throws(VSCardFrameError) {
            guard let next = try decoder.next() else { return false }
            frame = next
            message = try VSCardHostMessage(next)
        } catch {
            hangUp()
            throw .malformed(error)
        }
        try handle(message, from: frame)
        return true
    }

    private func hangUp() {
        Syscalls.close(fd)
        fd = -1
        card = nil
    }

    private func handle(_ message: VSCardHostMessage, from frame: VSCardFrame) throws(VSCardError) {
        switch message {
        case .initialize(let version, _):
            guard hostVersion == nil else { return log.debug("QEMU sent Init again; ignored") }
            if version != VSCardFrame.version {
                log.info("QEMU speaks VSCard version \(version), this simulator \(VSCardFrame.version); carrying on")
            }
            hostVersion = version
        case .error(let code):
            guard !unacknowledged.isEmpty else {
                return log.info("QEMU reported \"\(code)\" for reader \(frame.readerID) without a request")
            }
            let request = unacknowledged.removeFirst()
            if request == .readerAdd, code == .success { readerID = frame.readerID }
            if request == awaited {
                answer = code
            } else if code != .success {
                log.info("QEMU refused \(request): \(code)")
            }
        case .apdu(let command):
            try answer(command, reader: frame.readerID)
        case .flush:
            // Every APDU is answered as soon as it arrives, so nothing is outstanding.
            try send(VSCardFrame(.flushComplete, reader: frame.readerID))
        case .unexpected(let type, let length):
            let name = VSCardMessageType(rawValue: type).map(\.description) ?? "unknown type \(type)"
            log.info("ignored a VSCard message QEMU does not send: \(name), \(length) bytes")
        }
    }

    private func answer(_ command: [UInt8], reader: UInt32) throws(VSCardError) {
        guard var current = card else {
            // QEMU only forwards APDUs for a card it thinks is present; an error answer keeps the guest from
            // waiting for one that will never come.
            log.info("QEMU sent an APDU with no card on the reader; answered with a VSCard error")
            return try send(.error(.generalError, reader: reader))
        }
        let reply = current.respond(toAPDU: command)
        card = current
        log.debug(CardLog.summary(command: command, reply: reply))
        switch reply {
        case .send(let bytes):
            try send(VSCardFrame(.apdu, reader: reader, payload: bytes))
        case .silence:
            break
        case .leave:
            card = nil
            leftUnreported = true
            try send(VSCardFrame(.cardRemove, reader: reader))
            unacknowledged.append(.cardRemove)
        }
    }

    private func send(_ frame: VSCardFrame) throws(VSCardError) {
        guard fd >= 0 else { throw .closedByQEMU }
        do throws(SystemCallError) {
            try Syscalls.sendAll(fd, frame.encoded)
        } catch {
            hangUp()
            throw error.isHangUp ? .closedByQEMU : .io(error)
        }
    }
}

enum VSCardError: Error, Equatable, CustomStringConvertible {
    case noSocket(path: String, timeout: Duration, SystemCallError)
    case io(SystemCallError)
    /// QEMU hung up: the virtual machine quit, or the chardev dropped the client.
    case closedByQEMU
    case malformed(VSCardFrameError)
    case noAnswer(VSCardConnection.Request, timeout: Duration)
    case refused(VSCardConnection.Request, VSCardErrorCode)

    var description: String {
        switch self {
        case .noSocket(let path, let timeout, let error):
            "no QEMU VSCard socket at \(path) after \(timeout.secondsText) s (\(error.message)). Start QEMU first "
                + "with `-device qemu-xhci -device usb-ccid -device ccid-card-passthru,chardev=ccid "
                + "-chardev socket,id=ccid,path=\(path),server=on,wait=off`"
        case .io(let error):
            "talking to QEMU's ccid-card-passthru: \(error)"
        case .closedByQEMU:
            "QEMU closed the VSCard connection: the virtual machine quit, or QEMU dropped this client"
        case .malformed(let error):
            "QEMU's VSCard stream cannot be read: \(error)"
        case .noAnswer(.initialize, let timeout):
            "QEMU did not answer Init within \(timeout.secondsText) s: another client may hold the socket (QEMU's "
                + "socket chardev serves one at a time), or QEMU is stopped"
        case .noAnswer(let request, let timeout):
            "QEMU did not acknowledge \(request) within \(timeout.secondsText) s"
        case .refused(let request, let code):
            "QEMU refused \(request): \(code)"
        }
    }
}
