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
