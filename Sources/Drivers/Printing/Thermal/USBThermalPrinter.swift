public import Core

/// A USB thermal printer through libusb, found by vendor and product id. Each job opens the printer, claims its
/// printer interface, asks `DLE EOT` before and after, and lets go: a printer unplugged and plugged back simply
/// serves the next job, and one unplugged mid-job fails it as offline.
public struct USBThermalPrinter: ThermalPrinter {
    public let vendor: UInt16
    public let product: UInt16
    /// Take the printer from the kernel's usblp driver (libusb's auto-detach). Off where that is not allowed.
    public let detachKernelDriver: Bool
    public let statusTimeoutMilliseconds: UInt32
    private let calls: BlockingQueue

    public init(vendor: UInt16, product: UInt16, detachKernelDriver: Bool = true, statusTimeoutMilliseconds: UInt32 = 1000) {
        self.vendor = vendor
        self.product = product
        self.detachKernelDriver = detachKernelDriver
        self.statusTimeoutMilliseconds = statusTimeoutMilliseconds
        calls = BlockingQueue(label: "kiosk.thermal.usb")
    }

    public func status() async throws(ThermalError) -> ThermalStatus? {
        try await calls.run { () throws(ThermalError) in
            let session = try USBSession(vendor: vendor, product: product, detachKernelDriver: detachKernelDriver)
            return try Self.askStatus(session, timeout: statusTimeoutMilliseconds)
        }
    }

    public func print(_ job: [UInt8]) async -> PrintOutcome {
        do {
            return try await calls.run { () throws(ThermalError) in
                let session = try USBSession(vendor: vendor, product: product, detachKernelDriver: detachKernelDriver)
                if let problem = try Self.askStatus(session, timeout: statusTimeoutMilliseconds)?.problem {
                    return .failed(problem)
                }
                try session.write(job)
                if let problem = try Self.askStatus(session, timeout: statusTimeoutMilliseconds)?.problem {
                    return .failed(problem)
                }
                return .printed
            }
        } catch {
            return .failed(.offline)
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
