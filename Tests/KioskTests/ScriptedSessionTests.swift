import Core
import Testing

@testable import KioskKit

@Suite("Scripted sessions")
struct ScriptedSessionTests {
    @Test func everyStepParses() throws {
        let script = try ScriptedSession(
            text: """
                # a comment
                await idle
                tap 04:a2:1b:6c:9e:4f:80

                press Surat Keterangan Domisili
                touch 120.5 80
                key 7
                key enter
                sleep 0.25
                remove
                """)
        #expect(
            script.steps.map(\.step) == [
                .await("idle"), .tap(try CardUID(hex: "04A21B6C9E4F80")), .press("Surat Keterangan Domisili"),
                .touch(PointMM(x: 120.5, y: 80)), .key(.digit(7)), .key(.enter), .sleep(.milliseconds(250)), .remove,
            ])
        #expect(script.steps.map(\.line) == [2, 3, 5, 6, 7, 8, 9, 10])
    }

    @Test(arguments: [
        ("jump 3", "unknown step \"jump\""),
        ("tap 0102", "tap needs a card UID in hex"),
        ("key f13", "unknown key \"f13\""),
        ("touch 12", "touch needs two numbers"),
        ("sleep soon", "sleep needs seconds"),
        ("await", "await needs a screen name"),
        ("press", "press needs part of a button's label"),
    ])
    func badStepsNameTheLineAndTheFix(line: String, message: String) {
        #expect {
            _ = try ScriptedSession(text: "await idle\n" + line)
        } throws: { error in
            "\(error)".hasPrefix("script line 2: ") && "\(error)".contains(message)
        }
    }

    @Test func thePlayerPrefersTheExactTitleOverALongerOne() {
        let buttons = [
            Button(.letter("S-16"), "1. Surat Keterangan Domisili Usaha", role: .choice),
            Button(.letter("S-41"), "2. Surat Keterangan Domisili", role: .choice),
        ]
        #expect(ScriptPlayer.best(buttons, for: "surat keterangan domisili")?.id == .letter("S-41"))
        #expect(ScriptPlayer.best(buttons, for: "usaha")?.id == .letter("S-16"))
        #expect(ScriptPlayer.best(buttons, for: "kelahiran") == nil)
    }
}
