public import Core
import Dispatch

/// Reads the card on a PC/SC reader: its UID (`FF CA 00 00 00`) and, in identity mode `chip`, the e-KTP's biodata
/// through the SAM, over one connection.
///
/// Card I/O blocks (the reader talks to the card over the air), so it runs on a serial dispatch queue of its own
/// and never on the Swift concurrency pool.
public final class PCSCCardReader: Sendable {
    private let queue = DispatchQueue(label: "kiosk.smartcard")

    public init() {}

    /// The UID of the card on `reader`.
    public func readUID(on reader: String) async throws -> CardUID {
        try await withConnection(on: reader) { try $0.readUID() }
    }

    /// The card on `reader`: its UID, and with `chip` what its chip holds (`nil` without `chip`). A card whose UID
    /// cannot be read throws; a chip that cannot be read is an answer, since the card may be an operator's.
    public func read(on reader: String, chip: EKTPChipReader?) async throws -> (
        uid: CardUID, chip: Result<Resident, EKTPChipError>?
    ) {
        try await withConnection(on: reader) { card in
            let uid = try card.readUID()
            return (uid, chip.map { chip in Result { () throws(EKTPChipError) in try chip.readResident(card) } })
        }
    }

    /// Runs `body` with a connection to the card on `reader`, on the card queue.
    public func withConnection<T: Sendable>(
        on reader: String, _ body: @escaping @Sendable (SmartCardConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(try SmartCardConnection(reader: reader)) })
            }
        }
    }
}
