import Core
import Testing

@testable import KioskKit

/// `[queue]` in kiosk.toml: the defaults, configured services, and a clear problem for each mistake.
@Suite("Configuration: [queue]")
struct QueueConfigurationTests {
    static let thermal = "\n[printing]\nthermal = \"127.0.0.1:9100\"\n"

    @Test func theQueueIsOffUnlessEnabledAndThenOffersTheDefaultServices() throws {
        #expect(try SampleConfig.parse(SampleConfig.valid).policy.queueServices.isEmpty)
        let settings = try SampleConfig.parse(
            SampleConfig.valid + Self.thermal + "\n[queue]\nenabled = true\nwithout_card = true\n")
        #expect(settings.policy.queueServices == QueueService.defaults)
        #expect(settings.policy.queueWithoutCard)
    }

    @Test func configuredServicesReplaceTheDefaults() throws {
        let settings = try SampleConfig.parse(
            SampleConfig.valid + Self.thermal + """

                [queue]
                enabled = true
                [[queue.service]]
                code = "KTP"
                title = "Perekaman e-KTP"
                """)
        #expect(settings.policy.queueServices == [QueueService(code: "KTP", title: "Perekaman e-KTP")])
        #expect(!settings.policy.queueWithoutCard)
    }

    @Test func eachMistakeIsNamed() {
        let noPrinter = SampleConfig.problems(SampleConfig.valid + "\n[queue]\nenabled = true\n")
        #expect(noPrinter.map(\.key) == ["queue.enabled"])
        #expect(noPrinter.first?.message.contains("needs a thermal printer") == true)
        let off = SampleConfig.problems(SampleConfig.valid + "\n[queue]\nwithout_card = true\n")
        #expect(off.map(\.key) == ["queue.without_card"])
        let bad = SampleConfig.problems(
            SampleConfig.valid + Self.thermal + """

                [queue]
                enabled = true
                colour = "red"
                [[queue.service]]
                code = "kk lower"
                title = "Perubahan KK"
                [[queue.service]]
                code = "KK"
                title = "Perubahan KK"
                [[queue.service]]
                code = "KK"
                title = "\(String(repeating: "x", count: 61))"
                [[queue.service]]
                title = "Tanpa kode"
                """)
        #expect(
            Set(bad.map(\.key)) == [
                "queue.colour", "queue.service[0].code", "queue.service[2].code", "queue.service[2].title",
                "queue.service[3].code",
            ], "\(bad)")
    }
}
