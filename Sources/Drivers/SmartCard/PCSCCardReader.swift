public import Core
import Dispatch
import NIOConcurrencyHelpers

/// Reads the card on a PC/SC reader: its UID (`FF CA 00 00 00`) and, in identity mode `chip`, the e-KTP's biodata
/// through the SAM, over one connection.
///
/// Card I/O blocks (the reader talks to the card over the air), so it runs on dispatch threads of its own and never
/// on the Swift concurrency pool. `SCardTransmit` has no timeout, and a mute card (or vpcd's) keeps it waiting until
/// the card leaves the field; pcsc-lite cannot cancel it either (`SCardCancel` stops only `SCardGetStatusChange`, and
/// `SCardDisconnect` waits for the context's lock the transmit holds). So a read is given up after `answerLimit`:
/// the caller hears `SmartCardError.noAnswer` in time, and the blocked thread ends when the card leaves. Each read has a
/// serial queue of its own, and so a thread of its own (`BlockingQueue` says why not a global or concurrent queue): a
/// card still stuck there holds up neither the next card nor the time limit, which runs on a queue that never blocks.
public final class PCSCCardReader: Sendable {
    private let limits = DispatchQueue(label: "kiosk.smartcard.limit")
    /// How long a whole read (connect, UID, the chip's files) may take.
    public let answerLimit: Duration

    public init(answerLimit: Duration = .seconds(5)) {
        self.answerLimit = answerLimit
    }

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

    /// Runs `body` with a connection to the card on `reader`, on the card queue; throws `SmartCardError.noAnswer`
    /// when it has not returned within `answerLimit` (its result, should it come later, is dropped).
    public func withConnection<T: Sendable>(
        on reader: String, _ body: @escaping @Sendable (SmartCardConnection) throws -> T
    ) async throws -> T {
        let limit = answerLimit
        return try await withCheckedThrowingContinuation { continuation in
            let pending = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(continuation)
            let finish = { @Sendable (result: Result<T, any Error>) in
                pending.withLockedValue { $0.take() }?.resume(with: result)
            }
            DispatchQueue(label: "kiosk.smartcard.read").async {
                finish(Result { try body(try SmartCardConnection(reader: reader)) })
            }
            limits.asyncAfter(deadline: .now() + .milliseconds(Int(limit.milliseconds))) {
                finish(.failure(SmartCardError.noAnswer(within: limit)))
            }
        }
    }
}
