import Drivers

/// The reader a virtual card is served on. Two readers carry the same `VirtualCard`:
///
/// - vpcd, the vsmartcard driver inside pcscd (`VPCDLink`): the card connects on a tap and hangs up on a remove;
/// - QEMU's emulated USB CCID reader (`VSCardConnection`): one connection for the whole run, a tap sends the ATR
///   and a remove sends CardRemove, so the guest sees a card come and go in a reader that stays.
///
/// `CardPlayer` drives either through this protocol, so scripts and live steps mean the same on both.
protocol CardReaderLink: AnyObject {
    /// The card on the reader, if any.
    var card: VirtualCard? { get }

    /// Makes the reader ready for taps; `false` when a stop request came first. vpcd needs nothing; QEMU needs
    /// the VSCard handshake.
    func open() throws(CardRunError) -> Bool

    /// Puts `card` on the reader; `false` when a stop request came while waiting for the reader.
    func insert(_ card: VirtualCard) throws(CardRunError) -> Bool

    /// Takes the card off the reader; does nothing when there is none.
    func remove() throws(CardRunError)

    /// Answers the reader until `deadline` (forever when `nil`), a stop request, the card leaving by itself, or
    /// bytes on `input`.
    func serve(until deadline: ContinuousClock.Instant?, watching input: Int32?) throws(CardRunError) -> LinkEvent

    /// Takes a card still there away and lets the reader go. It runs on the way out, after an error too, so it
    /// reports problems in the log instead of throwing.
    func close()
}

/// Why serving a reader returned.
enum LinkEvent: Equatable, Sendable {
    /// The deadline passed; the card, if any, is still there.
    case deadlineReached
    /// SIGINT or SIGTERM.
    case stopRequested
    /// The watched input has bytes or its end to read.
    case inputReady
    /// The card is off the reader without a `remove`; the log line that says why.
    case cardLeft(String)
}

extension LinkEvent {
    /// The `remove-mid-apdu` fault: the card left as an APDU arrived.
    static let leftMidAPDU = LinkEvent.cardLeft(
        "card removed (fault \(CardFault.removeMidAPDU.rawValue): left during an APDU)")
}

/// Why `kiosk-sim card` ended before its steps did: a reader that failed, or live steps that could not be read.
enum CardRunError: Error, Equatable, CustomStringConvertible {
    case vpcd(VPCDError)
    case vscard(VSCardError)
    /// Reading `--steps-from-stdin` failed.
    case input(SystemCallError)

    var description: String {
        switch self {
        case .vpcd(let error): "\(error)"
        case .vscard(let error): "\(error)"
        case .input(let error): "reading steps from standard input: \(error)"
        }
    }
}
