import Core
import Foundation
import Testing

/// Maintenance's "Periksa Surat" through `kiosk run --script`: a resident prints a letter, then the operator's card
/// and PIN open maintenance, and the number typed on the on-screen keypad (its digits page and its letters page) is
/// found as issued by this kiosk, a number it never gave is not, and a malformed one is named as such.
@Suite("Periksa Surat through kiosk run", .serialized)
struct LetterCheckSessionTests {
    /// The script steps that type `number` on the keypad, turning its page where the next key is on the other one.
    static func typing(_ number: String) -> String {
        var letters = false
        var steps: [String] = []
        for character in number {
            if character.isLetter != letters {
                steps.append("press " + (letters ? Teks.CheckLetter.digits : Teks.CheckLetter.letters))
                letters.toggle()
            }
            steps.append("press \(character)")
        }
        if letters { steps.append("press " + Teks.CheckLetter.digits) }
        return steps.joined(separator: "\n")
    }

    @Test func theOperatorFindsTheLetterThisKioskPrintedAndNotOneItNeverGave() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("letter-check-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try BoardDetailSessionTests.configure(folder)
        let pin = try await Services.run(
            "/bin/sh",
            ["-c", "echo 482915 | '\(BoardDetailSessionTests.kiosk)' pin set --card DEADBEEF --config '\(config)'"])
        try #require(pin.status == 0, "\(pin.output)")

        // I KETUT WIRAWAN prints a domicile letter; its number is in the kiosk's log.
        let printed = try await BoardDetailSessionTests.run(
            """
            await idle
            tap 04A21B6C9E4F80
            press Surat Keterangan Domisili
            press Melamar pekerjaan
            await confirm
            press Cetak
            await done
            remove
            await idle
            """, folder: folder, config: config)
        #expect(printed.status == 0, "\(printed.output)")
        let number = try #require(
            printed.output.split(separator: "\n").lazy.compactMap { line in
                line.range(of: "number=").map { String(line[$0.upperBound...].prefix { $0 != " " }) }
            }.first, "no number in: \(printed.output)")
        let issued = try #require(LetterNumber(number))
        var other = issued
        other.serial += 41

        let (status, output) = try await BoardDetailSessionTests.run(
            """
            await idle
            tap DEADBEEF
            await pin
            press 4
            press 8
            press 2
            press 9
            press 1
            press 5
            await maintenance
            press \(Teks.checkLetter)
            await letter-check
            \(Self.typing(number))
            press \(Teks.ok)
            see \(Teks.CheckLetter.issued)
            see Jenis: Surat Keterangan Domisili
            press \(Teks.CheckLetter.again)
            await letter-check
            \(Self.typing(other.formatted))
            press \(Teks.ok)
            see \(Teks.CheckLetter.notIssued[0])
            press \(Teks.CheckLetter.again)
            \(Self.typing("12/3"))
            press \(Teks.ok)
            see \(Teks.CheckLetter.malformedTitle)
            press \(Teks.back)
            await maintenance
            press \(Teks.exit)
            await idle
            """, folder: folder, config: config)
        #expect(status == 0, "\(output)")
        #expect(output.contains("operator checked a letter number found=issued"), "\(output)")
        #expect(output.contains("operator checked a letter number found=not-issued"), "\(output)")
        #expect(!output.contains("screen=error"), "\(output)")
        // The holder is never named on these screens, and no number or PIN reaches the log from them.
        #expect(!output.contains("482915"))
        #expect(!output.contains("WIRAWAN"))
    }
}
