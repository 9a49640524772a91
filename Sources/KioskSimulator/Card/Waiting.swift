import Drivers

/// How the card simulator waits, shared by the vpcd and the VSCard links: in short `poll` slices, so a SIGINT or
/// SIGTERM that lands between a stop check and the `poll` is still seen within one slice, and with retries while
/// nothing listens yet, so the simulator may start before pcscd or QEMU does.
enum Waiting {
    /// The longest single `poll`: bounds how late a stop request is noticed.
    static let slice: Int32 = 200

    /// How long the next `poll` may wait: one slice, or less when `deadline` is nearer; `nil` once it has passed.
    /// No deadline means wait slice after slice.
    static func nextSlice(until deadline: ContinuousClock.Instant?) -> Int32? {
        guard let deadline else { return slice }
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return nil }
        return Int32(min(Int64(slice), max(1, left.milliseconds)))
    }

    /// How a retried connect ended.
    enum Connection {
        case connected(Int32)
        /// Nothing accepted within the timeout; the last attempt's error says why.
        case gaveUp(SystemCallError)
        case stopped
    }

    /// Calls `attempt` every 250 ms until it returns a connected socket, `timeout` passes or a stop is requested.
    /// The first failure is logged once with `waitingFor` ("vpcd on 127.0.0.1:35963"), so a technician sees what the
    /// simulator is waiting for without a line every 250 ms.
    static func connect(
        waitingFor peer: String,
        timeout: Duration,
        log: CardLog,
        stop: () -> Bool = { StopRequest.isRequested },
        attempt: () throws(SystemCallError) -> Int32
    ) -> Connection {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var announced = false
        while true {
            do throws(SystemCallError) {
                return .connected(try attempt())
            } catch {
                guard ContinuousClock.now < deadline else { return .gaveUp(error) }
                if !announced {
                    log.info("waiting for \(peer) (\(error.message))")
                    announced = true
                }
                guard !stop() else { return .stopped }
                _ = try? Syscalls.poll(-1, milliseconds: 250)
                guard !stop() else { return .stopped }
            }
        }
    }

    /// Lets time pass with no card to serve, until `deadline` (forever when `nil`), a stop request, or bytes on
    /// `input` (live steps).
    static func idle(
        until deadline: ContinuousClock.Instant?,
        watching input: Int32?,
        stop: () -> Bool
    ) -> LinkEvent {
        while true {
            if stop() { return .stopRequested }
            guard let slice = nextSlice(until: deadline) else { return .deadlineReached }
            let ready = (try? Syscalls.poll([input ?? -1], milliseconds: slice)) ?? nil
            if let input, ready?.contains(input) == true { return .inputReady }
        }
    }
}

extension Duration {
    /// Seconds for messages: `10`, `0.5`.
    var secondsText: String {
        let ms = milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000)" : "\(Double(ms) / 1000)"
    }
}
