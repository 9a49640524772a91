/// vpcd as a `CardReaderLink`: a tap connects to vpcd's port, a remove hangs up, and between taps there is no
/// connection at all, which vpcd reports to pcscd as an empty reader.
final class VPCDLink: CardReaderLink {
    private let host: String
    private let port: UInt16
    private let connectTimeout: Duration
    private let log: CardLog
    private let stop: () -> Bool
    private var connection: VPCDConnection?

    private(set) var card: VirtualCard?

    init(
        host: String,
        port: UInt16,
        connectTimeout: Duration,
        log: CardLog,
        stop: @escaping () -> Bool = { StopRequest.isRequested }
    ) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.log = log
        self.stop = stop
    }

    /// vpcd's reader exists as long as pcscd runs; there is nothing to set up before the first tap.
    func open() -> Bool { true }

    func insert(_ card: VirtualCard) throws(CardRunError) -> Bool {
        do throws(VPCDError) {
            connection = try VPCDConnection.connect(host: host, port: port, timeout: connectTimeout, log: log)
        } catch .stopped {
            return false
        } catch {
            throw .vpcd(error)
        }
        self.card = card
        return true
    }

    func remove() {
        connection?.close()
        connection = nil
        card = nil
    }

    func serve(until deadline: ContinuousClock.Instant?, watching input: Int32?) throws(CardRunError) -> LinkEvent {
        guard let connection, var current = card else {
            return Waiting.idle(until: deadline, watching: input, stop: stop)
        }
        let outcome: VPCDConnection.Outcome
        do throws(VPCDError) {
            outcome = try connection.serve(&current, until: deadline, watching: input, stop: stop)
        } catch {
            remove()
            throw .vpcd(error)
        }
        card = current
        switch outcome {
        case .deadlineReached: return .deadlineReached
        case .stopRequested: return .stopRequested
        case .inputReady: return .inputReady
        case .cardLeft:
            remove()
            return .leftMidAPDU
        case .readerClosed:
            remove()
            return .cardLeft("card removed: vpcd closed the connection (pcscd stopped or restarted)")
        }
    }

    func close() {
        guard card != nil else { return }
        remove()
        log.info("card removed")
    }
}
