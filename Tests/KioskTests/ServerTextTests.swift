import Foundation
import ProvincialAPI
import Testing

@testable import KioskKit

@Suite("Server text in log lines")
struct ServerTextTests {
    @Test func aProblemsDetailLosesNumbersAndLineBreaks() {
        // A server quoting the record back ("NIK ... tidak cocok") once put the NIK into the journal through the
        // error's description (issue 18, item 11).
        let problem = Problem(
            title: "rejected", status: 422, code: "nik-mismatch",
            detail: "NIK 1809074707850002 tidak cocok\nfake: log line, telp 081234567890")
        let text = "\(APICallError.refused(problem))"
        #expect(!text.contains("1809074707850002") && !text.contains("081234567890"), "\(text)")
        #expect(!text.contains("\n"))
        #expect(text == "the provincial API refused the request (HTTP 422 nik-mismatch: NIK [number] tidak cocok fake: "
            + "log line, telp [number])")
    }

    @Test func shortNumbersStayAndLongTextIsCut() {
        #expect(ServerText.redacted("HTTP 503, try in 30 s; RT 004/RW 12") == "HTTP 503, try in 30 s; RT 004/RW 12")
        let long = ServerText.redacted(String(repeating: "x", count: 1000))
        #expect(long.count == ServerText.longest + 1 && long.hasSuffix("…"))
    }
}

@Suite("The provincial API's transport")
struct APITransportTests {
    @Test(arguments: [
        ("https://api.example.id", true), ("http://127.0.0.1:8080", true), ("http://localhost:9", true),
        ("http://[::1]:8080", true),
        // Records (NIKs among them) once went to any http:// URL in the clear (issue 18, item 8).
        ("http://api.example.id", false), ("http://10.0.2.100", false), ("http://127.example.id", false),
    ])
    func plainHTTPOnlyToThisMachine(url: String, allowed: Bool) throws {
        let parsed = try #require(URL(string: url))
        #expect((ProvincialClient.problem(with: parsed) == nil) == allowed, "\(url)")
        #expect(ProvincialClient.problem(with: parsed, demo: true) == nil, "a demo kiosk may use \(url)")
        let text = SampleConfig.valid + "\n[api]\nurl = \"\(url)\"\n"
        if allowed {
            #expect(try SampleConfig.parse(text).api.url == parsed)
        } else {
            #expect(SampleConfig.problems(text).map(\.key) == ["api.url"], "\(url)")
        }
    }

    @Test func tlsBelow12IsRefused() throws {
        #expect(try ProvincialClient.tls(trustAnchor: nil).minimumTLSVersion == .tlsv12)
    }
}
