import Core

/// Residents held in memory, from an OpenSID export: the registry until the SQLite registry with PIN hashes
/// takes over. It knows no PINs, so a kiosk in `card-pin` mode rejects every PIN with it (`kiosk doctor` says so).
struct InMemoryRegistry: ResidentRegistry {
    let residents: [Resident]
    let operatorCards: Set<CardUID>
    let matchReversed: Bool

    func lookUp(_ card: CardUID) async throws -> KioskEvent.Lookup {
        if operatorCards.contains(card) { return .operatorCard }
        let match = residents.first { resident in
            resident.cardTag.map { $0.matches(card) || (matchReversed && $0.matches(card.reversed)) } ?? false
        }
        return match.map { .resident($0) } ?? .unknownCard
    }

    func verifyPIN(_ pin: PIN, for card: CardUID) async throws -> KioskEvent.PINCheck {
        .rejected
    }
}
