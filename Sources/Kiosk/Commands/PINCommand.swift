import ArgumentParser
import Core
import Foundation
import KioskKit

/// `kiosk pin`: residents' PINs, registered at the village office.
struct PINCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin", abstract: "Register a resident's or an operator's PIN, or lift a card's lockout.",
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

    /// Whose PIN the card carries (a resident's or an operator's), or a message on standard error and exit
    /// status 1.
    func owner(in registry: SQLiteRegistry, settings: KioskSettings) async throws -> SQLiteRegistry.PINOwner {
        let uid = try uid()
        // As `kiosk run` does at start: an operator card configured since gets its PIN before the first start.
        try await registry.syncOperatorCards(settings.operatorCards)
        guard let owner = try await registry.owner(of: uid) else {
            printError(
                "no resident has the card \(uid.hex) and it is no operator card; import the OpenSID export with its "
                    + "tag_id_card first (kiosk import residents FILE.csv), or add it to [operators] cards")
            throw ExitCode(1)
        }
        return owner
    }
}

/// `kiosk pin set --card HEX`: stores a resident's PIN, read from standard input.
struct PINSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract:
            "Register the PIN of the resident holding a card, or of an operator card; the PIN is read from standard input.",
        discussion: """
            The resident (or the operator) types the PIN (twice) at the prompt; from a script, pipe it in on one \
            line. It is never an argument, because the command line is visible to every user (ps). The PIN must have \
            identity.pin_length digits; a repeated digit, a run like 123456 or 654321, and the resident's birth \
            date are refused. Only a scrypt hash is stored. Setting a PIN also lifts the card's lockout. An operator \
            card ([operators] cards) opens maintenance only with its PIN.
            """)

    @OptionGroup var card: CardOption
    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        let registry = try SQLiteRegistry(database: try settings.openDatabase(), settings: settings)
        let owner = try await card.owner(in: registry, settings: settings)
        let pin: PIN
        do {
            let typed = try SecretInput.read(prompt: "PIN (\(settings.policy.pinLength) digits): ")
            let resident: Resident? = if case .resident(let holder) = owner { holder.resident } else { nil }
            pin = try PINRules.check(typed, length: settings.policy.pinLength, resident: resident)
        } catch {
            printError("PIN not set: \(error)")
            throw ExitCode(1)
        }
        try await registry.setPIN(pin, for: owner, at: .now())
        let whose = if case .operatorCard = owner { "operator card" } else { "the resident of card" }
        print(
            "PIN \(owner.hasPIN ? "changed" : "set") for \(whose) \(try card.uid().hex) "
                + "(\(registry.scrypt)); failed attempts cleared.")
    }
}

/// `kiosk pin reset --card HEX`: clears a card's failed attempts, and with them its lockout.
struct PINResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract:
            "Clear a card's failed PIN attempts and lift its lockout, the hard lock too (the PIN stays as it is).")

    @OptionGroup var card: CardOption
    @OptionGroup var options: ConfigOption

    func run() async throws {
        let settings = try options.loadSettings()
        let registry = try SQLiteRegistry(database: try settings.openDatabase(), settings: settings)
        let owner = try await card.owner(in: registry, settings: settings)
        let wasLocked = try await registry.isLocked(owner, at: .now())
        let cleared = try await registry.resetFailures(for: owner, at: .now())
        let uid = try card.uid().hex
        print(
            cleared == 0
                ? "Card \(uid) had no failed PIN attempts; nothing to clear."
                : "Cleared \(cleared) failed PIN attempt\(cleared == 1 ? "" : "s") of card \(uid)"
                    + (wasLocked ? "; it is no longer locked." : "."))
    }
}
