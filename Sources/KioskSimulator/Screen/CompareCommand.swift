import ArgumentParser
import Drivers

/// `kiosk-sim compare`: a screen as a panel showed it (a QEMU screen dump, a photo's crop, a snapshot) against its
/// golden PNG, with the snapshot tests' own rule (`RasterImage.differences`): the system test's check that the
/// installed kiosk, on a real kernel framebuffer and VT, shows exactly what the renderer drew, and nothing else.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a screen image with its golden PNG, as the snapshot tests do.",
        discussion: """
            Exits 0 when fewer than --max-fraction of the pixels differ by more than --tolerance in a colour \
            channel, 1 otherwise, and prints how many differ and where.
            """)

    @Option(help: "The golden PNG.")
    var golden: String

    @Option(help: "The PNG to check (same size as the golden).")
    var actual: String

    @Option(help: "Largest difference in one colour channel that still counts as equal (8 for 24-bit panels).")
    var tolerance = 8

    @Option(help: "Share of the pixels that may differ (0.003 as the snapshot tests).")
    var maxFraction = 0.003

    func run() throws {
        let renderer = try Renderer()
        let expected = try renderer.raster(png: golden)
        let shown = try renderer.raster(png: actual)
        guard expected.width == shown.width, expected.height == shown.height else {
            print("\(actual) is \(shown.width)x\(shown.height), the golden \(golden) \(expected.width)x\(expected.height)")
            throw ExitCode.failure
        }
        let (count, region) = shown.differences(from: expected, tolerance: tolerance)
        let fraction = Double(count) / Double(shown.width * shown.height)
        let place = region.map { " within \($0)" } ?? ""
        let verdict = fraction < maxFraction ? "matches" : "DIFFERS from"
        print("\(actual) \(verdict) \(golden): \(count) pixels differ\(place)")
        if fraction >= maxFraction { throw ExitCode.failure }
    }
}
