public import Core

/// What happens to a USB thermal printer, for a technician watching it (`kiosk test-print --thermal --watch`).
public enum USBPrinterEvent: Hashable, Sendable {
    /// Plugged in (a libusb hotplug ARRIVED, or found by the rescan while a job waited).
    case arrived
    /// Unplugged (a libusb hotplug LEFT, or a job met `LIBUSB_ERROR_NO_DEVICE`).
    case left
    /// A job found no printer and waits for it to be plugged (back) in.
    case waiting
}

/// A USB thermal printer through libusb, found by vendor and product id.
///
/// The printer's presence is followed with libusb hotplug (`USBPresence`): a job that finds it unplugged waits up
/// to `returnTimeout` for it to come back and then prints; a job in flight when it is pulled fails as offline
/// (`LIBUSB_ERROR_NO_DEVICE`), and the next job waits for the returned printer. Each job opens the printer,
/// claims its printer interface, asks `DLE EOT` before and after, and lets go: handles from before an unplug are
/// never used again.
public struct USBThermalPrinter: ThermalPrinter {
    public let vendor: UInt16
    public let product: UInt16
    /// Take the printer from the kernel's usblp driver (libusb's auto-detach). Off where that is not allowed.
    public let detachKernelDriver: Bool
    public let statusTimeoutMilliseconds: UInt32
    /// How long a job waits for an unplugged printer before it fails as offline.
    public let returnTimeout: Duration
    private let calls: BlockingQueue
    private let presence: USBPresence

    public init(
        vendor: UInt16, product: UInt16, detachKernelDriver: Bool = true, statusTimeoutMilliseconds: UInt32 = 1000,
        returnTimeout: Duration = .seconds(30)
    ) {
        self.vendor = vendor
        self.product = product
        self.detachKernelDriver = detachKernelDriver
        self.statusTimeoutMilliseconds = statusTimeoutMilliseconds
        self.returnTimeout = returnTimeout
        calls = BlockingQueue(label: "kiosk.thermal.usb")
        presence = USBPresence(vendor: vendor, product: product)
    }

    /// The printer arriving and leaving from now on; starts following it.
    public func watch() -> AsyncStream<USBPrinterEvent> {
        presence.start()
        return presence.events
    }

    /// The status; throws `.unreachable` at once when the printer is not plugged in (a status never waits).
    public func status() async throws(ThermalError) -> ThermalStatus? {
        try await calls.run { () throws(ThermalError) in
            presence.start()
            do throws(ThermalError) {
                let session = try USBSession(vendor: vendor, product: product, detachKernelDriver: detachKernelDriver)
                return try Self.askStatus(session, timeout: statusTimeoutMilliseconds)
            } catch {
                if case .unplugged = error { presence.gone() }
                throw error
            }
        }
    }

    public func print(_ job: [UInt8]) async -> PrintOutcome {
        (try? await send(job).outcome) ?? .failed(.offline)
    }

    public func printReporting(_ job: [UInt8]) async -> (outcome: PrintOutcome, status: ThermalStatus?) {
        (try? await send(job)) ?? (.failed(.offline), nil)
    }

    /// Sends one job as `print(_:)` does, but says why a job could not be sent (`.unplugged` mid-job,
    /// `.unreachable` when the printer did not come back in time) instead of folding it into `.offline`; with
    /// the status the printer last gave.
    public func send(_ job: [UInt8]) async throws(ThermalError) -> (outcome: PrintOutcome, status: ThermalStatus?) {
        try await calls.run { () throws(ThermalError) in
            let name = String(format: "usb:%04x:%04x", vendor, product)
            guard presence.waitForPrinter(timeout: returnTimeout) else {
                throw .unreachable(name, "not plugged in (waited \(returnTimeout) for it)")
            }
            do throws(ThermalError) {
                let session = try USBSession(vendor: vendor, product: product, detachKernelDriver: detachKernelDriver)
                let before = try Self.askStatus(session, timeout: statusTimeoutMilliseconds)
                if let problem = before?.problem { return (.failed(problem), before) }
                try session.write(job)
                let after = try Self.askStatus(session, timeout: statusTimeoutMilliseconds)
                if let problem = after?.problem { return (.failed(problem), after) }
                return (.printed, after)
            } catch {
                // Gone between the wait and the open, or mid-job: the next job waits for it again.
                if case .unplugged = error { presence.gone() }
                if case .unreachable = error, !USBPresence.scan(vendor: vendor, product: product) { presence.gone() }
                throw error
            }
        }
    }

    /// The four `DLE EOT` requests in one transfer, the replies read until all four came or the printer fell
    /// silent; `nil` without an IN endpoint or an answer.
    static func askStatus(_ session: USBSession, timeout: UInt32) throws(ThermalError) -> ThermalStatus? {
        guard session.inEndpoint != nil else { return nil }
        var scanner = EscPosReplyScanner()
        for n in UInt8(1)...4 { scanner.sent(n) }
        try session.write(ThermalStatus.fullCheck)
        var status = ThermalStatus()
        var answered = 0
        while scanner.isWaiting {
            let bytes = try session.read(timeoutMilliseconds: timeout)
            if bytes.isEmpty { break }
            for (n, reply) in scanner.receive(bytes) {
                status.apply(reply: reply, to: n)
                answered += 1
            }
        }
        return answered == 4 ? status : nil
    }
}
