import ArgumentParser

/// `kiosk-sim`: the virtual world the demo and the integration tests run the kiosk in.
@main
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-sim",
        abstract: "Virtual residents and devices for the kiosk's demo and tests.",
        subcommands: [ResidentCommand.self, CardCommand.self, APICommand.self, PrinterCommand.self, CompareCommand.self]
    )
}

/// `kiosk-sim resident`: writes what one resident does at the kiosk, as a script for `kiosk run --script`.
struct ResidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resident",
        abstract:
            "Write a resident's session (tap card, PIN, pick a letter and purpose, print, take the card) as a script.")

    @Option(help: "The UID of the resident's e-KTP, in hex.")
    var card = "04A21B6C9E4F80"

    @Option(help: "The PIN the resident types, if the kiosk asks for one.")
    var pin: String?

    @Option(help: "Part of the title of the letter to touch in the menu.")
    var letter = "Domisili"

    @Option(help: "Part of the purpose to touch, for letters that ask for one.")
    var purpose: String?

    func validate() throws {
        if let pin, !pin.allSatisfy(\.isNumber) { throw ValidationError("--pin takes digits only") }
    }

    func run() {
        print(ResidentScript(card: card, pin: pin, letter: letter, purpose: purpose).text, terminator: "")
    }
}

/// One resident's visit, as the steps `kiosk run --script` plays. Every `press` waits for its button to be on
/// screen, so the script needs no timing.
struct ResidentScript {
    var card: String
    var pin: String?
    var letter: String
    var purpose: String?

    var text: String {
        var lines = [
            "# A resident taps the e-KTP, asks for a letter and takes the print.",
            "await idle",
            "tap \(card)",
        ]
        if let pin {
            lines.append("await pin")
            lines += pin.map { "key \($0)" }
        }
        lines.append("press \(letter)")
        if let purpose { lines.append("press \(purpose)") }
        lines += [
            "await confirm",
            "press Cetak",
            "await done",
            "remove",
            "await idle",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
