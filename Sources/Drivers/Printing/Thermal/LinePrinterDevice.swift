import CLinuxIO
public import Core
import Glibc

/// A USB printer through the kernel's usblp driver: `/dev/usb/lp0` (the udev rules give it a stable link). The
/// job is written to the node; the status is the printer-port byte `LPGETSTATUS` reports (paper out, offline),
/// as `DLE EOT` replies cannot be read back reliably through usblp on unidirectional printers.
public struct LinePrinterDevice: ThermalPrinter {
    public let path: String
    private let calls: BlockingQueue

    public init(path: String) {
        self.path = path
        calls = BlockingQueue(label: "kiosk.thermal.lp")
    }

    public func status() async throws(ThermalError) -> ThermalStatus? {
        let path = self.path
        return try await calls.run { () throws(ThermalError) in
            let fd = try Self.open(path)
            defer { Glibc.close(fd) }
            return Self.portStatus(fd)
        }
    }

    public func print(_ job: [UInt8]) async -> PrintOutcome {
        let path = self.path
        do {
            return try await calls.run { () throws(ThermalError) in
                let fd = try Self.open(path)
                defer { Glibc.close(fd) }
                if let problem = Self.portStatus(fd)?.problem { return .failed(problem) }
                var offset = 0
                while offset < job.count {
                    let written = SystemCall.retrying {
                        job[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                    }
                    if written < 0 {
                        // usblp answers ENOSPC when the paper ran out mid-job (CUPS reads it the same way).
                        if errno == ENOSPC { return .failed(.paperOut) }
                        throw .connectionLost(SystemCall.describe(errno))
                    }
                    offset += written
                }
                return Self.portStatus(fd)?.problem.map(PrintOutcome.failed) ?? .printed
            }
        } catch {
            return .failed(.offline)
        }
    }

    private static func open(_ path: String) throws(ThermalError) -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreachable(path, SystemCall.describe(errno)) }
        return fd
    }

    /// `LPGETSTATUS`, or `nil` where the node has none.
    private static func portStatus(_ fd: Int32) -> ThermalStatus? {
        var port: Int32 = 0
        guard kiosk_lp_status(fd, &port) == 0 else { return nil }
        var status = ThermalStatus()
        status.paperOut = port & kiosk_lp_paper_out() != 0
        status.offline = port & kiosk_lp_selected() == 0
        status.unrecoverableError = port & kiosk_lp_no_error() == 0 && !status.paperOut
        return status
    }

}
