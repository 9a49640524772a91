import Benchmark
import Core
import Drivers
import Foundation

/// A 576 x 1183-dot slip (72 x 148 mm at 203 dpi: text, rules, grey shapes), the image printing.md §10 measures
/// python-escpos on. Written to KIOSK_SLIP_PNG when set, so the peer encodes the very same pixels.
func slipPage() -> DisplayPage {
    var items: [DisplayItem] = []
    for row in 0..<28 {
        let y = 40.0 + Double(row) * 40
        items.append(.text(TextRun("Baris \(row + 1): SURAT KETERANGAN DOMISILI 001", at: Point(x: 16, y: y), font: Font(.sans, size: 22, bold: row % 3 == 0))))
        items.append(.rule(from: Point(x: 16, y: y + 8), to: Point(x: 560, y: y + 8), width: 1))
    }
    for i in 0..<6 {
        let grey = 0.2 + Double(i) * 0.12
        items.append(.fill(Rect(x: 16 + Double(i) * 90, y: 1000, width: 80, height: 160), Color(red: grey, green: grey, blue: grey)))
    }
    return DisplayPage(size: Size(width: 576, height: 1183), items: items)
}

func slipBenchmarks(renderer: Renderer) {
    let image = try! renderer.raster(slipPage())
    if let path = ProcessInfo.processInfo.environment["KIOSK_SLIP_PNG"] {
        try! Data(try! renderer.png(slipPage())).write(to: URL(fileURLWithPath: path))
    }
    let profile = PrinterProfile.builtIn["tm-t20"]!

    // The encoder's part, as python-escpos's image(): threshold to 1 bit and GS v 0 bands.
    Benchmark("Slip 576x1183 -> ESC/POS raster (GS v 0)", configuration: .init(maxIterations: 1000)) { benchmark in
        for _ in benchmark.scaledIterations {
            var encoder = EscPosEncoder(profile: profile)
            try! encoder.raster(MonochromeBitmap(image))
            blackHole(encoder.bytes)
        }
    }

    // Its two steps apart.
    Benchmark("Slip 576x1183 threshold to 1 bit", configuration: .init(maxIterations: 1000)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(MonochromeBitmap(image)) }
    }
    let bitmap = MonochromeBitmap(image)
    Benchmark("Slip 576x1183 1 bit -> GS v 0 bands", configuration: .init(maxIterations: 1000)) { benchmark in
        for _ in benchmark.scaledIterations {
            var encoder = EscPosEncoder(profile: profile)
            try! encoder.raster(bitmap)
            blackHole(encoder.bytes)
        }
    }

    // A text-only receipt: what most slips are.
    Benchmark("Receipt, text only -> ESC/POS", configuration: .init(maxIterations: 10000)) { benchmark in
        for _ in benchmark.scaledIterations {
            var encoder = EscPosEncoder(profile: profile)
            encoder.initialize()
            encoder.align(.center)
            encoder.bold(true)
            try! encoder.line("DESA HANURA")
            encoder.bold(false)
            for line in ["Nomor antrean 251126-007", "Surat Keterangan Domisili", "Nomor S-41/001/1809072001/XI/2026"] {
                try! encoder.line(line)
            }
            encoder.cut()
            blackHole(encoder.bytes)
        }
    }
}

/// `kiosk-sim printer` on a free loopback port for the status round trip, started by the benchmark's setup and
/// killed by its teardown (package-benchmark runs each benchmark in a process of its own).
final class VirtualPrinterProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(kioskSim: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-printer-\(UUID().uuidString)")
        process.executableURL = URL(fileURLWithPath: kioskSim)
        process.arguments = ["printer", "--port", "0", "--output", folder.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        // "kiosk-sim printer: listening on PORT": waited for, not slept on.
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        port = Int(text.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

nonisolated(unsafe) var virtualPrinter: VirtualPrinterProcess?

/// The status round trip over TCP: connect, `DLE EOT 1..4`, the four replies, close; what the kiosk does before
/// and after each job. Needs KIOSK_SIM (the kiosk-sim binary; `make bench` passes it).
func statusBenchmarks() {
    guard let kioskSim = ProcessInfo.processInfo.environment["KIOSK_SIM"] else { return }
    Benchmark(
        "Thermal status round trip over TCP (kiosk-sim printer)", configuration: .init(maxIterations: 2000),
        closure: { benchmark in
            let printer = NetworkThermalPrinter(host: "127.0.0.1", port: virtualPrinter?.port ?? 0)
            for _ in benchmark.scaledIterations { blackHole(try! await printer.status()) }
        },
        setup: { virtualPrinter = try VirtualPrinterProcess(kioskSim: kioskSim) },
        teardown: { virtualPrinter?.stop() })
}

/// The bytes each slip makes, said once (benchmarks measure time; the issue asks for both).
func slipSizes(renderer: Renderer) {
    let profile = PrinterProfile.builtIn["tm-t20"]!
    var raster = EscPosEncoder(profile: profile)
    try! raster.raster(MonochromeBitmap(try! renderer.raster(slipPage())))
    var receipt = EscPosEncoder(profile: profile)
    receipt.initialize()
    receipt.align(.center)
    receipt.bold(true)
    try! receipt.line("DESA HANURA")
    receipt.bold(false)
    for line in ["Nomor antrean 251126-007", "Surat Keterangan Domisili", "Nomor S-41/001/1809072001/XI/2026"] {
        try! receipt.line(line)
    }
    receipt.cut()
    FileHandle.standardError.write(
        Data("bytes: slip 576x1183 GS v 0 \(raster.bytes.count), text receipt \(receipt.bytes.count)\n".utf8))
}
