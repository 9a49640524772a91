/// A pcsc-lite status code with a message a technician can act on.
///
/// The codes are pcsc-lite's `SCARD_E_*`/`SCARD_W_*` values (winscard.h); the named statics cover the ones the
/// kiosk meets and treats differently.
public struct PCSCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `LONG` pcsc-lite returned.
    public let code: Int
    /// The call that failed, `SCardTransmit`.
    public let call: String

    public init(code: Int, call: String) {
        self.code = code
        self.call = call
    }

    /// The card-reader middleware is not running (`SCARD_E_NO_SERVICE`, `SCARD_E_SERVICE_STOPPED`).
    public var isServiceGone: Bool {
        PCSCCode(rawValue: code).map { $0 == .noService || $0 == .serviceStopped } ?? false
    }

    /// The card left or was reset while in use.
    public var isCardGone: Bool {
        PCSCCode(rawValue: code).map { [.removedCard, .resetCard, .noSmartcard, .unpoweredCard].contains($0) } ?? false
    }

    public var description: String {
        let hex = "0x" + String(UInt32(truncatingIfNeeded: code), radix: 16, uppercase: true)
        guard let known = PCSCCode(rawValue: code) else { return "\(call) failed with pcsc-lite error \(hex)" }
        return "\(known.message) (\(call), \(hex))"
    }
}

/// The pcsc-lite codes the kiosk names. Their values come from the C shim, never spelled here.
enum PCSCCode: Hashable, CaseIterable {
    case cancelled, timeout, noReadersAvailable, noService, serviceStopped, invalidHandle, unknownReader
    case readerUnavailable, noSmartcard, protocolMismatch, sharingViolation, insufficientBuffer, notTransacted
    case commDataLost, noAccess, removedCard, resetCard, unresponsiveCard, unpoweredCard, commError
    case readerUnsupported

    init?(rawValue: Int) {
        guard let match = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = match
    }

    var rawValue: Int { PCSC.code(self) }

    var message: String {
        switch self {
        case .cancelled: "the wait for a card was cancelled"
        case .timeout: "the reader did not answer in time"
        case .noReadersAvailable: "no card reader is connected: plug in the reader, check `pcsc_scan`"
        case .noService, .serviceStopped:
            "pcscd is not running: `systemctl start pcscd.socket` (package pcscd)"
        case .invalidHandle: "the card connection is no longer valid"
        case .unknownReader: "the card reader is unknown: it was unplugged or renamed"
        case .readerUnavailable: "the card reader is not available: unplugged, or its driver failed"
        case .noSmartcard: "there is no card on the reader"
        case .protocolMismatch: "the card does not speak T=0 or T=1"
        case .sharingViolation: "another program holds the card: stop it (`pcsc_scan`, a browser, OpenSC)"
        case .insufficientBuffer: "the card answered more than expected"
        case .notTransacted: "the card did not answer the command"
        case .commDataLost: "the reader lost data talking to the card"
        case .noAccess: "this user may not use the card reader: check pcscd's polkit rules"
        case .removedCard: "the card was taken away"
        case .resetCard: "the card was reset by another program"
        case .unresponsiveCard: "the card does not answer: it may be damaged or not an e-KTP"
        case .unpoweredCard: "the card is not powered"
        case .commError: "internal error talking to pcscd"
        case .readerUnsupported: "the card reader is not supported"
        }
    }
}
