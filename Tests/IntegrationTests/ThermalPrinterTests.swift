import Core
import Drivers
import Foundation
import Glibc
import TestSupport
import Testing

/// The TCP transport against `kiosk-sim printer`, a virtual thermal printer that decodes what it receives with a
/// decoder of its own (not the encoder's tables) and answers `DLE EOT` as its options say.
@Suite("Thermal printers: TCP against kiosk-sim printer, lp against a FIFO, USB under umockdev", .serialized)
struct ThermalPrinterTests {
    /// Whether a command's output speaks words to the technician: no Swift value (`failed(Core.PrinterProblem…)`)
    /// and no stored name (`paperOut`, `failed:coverOpen`).
    static func speaksWords(_ output: String) -> Bool {
        !output.contains("Core.") && !output.contains("failed(") && !output.contains("failed:")
            && PrinterProblem.allCases.allSatisfy { $0 == .offline || $0 == .unknown || !output.contains($0.rawValue) }
    }

    /// One `kiosk-sim printer` on a free port, its jobs in a temporary folder; killed when the test ends.
    final class VirtualPrinter {
        let process = Process()
        let folder: String
        let port: Int
        let controlPort: Int?

        init(_ options: [String] = []) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("thermal-\(UUID().uuidString)").path
            process.executableURL = URL(fileURLWithPath: Services.kioskSim)
            process.arguments = ["printer", "--port", "0", "--output", folder] + options
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            // The first line says the port (the second, with --control-port, the control port): wait for them
            // rather than for a time.
            let expected = options.contains("--control-port") ? 2 : 1
            var text = ""
            while text.filter({ $0 == "\n" }).count < expected {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            let ports = text.split(separator: "\n").map { $0.split(separator: " ").last.flatMap { Int($0) } }
            guard ports.count == expected, let port = ports[0] else { throw Services.Missing() }
            self.port = port
            controlPort = expected == 2 ? ports[1] : nil
        }

        /// Sends one line to the control port and returns its answer line.
        func control(_ line: String) throws -> String {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(controlPort ?? 0).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw Services.Missing() }
            _ = Array((line + "\n").utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            var answer: [UInt8] = []
            var byte: UInt8 = 0
            while recv(fd, &byte, 1, 0) == 1, byte != 0x0A { answer.append(byte) }
            return String(decoding: answer, as: UTF8.self)
        }

        var printer: NetworkThermalPrinter {
            NetworkThermalPrinter(host: "127.0.0.1", port: port, statusTimeout: .seconds(1))
        }

        /// The transcript of job `n`, once written (the printer writes it when the connection closes).
        func transcript(_ n: Int = 1) async -> String? {
            let path = folder + "/job-\(n).txt"
            for _ in 0..<100 {
                if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    static let profile = PrinterProfile.builtIn["pos80"]!

    /// A service receipt: what the kiosk prints for a resident.
    static func receipt() throws -> [UInt8] {
        var encoder = EscPosEncoder(profile: profile)
        encoder.initialize()
        encoder.align(.center)
        encoder.bold(true)
        try encoder.line("DESA HANURA")
        encoder.bold(false)
        encoder.align(.left)
        try encoder.line("Nomor antrean 251126-007")
        try encoder.line("Surat Keterangan Domisili")
        try encoder.qr("VK1:TEST") { MonochromeBitmap(width: 8, height: 1, bits: [0]) }
        try encoder.raster(MonochromeBitmap(width: 16, height: 2, bits: [0xFF, 0xFF, 0x00, 0x0F]))
        encoder.cut()
        return encoder.bytes
    }

    @Test func aReceiptPrintsAndThePrinterDecodesWhatItGot() async throws {
        let virtual = try VirtualPrinter()
        #expect(try await virtual.printer.status() == ThermalStatus())
        #expect(await virtual.printer.print(try Self.receipt()) == .printed)
        let transcript = try #require(await virtual.transcript())
        #expect(
            transcript == """
                BC1 DESA HANURA
                -L1 Nomor antrean 251126-007
                -L1 Surat Keterangan Domisili
                qr VK1:TEST
                raster 16x2
                cut

                """)
        #expect(FileManager.default.fileExists(atPath: virtual.folder + "/job-1.png"))
    }

    /// A letter's QR as a verification link: a real seal's length, behind the longest `verify_url` the configuration
    /// accepts (200 characters) and behind a usual one.
    static func verificationLinks() throws -> [String] {
        let seal = LetterSeal(
            number: LetterNumber(
                kindCode: "S-41", serial: 123, station: 2, village: try VillageCode("1809072001"), month: 11, year: 2026
            ),
            issuedOn: CalendarDate(year: 2026, month: 11, day: 24)!, kioskID: "HANURA-01",
            salt: [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0], holderDigest: Array(repeating: 0xAB, count: 16),
            signature: Array(repeating: 0xCD, count: 64))
        let longest =
            "https://verifikasi-surat.smartvillage.lampungprov.go.id/" + String(repeating: "a", count: 139)
            + "/surat"
        return [
            seal.qrText(verifyURL: "https://api.smartvillage.lampungprov.go.id/surat"),
            seal.qrText(verifyURL: String(longest.prefix(200))),
        ]
    }

    /// The slip as the printer printed it (its picture, one pixel a dot at 203 dpi), read with zbarimg: on 58 mm
    /// paper without native QR (the kiosk rasters it) and on 80 mm paper with the printer's own `GS ( k` QR, drawn
    /// at the module size the kiosk asked for.
    @Test(arguments: ["pos58", "pos80"])
    func aVerificationLinkOnASlipScansBack(profileName: String) async throws {
        let profile = try #require(PrinterProfile.builtIn[profileName])
        let renderer = try Renderer()
        for (index, link) in try Self.verificationLinks().enumerated() {
            let virtual = try VirtualPrinter(["--width-dots", "\(profile.widthDots)"])
            var encoder = EscPosEncoder(profile: profile)
            try encoder.slip(Slip([.text("PENGANTAR"), .qr(link)]), renderer: renderer)
            #expect(await virtual.printer.print(encoder.bytes) == .printed)
            _ = try #require(await virtual.transcript())
            let read = try await Services.run(
                "/usr/bin/zbarimg", ["--quiet", "--raw", "-Sqrcode.enable", virtual.folder + "/job-1.png"])
            // zbarimg may complain about D-Bus on standard error first: the decoded text is its last line.
            let decoded = read.output.split(separator: "\n").last.map(String.init) ?? ""
            #expect(
                decoded == link,
                "\(profileName), link \(index) (\(link.count) characters): zbarimg read \(read.output)")
        }
    }

    @Test(arguments: [(["--paper", "out"], PrinterProblem.paperOut), (["--cover-open"], .coverOpen)])
    func aStoppedPrinterGetsNothingAndSaysWhy(options: [String], problem: PrinterProblem) async throws {
        let virtual = try VirtualPrinter(options)
        #expect(try await virtual.printer.status()?.problem == problem)
        #expect(await virtual.printer.print(try Self.receipt()) == .failed(problem))
        // Only status was asked: no job reached the paper.
        try await Task.sleep(for: .milliseconds(200))
        #expect(!FileManager.default.fileExists(atPath: virtual.folder + "/job-1.txt"))
    }

    @Test func paperRunningOutMidJobFailsTheJobAfterItWasSent() async throws {
        let virtual = try VirtualPrinter(["--paper-bytes", "20"])
        #expect(try await virtual.printer.status()?.problem == nil, "paper at the start")
        #expect(await virtual.printer.print(try Self.receipt()) == .failed(.paperOut))
        #expect(try await virtual.printer.status()?.problem == .paperOut)
    }

    @Test func nearEndStillPrintsAndIsReported() async throws {
        let virtual = try VirtualPrinter(["--paper", "near-end"])
        let status = try #require(try await virtual.printer.status())
        #expect(status.paperNearEnd && status.problem == nil)
        #expect(await virtual.printer.print(try Self.receipt()) == .printed)
    }

    @Test func aPrinterThatNeverAnswersStatusIsUnknownNotReady() async throws {
        let virtual = try VirtualPrinter(["--silent"])
        #expect(try await virtual.printer.status() == nil)
        #expect(await virtual.printer.print(try Self.receipt()) == .printed)
        #expect(await virtual.transcript()?.contains("DESA HANURA") == true)
    }

    @Test func lateAnswersWithinTheTimeoutCount() async throws {
        let virtual = try VirtualPrinter(["--reply-delay-ms", "300"])
        #expect(try await virtual.printer.status() == ThermalStatus())
    }

    @Test func aPrinterThatIsGoneIsOfflineWithAClearError() async throws {
        let port = try Services.freePort()
        let printer = NetworkThermalPrinter(host: "127.0.0.1", port: port, connectTimeout: .seconds(1))
        await #expect(throws: ThermalError.self) { try await printer.status() }
        #expect(await printer.print([0x1B, 0x40]) == .failed(.offline))
        do {
            _ = try await printer.status()
        } catch {
            #expect(error.description.contains("does not answer"))
        }
    }

    // MARK: The kiosk

    /// A kiosk at an RT post: its letters are pengantar slips on the virtual printer.
    static func rtPostConfig(_ virtual: VirtualPrinter) throws -> String {
        let path = try LetterPrintingIntegrationTests.config(in: virtual.folder, server: "unused:1")
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "letters = \"cups\"", with: "letters = \"thermal\"\nthermal = \"127.0.0.1:\(virtual.port)\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anRTPostPrintsThePengantarSlipWithItsSignedQR() async throws {
        let virtual = try VirtualPrinter()
        let config = try Self.rtPostConfig(virtual)
        let script = virtual.folder + "/session.txt"
        try LetterPrintingIntegrationTests.session(ending: "await done").write(
            toFile: script, atomically: true, encoding: .utf8)
        let (status, output) = try await Services.run(
            Services.binaries + "/kiosk", ["run", "--config", config, "--script", script, "--await-seconds", "30"])
        #expect(status == 0, "\(output)")
        let transcript = try #require(await virtual.transcript())
        for expected in [
            "BC2 DESA HANURA", "-C1 PENGANTAR", "S-41/001-K2/1809072001/", "180907******0013", "qr VK1:S-41/001-K2/",
            "cut",
        ] {
            #expect(transcript.contains(expected), "the slip lacks \(expected): \(transcript)")
        }
        #expect(!transcript.contains("1809072107790013"), "a slip shows the NIK masked")
        #expect(FileManager.default.fileExists(atPath: virtual.folder + "/job-1.png"))
    }

    @Test func anRTPostOutOfPaperShowsTheResidentAndKeepsTheRecordUnprinted() async throws {
        let virtual = try VirtualPrinter(["--paper", "out"])
        let config = try Self.rtPostConfig(virtual)
        let script = virtual.folder + "/session.txt"
        try LetterPrintingIntegrationTests.session(ending: "await error-printer-paper-out").write(
            toFile: script, atomically: true, encoding: .utf8)
        let (status, output) = try await Services.run(
            Services.binaries + "/kiosk", ["run", "--config", config, "--script", script, "--await-seconds", "30"])
        #expect(status == 0, "\(output)")
        let kioskStatus = try await Services.run(Services.binaries + "/kiosk", ["status", "--config", config]).output
        #expect(kioskStatus.contains("printer:         out of paper: load a new roll"), "\(kioskStatus)")
        #expect(kioskStatus.contains("thermal printer: out of paper: load a new roll and close the cover (as of "))
        #expect(kioskStatus.contains("; last job: not printed, out of paper"), "\(kioskStatus)")
        #expect(Self.speaksWords(kioskStatus), "\(kioskStatus)")
    }

    @Test func testPrintThermalSaysTheStatusAndPrintsASample() async throws {
        let virtual = try VirtualPrinter(["--paper", "near-end"])
        let config = try Self.rtPostConfig(virtual)
        let (status, output) = try await Services.run(
            Services.binaries + "/kiosk", ["test-print", "--thermal", "--config", config])
        #expect(status == 0, "\(output)")
        #expect(output.contains("ready (paper near end)"), "\(output)")
        #expect(Self.speaksWords(output), "\(output)")
        #expect(await virtual.transcript()?.contains("SURAT UJI CETAK") == true)
    }

    // MARK: /dev/usb/lp*

    /// A FIFO stands in for /dev/usb/lp0: what the kiosk writes is read back whole; a FIFO has no printer-port
    /// status, so the status is unknown rather than "ready".
    @Test func theLinePrinterNodeGetsTheJobWholeAndItsStatusIsUnknownWithoutAPort() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let node = folder + "/lp0"
        #expect(mkfifo(node, 0o600) == 0)
        let job = try Self.receipt()
        // The reader: opens the FIFO (which lets the writer's open return) and reads to the end.
        let reading = Task.detached { () -> [UInt8] in
            let fd = open(node, O_RDONLY)
            defer { close(fd) }
            var all: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { return all }
                all += buffer.prefix(count)
            }
        }
        let printer = LinePrinterDevice(path: node)
        #expect(await printer.print(job) == .printed)
        #expect(await reading.value == job)

        let missing = LinePrinterDevice(path: folder + "/lp9")
        #expect(await missing.print(job) == .failed(.offline))
        await #expect(throws: ThermalError.self) { try await missing.status() }
    }

    // MARK: USB through libusb, under umockdev

    /// `kiosk test-print --thermal --raw` to the POS58 printer (0416:5011) umockdev emulates from a trace in which
    /// every OUT byte must match: the status request, the job, the status request again.
    static func usb(trace: String) async throws -> (status: Int32, output: String) {
        let runner = try Umockdev.runner()
        let fixtures = Self.usbFixtures
        return try await Self.withUSBConfig { path in
            try await Services.run(
                runner,
                [
                    "--device", fixtures + "/device.umockdev", "--ioctl", "/dev/bus/usb/001/002=\(fixtures)/\(trace)",
                    "--", Services.binaries + "/kiosk", "test-print", "--thermal", "--raw", "1B4048690A", "--config",
                    path,
                ])
        }
    }

    static let usbFixtures = Bundle.module.bundleURL.appendingPathComponent("Fixtures/usb-thermal").path

    /// A kiosk configuration with the POS58 printer on USB (auto-detach off: umockdev cannot detach usblp).
    static func withUSBConfig<T>(_ body: (String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("usb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try LetterPrintingIntegrationTests.config(in: folder, server: "unused:1")
        let config = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "letters = \"cups\"",
            with: "thermal = \"usb:0416:5011\"\nthermal_profile = \"pos58\"\nthermal_detach_kernel_driver = false")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return try await body(path)
    }

    @Test func aJobReachesTheUSBPrinterByteForByteBetweenTwoStatusChecks() async throws {
        let (status, output) = try await Self.usb(trace: "ready-job.ioctl")
        #expect(status == 0, "\(output)")
        #expect(output.contains("sent 5 byte(s) to usb:0416:5011: printed"), "\(output)")
    }

    @Test func aUSBPrinterOutOfPaperGetsNoJob() async throws {
        // The trace has no OUT record for the job: had it been sent, the replay would have failed the transfer.
        let (status, output) = try await Self.usb(trace: "paper-out.ioctl")
        #expect(status == 1, "\(output)")
        #expect(output.contains("out of paper: load a new roll"), "\(output)")
        #expect(Self.speaksWords(output), "\(output)")
    }

    /// Plug and unplug at run time (Fixtures/usb-thermal/plug.py, umockdev's Testbed under umockdev-wrapper): a job
    /// sent while no printer is there waits and prints when it arrives (libusb hotplug ARRIVED); the printer is
    /// pulled (LEFT), the next job waits and prints on the printer plugged back in under a new address. Each step
    /// is started by what the kiosk said, never by a delay; each job's OUT bytes are checked by its trace.
    @Test func aUSBPrinterPluggedInLateAndRepluggedServesTheWaitingJobs() async throws {
        let wrapper = try await Umockdev.wrapper()
        let (status, output) = try await Self.withUSBConfig { path in
            try await Services.run(
                wrapper,
                [
                    "/usr/bin/python3", Self.usbFixtures + "/plug.py", Self.usbFixtures,
                    Services.binaries + "/kiosk", "test-print", "--thermal", "--watch", "--config", path,
                ])
        }
        #expect(status == 0, "\(output)")
        // Events and job outcomes come from two tasks: each sequence is in order, their interleaving is not.
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("job ") } == ["job 1: printed", "job 2: printed"], "\(output)")
        #expect(
            lines.filter { $0.hasPrefix("usb:0416:5011 ") } == [
                "usb:0416:5011 waiting", "usb:0416:5011 arrived", "usb:0416:5011 left", "usb:0416:5011 waiting",
                "usb:0416:5011 arrived",
            ], "\(output)")
    }

    // MARK: the control port

    /// The printer's state changed while it runs, as the operator's world does: a job prints, the paper runs out
    /// (said on the control port), the next status says so and a job gets nothing; a new roll and it prints again.
    @Test func theControlPortChangesThePrinterWhileItRuns() async throws {
        let virtual = try VirtualPrinter(["--control-port", "0"])
        #expect(try virtual.control("status") == "ok paper=ok cover=closed silent=off delay=0")
        #expect(await virtual.printer.print(try Self.receipt()) == .printed)

        #expect(try virtual.control("paper out") == "ok paper=out cover=closed silent=off delay=0")
        #expect(try await virtual.printer.status()?.problem == .paperOut)
        #expect(await virtual.printer.print(try Self.receipt()) == .failed(.paperOut))

        #expect(try virtual.control("paper ok").hasPrefix("ok paper=ok"))
        #expect(try virtual.control("cover open").hasPrefix("ok paper=ok cover=open"))
        #expect(try await virtual.printer.status()?.problem == .coverOpen)
        #expect(try virtual.control("cover closed").hasPrefix("ok paper=ok cover=closed"))
        #expect(try virtual.control("paper near-end").hasPrefix("ok paper=near-end"))
        #expect(try await virtual.printer.status()?.paperNearEnd == true)
        #expect(try virtual.control("silent on").hasSuffix("silent=on delay=0"))
        #expect(try await virtual.printer.status() == nil)
        #expect(try virtual.control("silent off").hasSuffix("silent=off delay=0"))
        #expect(try virtual.control("delay 20").hasSuffix("delay=20"))
        #expect(try virtual.control("paper sideways").hasPrefix("error: paper takes"))
        #expect(try virtual.control("make coffee").hasPrefix("error: commands are"))

        #expect(await virtual.printer.print(try Self.receipt()) == .printed)
        #expect(await virtual.transcript(1)?.contains("DESA HANURA") == true)

        // The kiosk learns it too, and keeps it for `kiosk status` and the heartbeat.
        let config = try Self.rtPostConfig(virtual)
        let kiosk = Services.binaries + "/kiosk"
        #expect(try virtual.control("paper out").hasPrefix("ok paper=out"))
        let (status, output) = try await Services.run(
            kiosk, ["test-print", "--thermal", "--raw", "1B40", "--config", config])
        #expect(status == 1 && output.contains("not printed, out of paper: load a new roll"), "\(output)")
        #expect(Self.speaksWords(output), "\(output)")
        let kioskStatus = try await Services.run(kiosk, ["status", "--config", config]).output
        #expect(kioskStatus.contains("thermal printer: out of paper: load a new roll"), "\(kioskStatus)")
        #expect(try virtual.control("paper near-end").hasPrefix("ok paper=near-end"))
        #expect(try await Services.run(kiosk, ["test-print", "--thermal", "--raw", "1B40", "--config", config]).status == 0)
        let nearEnd = try await Services.run(kiosk, ["status", "--config", config]).output
        #expect(
            nearEnd.contains("thermal printer: ready, paper near end: load a new roll soon (as of ")
                && nearEnd.contains("; last job: printed"),
            "\(nearEnd)")
        // The job while the paper was out never left the kiosk (its status check said out): job 2 is the last one.
        #expect(await virtual.transcript(2)?.contains("DESA HANURA") == true)
    }
}
