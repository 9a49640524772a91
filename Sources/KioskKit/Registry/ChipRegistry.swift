package import Core
import Drivers

/// Identity mode `chip`: the resident is whoever the card's chip says, read through the SAM; the registry behind
/// it still knows operator cards, locked cards and PINs.
package struct ChipRegistry: ResidentRegistry {
    let registry: any ResidentRegistry
    let reader: PCSCCardReader
    let chip: EKTPChipReader

    package func lookUp(_ card: CardUID) async throws -> KioskEvent.Lookup {
        let known = try await registry.lookUp(card)
        if known == .operatorCard || known == .locked { return known }
        let chip = self.chip
        return .resident(try await reader.withConnection { try chip.readResident($0) })
    }

    package func verifyPIN(_ pin: PIN, for card: CardUID) async throws -> KioskEvent.PINCheck {
        try await registry.verifyPIN(pin, for: card)
    }
}
