import Benchmark
import Core
import Drivers
import Foundation

/// From a confirmed letter to bytes at the printer (DESIGN.md §9: 300 ms median to the first byte). The record's
/// transaction is measured in Benchmarks/Records; here: compose, lay out, draw the PDF, and hand it to CUPS.
let resident = Resident(
    nik: try! NIK("1809072107790013"), name: "I KETUT WIRAWAN", birthPlace: "BANDAR LAMPUNG",
    birthDate: CalendarDate(year: 1979, month: 7, day: 21)!, sex: .male, address: "JL. RAYA HANURA NO. 13", rt: "001",
    rw: "002", religion: "HINDU", maritalStatus: "KAWIN", occupation: "PERDAGANGAN")
let kind = LetterKind(
    code: "S-41", title: "Surat Keterangan Domisili", classification: "470", template: "s-41.mustache",
    purposes: ["Melamar pekerjaan"])
let template = try! LetterTemplate(
    """
    Orang tersebut di atas adalah benar berdomisili di Desa {{desa}}, {{alamat}} RT {{rt}} / RW {{rw}}.
    Surat ini dibuat untuk keperluan {{keperluan}} dan berlaku sampai dengan {{berlaku}}.
    """)
let head = Letterhead(
    regency: "Pesawaran", district: "Gedong Tataan", village: "Hanura",
    address: "Jl. Raya Hanura No. 1, Kec. Teluk Pandan, Kab. Pesawaran, Lampung 35450")
let number = LetterNumber(kindCode: "S-41", serial: 7, village: try! VillageCode("1809072001"), month: 11, year: 2026)
let date = CalendarDate(year: 2026, month: 11, day: 24)!
/// A seal of the real length (the signature itself, ~50 us of Ed25519, is the Kiosk's and not in this package), a
/// different one for each letter as in service: its QR is encoded anew for every letter, as ReportLab's is.
func seal(_ serial: Int) -> String {
    let signature = String(repeating: "5C", count: 60) + String(String(serial % 65536 + 65536, radix: 16).suffix(4))
        + "5C5C"
    return "VK1:S-41/007/1809072001/XI/2026:20261124:LPG-PSW-HANURA-01:0102030405060708:"
        + String(repeating: "AB", count: 16) + ":" + signature.uppercased()
}

nonisolated(unsafe) var serial = 0

func letter() -> Letter {
    serial += 1
    return Letter(
        request: LetterRequest(kind: kind, purpose: "Melamar pekerjaan", resident: resident, card: nil),
        number: number, issuedOn: date, letterhead: head, template: template, nikStyle: .full, seal: seal(serial))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(3), maxIterations: 100)
    let renderer = try! Renderer()
    slipBenchmarks(renderer: renderer)
    statusBenchmarks()
    if ProcessInfo.processInfo.environment["KIOSK_SLIP_SIZES"] != nil { slipSizes(renderer: renderer) }

    Benchmark("Letter compose + layout (F4, cairo metrics)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(LetterLayout(paper: .f4, measurer: renderer).layout(letter()))
        }
    }

    Benchmark("Letter confirmed -> PDF bytes") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! renderer.pdf(LetterLayout(paper: .f4, measurer: renderer).layout(letter())))
        }
    }

    // Needs the private CUPS of scripts/test-printer (`make bench` starts it): KIOSK_CUPS_SERVER=localhost:8631.
    if let server = ProcessInfo.processInfo.environment["KIOSK_CUPS_SERVER"] {
        let printer = CUPSPrinter(queue: "kiosk-letters", server: server)
        Benchmark("Letter confirmed -> job accepted by CUPS") { benchmark in
            for _ in benchmark.scaledIterations {
                let pdf = try! renderer.pdf(LetterLayout(paper: .f4, measurer: renderer).layout(letter()))
                blackHole(try! await printer.submit(pdf: pdf, title: "Surat S-41 benchmark"))
            }
        }
    }
}
