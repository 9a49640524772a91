public import Core

/// A connection to the card on one reader (`SCardConnect`), closed when it goes away (`SCardDisconnect`).
///
/// Every call blocks while the reader talks to the card: use it from `CardReaderQueue`, never from the async pool.
public final class SmartCardConnection {
    private let context: PCSC.Context
    private let handle: PCSC.Handle
    private let activeProtocol: UInt
    public let reader: String

    /// Connects in shared mode with T=0 or T=1, on its own context (pcsc-lite contexts are not shared between
    /// threads).
    public init(reader: String) throws(PCSCError) {
        context = try PCSC.establishContext()
        do {
            (handle, activeProtocol) = try PCSC.connect(context, reader: reader)
        } catch {
            PCSC.releaseContext(context)
            throw error
        }
        self.reader = reader
    }

    deinit {
        PCSC.disconnect(handle)
        PCSC.releaseContext(context)
    }

    /// Sends a command and returns the complete response: a `61xx` answer is followed by GET RESPONSE until the
    /// card has said everything; a `6Cxx` (wrong Le) is resent once with the length the card asked for.
    public func transmit(_ command: CommandAPDU) throws(SmartCardError) -> ResponseAPDU {
        var response = try send(command)
        if response.sw1 == 0x6C {
            var corrected = command
            corrected.le = response.sw2 == 0 ? 256 : Int(response.sw2)
            response = try send(corrected)
        }
        var data = response.data
        var rounds = 0
        while response.sw1 == 0x61 {
            rounds += 1
            guard rounds <= 256 else { throw .malformedResponse("the card announced data without end (61xx)") }
            response = try send(.getResponse(Int(response.sw2)))
            data += response.data
        }
        return ResponseAPDU(data: data, sw1: response.sw1, sw2: response.sw2)
    }

    private func send(_ command: CommandAPDU) throws(SmartCardError) -> ResponseAPDU {
        let bytes: [UInt8]
        do {
            bytes = try PCSC.transmit(handle, protocol: activeProtocol, command.bytes)
        } catch {
            throw .pcsc(error)
        }
        guard let response = ResponseAPDU(bytes: bytes) else {
            throw .malformedResponse(
                "the card answered \(bytes.count) byte\(bytes.count == 1 ? "" : "s"), no status word")
        }
        return response
    }

    /// Reads the card's UID with the reader's `FF CA 00 00 00`.
    public func readUID() throws(SmartCardError) -> CardUID {
        let response = try transmit(.getUID)
        guard response.isSuccess else { throw .refused(command: "GET UID", statusWord: response.statusWord) }
        do {
            return try CardUID(bytes: response.data)
        } catch {
            throw .malformedResponse("the UID has \(response.data.count) bytes; e-KTPs have 4, 7 or 10")
        }
    }
}

/// Why talking to a card failed, in words for the technician (the resident sees "Kartu tidak terbaca").
public enum SmartCardError: Error, Hashable, Sendable, CustomStringConvertible {
    case pcsc(PCSCError)
    case malformedResponse(String)
    case refused(command: String, statusWord: UInt16)
    /// The card (or the reader) did not finish answering in time: a mute card, or one at the edge of the field.
    case noAnswer(within: Duration)

    public var description: String {
        switch self {
        case .pcsc(let error): "\(error)"
        case .malformedResponse(let what): "the card misbehaved: \(what)"
        case .refused(let command, let sw):
            "the card refused \(command) with status \(String(sw, radix: 16, uppercase: true))"
        case .noAnswer(let limit):
            "the card did not answer within \(limit): a mute card, "
                + "or one held at the edge of the reader's field; take it away and tap again"
        }
    }
}
