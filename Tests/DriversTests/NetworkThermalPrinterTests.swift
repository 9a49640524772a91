import Core
import Drivers
import Glibc
import Testing

@Suite("A network thermal printer that stops reading")
struct NetworkThermalPrinterTests {
    /// A loopback port that completes connections (the kernel's backlog) but never reads: what a jammed printer,
    /// or one behind a half-dead link, looks like to the kiosk once its buffers are full.
    final class DeafListener {
        let fd: Int32
        let port: Int

        struct CannotListen: Error {}

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard fd >= 0, bound else { throw CannotListen() }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }
    }

    @Test(.timeLimit(.minutes(1)))
    func aJobToAPrinterThatStopsReadingFailsInsteadOfHanging() async throws {
        // Before issue 18, item 10, the send had no timeout: the print, and the resident's screen with it, waited
        // for ever (here the test's time limit would end it).
        let listener = try DeafListener()
        let printer = NetworkThermalPrinter(
            host: "127.0.0.1", port: listener.port, statusTimeout: .milliseconds(200), sendTimeout: .seconds(1))
        let job = [UInt8](repeating: 0x20, count: 64 << 20)
        let (outcome, status) = await printer.printReporting(job)
        #expect(outcome == .failed(.offline))
        #expect(status == nil)
    }
}
