import ArgumentParser
import Core
import Foundation
import KioskKit

/// `kiosk pin`: residents' PINs, registered at the village office.
struct PINCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin", abstract: "Register a resident's PIN, or lift a card's lockout.",
        subcommands: [PINSetCommand.self, PINResetCommand.self])
}

/// The `--card` option both PIN subcommands take.
struct CardOption: ParsableArguments {
    @Option(name: .long, help: "The resident's card UID in hex, as the kiosk reads it (e.g. 04A21B6C9E4F80).")
    var card: String

    func uid() throws -> CardUID {
        do throws(CardUIDError) { return try CardUID(hex: card) } catch {
            throw ValidationError("--card \(card): \(error)")
        }
    }

    /// The resident holding the card, or a message on standard error and exit status 1.
    func holder(in registry: SQLiteRegistry) async throws -> SQLiteRegistry.Holder {
        let uid = try uid()
        if try await registry.isOperatorCard(uid) {
            printError("card \(uid.hex) is an operator card ([operators] cards); operators have no PIN")
            throw ExitCode(1)
        }
        guard let holder = try await registry.holder(of: uid) else {
            printError(
                "no resident has the card \(uid.hex); import the OpenSID export with its tag_id_card first "
                    + "(kiosk import residents FILE.csv)")
            throw ExitCode(1)
        }
        return holder
    }
}

/// `kiosk pin set --card HEX`: stores a resident's PIN, read from standard input.
struct PINSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Register the PIN of the resident holding a card; the PIN is read from standard input.",
        discussion: """
            The resident types the PIN (twice) at the prompt; from a script, pipe it in on one line. It is never \
            an argument, because the command line is visible to every user (ps). The PIN must have \
            identity.pin_length digits; a repeated digit, a run like 123456 or 654321, and the resident's birth \
            date are refused. Only a scrypt hash is stored. Setting a PIN also lifts the card's lockout.
            """)

    @OptionGroup var card: CardOption
    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        let registry = SQLiteRegistry(database: try settings.openDatabase(), settings: settings)
        let holder = try await card.holder(in: registry)
        let pin: PIN
        do {
            let typed = try SecretInput.read(prompt: "PIN (\(settings.policy.pinLength) digits): ")
            pin = try PINRules.check(typed, length: settings.policy.pinLength, resident: holder.resident)
        } catch {
            printError("PIN not set: \(error)")
            throw ExitCode(1)
        }
        try await registry.setPIN(pin, for: holder, at: .now())
        print(
            "PIN \(holder.hasPIN ? "changed" : "set") for the resident of card \(try card.uid().hex) "
                + "(\(registry.scrypt)); failed attempts cleared.")
    }
}

/// `kiosk pin reset --card HEX`: clears a card's failed attempts, and with them its lockout.
struct PINResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Clear a card's failed PIN attempts and lift its lockout (the PIN stays as it is).")

    @OptionGroup var card: CardOption
    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        let registry = SQLiteRegistry(database: try settings.openDatabase(), settings: settings)
        let holder = try await card.holder(in: registry)
        let cleared = try await registry.resetFailures(for: holder, at: .now())
        let uid = try card.uid().hex
        print(
            cleared == 0
                ? "Card \(uid) had no recent failed PIN attempts; nothing to clear."
                : "Cleared \(cleared) failed PIN attempt\(cleared == 1 ? "" : "s") of card \(uid)"
                    + (cleared >= settings.policy.pinAttempts ? "; it is no longer locked." : "."))
    }
}
