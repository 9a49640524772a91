import Core
import VirtualCardWire

/// The simulated e-KTP itself: messages from the reader in, answers out. A plain value with no I/O, so every
/// answer is testable without a socket or pcscd. The links carry the bytes: `VPCDConnection` to vpcd, and
/// `VSCardConnection` to QEMU's CCID reader, which hands over APDUs only (`respond(toAPDU:)`): the reader part of
/// vpcd's control messages (power, ATR) is QEMU's own there.
///
/// The `chip` kind answers SELECT and READ BINARY of DF `7F0A` / EF `6FF1` in the clear. On a real e-KTP the
/// biodata EF needs mutual authentication and secure messaging driven by a Dukcapil SAM (SAM `00 F0`-`00 F4`, card
/// `00 84`/`00 82`), which is not public: the kiosk's SAM port performs that exchange and hands the reader code the
/// plain file contents. This simulator skips the cryptography and plays the result, so it has no keys and needs
/// none; SAM credentials never belong in it.
struct VirtualCard: Sendable {
    let kind: CardKind
    let uid: CardUID
    let fault: CardFault?
    /// Whether READ BINARY answers `61 xx` and leaves the data for GET RESPONSE, as T=0 cards do.
    let usesGetResponse: Bool
    let biodata: BiodataRecord
    let answerToReset: AnswerToReset

    private var random: SplitMix64
    private var selection = Selection.masterFile
    /// Data and final status word waiting for GET RESPONSE.
    private var pending: (data: [UInt8], status: StatusWord)?

    /// What the card does with one message.
    enum Reply: Hashable, Sendable {
        /// Answer with these bytes (one vpcd frame, or one VSCard APDU message).
        case send([UInt8])
        /// Answer nothing: control messages other than the ATR request, or a mute card.
        case silence
        /// Leave the reader: close the vpcd connection, or send QEMU CardRemove.
        case leave
    }

    /// Where the card's file pointer is, as far as the simulated file system goes.
    enum Selection: Hashable, Sendable {
        case masterFile
        case eKTPApplication  // DF 7F0A
        case biodata  // EF 6FF1 under DF 7F0A
    }

    static let eKTPDirectory: UInt16 = 0x7F0A
    static let biodataFile: UInt16 = 0x6FF1
    static let masterFile: UInt16 = 0x3F00

    /// `uid` must suit `kind` (`CardKind.problem(with:)`); the command line checks that before it builds a card.
    init(
        kind: CardKind,
        uid: CardUID? = nil,
        fault: CardFault? = nil,
        usesGetResponse: Bool = false,
        biodata: BiodataRecord = .sample,
        random: SplitMix64 = SplitMix64()
    ) {
        let uid = uid ?? kind.defaultUID
        precondition(kind.problem(with: uid) == nil, kind.problem(with: uid) ?? "")
        self.kind = kind
        self.uid = uid
        self.fault = fault
        self.usesGetResponse = usesGetResponse
        self.biodata = biodata
        self.random = random
        answerToReset = kind.answerToReset(uid: uid)
    }

    var currentSelection: Selection { selection }

    mutating func respond(to message: VPCDMessage) -> Reply {
        switch message {
        case .getATR:
            return .send(answerToReset.bytes)
        case .powerOn, .powerOff, .reset:
            // A fresh power-up forgets the selected file and any response waiting, as a real card does.
            selection = .masterFile
            pending = nil
            return .silence
        case .unknownControl:
            return .silence
        case .apdu(let bytes):
            return respond(toAPDU: bytes)
        }
    }

    mutating func respond(toAPDU bytes: [UInt8]) -> Reply {
        switch fault {
        case .mute: return .silence
        case .removeMidAPDU: return .leave
        case .sixF00: return .send(StatusWord.noPreciseDiagnosis.bytes)
        case .garbage: return .send(garbage())
        case .wrongLength, nil: break
        }
        guard let apdu = CommandAPDU(bytes) else { return .send(StatusWord.wrongLength.bytes) }
        if apdu.cla != 0x00 || apdu.ins != 0xC0 { pending = nil }
        switch apdu.cla {
        case 0xFF: return .send(readerCommand(apdu))
        case 0x00: return .send(cardCommand(apdu))
        default: return .send(StatusWord.classNotSupported.bytes)
        }
    }

    /// Class `FF`: PC/SC part 3 pseudo-APDUs that the reader answers from what it learnt during anticollision,
    /// so they never go through GET RESPONSE.
    private func readerCommand(_ apdu: CommandAPDU) -> [UInt8] {
        guard apdu.ins == 0xCA else { return StatusWord.instructionNotSupported.bytes }
        switch (apdu.p1, apdu.p2) {
        case (0x00, 0x00):
            let answer = fault == .wrongLength ? Array(uid.bytes.prefix(2)) : uid.bytes
            return getData(answer, le: apdu.le)
        case (0x01, 0x00) where kind != .typeB:
            // ATS historical bytes, defined for Type A only.
            return getData(answerToReset.historicalBytes, le: apdu.le)
        default:
            return StatusWord.functionNotSupported.bytes
        }
    }

    /// GET DATA's length rules (PC/SC part 3, 3.2.2.1.3): Le 00 or absent returns everything, a smaller Le gets
    /// `6C` with the exact length, a larger one the data and `62 82`.
    private func getData(_ data: [UInt8], le: UInt8?) -> [UInt8] {
        guard let le, le != 0 else { return data + StatusWord.success.bytes }
        if Int(le) < data.count { return StatusWord.wrongLe(exact: data.count).bytes }
        if Int(le) > data.count { return data + StatusWord.endReachedBeforeLe.bytes }
        return data + StatusWord.success.bytes
    }

    /// Class `00`: only the chip has files; the UID-only kinds know no interindustry instruction at all.
    private mutating func cardCommand(_ apdu: CommandAPDU) -> [UInt8] {
        guard kind == .chip else { return StatusWord.instructionNotSupported.bytes }
        switch apdu.ins {
        case 0xA4: return select(apdu).bytes
        case 0xB0: return readBinary(apdu)
        case 0xC0: return getResponse(apdu)
        default: return StatusWord.instructionNotSupported.bytes
        }
    }

    /// SELECT by file identifier (P1 00, 01 or 02). Answers no FCI: the kiosk's flow does not read one.
    private mutating func select(_ apdu: CommandAPDU) -> StatusWord {
        guard [0x00, 0x01, 0x02].contains(apdu.p1) else { return .fileNotFound }
        guard apdu.data.count == 2 else { return .wrongLength }
        switch UInt16(apdu.data[0]) << 8 | UInt16(apdu.data[1]) {
        case Self.masterFile:
            selection = .masterFile
        case Self.eKTPDirectory:
            selection = .eKTPApplication
        case Self.biodataFile where selection != .masterFile:
            selection = .biodata
        default:
            return .fileNotFound
        }
        return .success
    }

    /// READ BINARY of the current EF at the offset in P1-P2. Le 00 (or none) means "up to 256" and a shorter tail
    /// ends in `90 00`; an explicit Le past the end gets what is left and `62 82`.
    private mutating func readBinary(_ apdu: CommandAPDU) -> [UInt8] {
        guard selection == .biodata else { return StatusWord.noCurrentEF.bytes }
        guard apdu.p1 & 0x80 == 0 else { return StatusWord.functionNotSupported.bytes }  // short EF identifier
        let file = biodata.encoded
        let offset = Int(apdu.p1) << 8 | Int(apdu.p2)
        guard offset < file.count else { return StatusWord.wrongParameters.bytes }
        let wanted = apdu.expectedLength == 0 ? 256 : apdu.expectedLength
        let chunk = Array(file[offset..<min(file.count, offset + wanted)])
        let explicitLe = apdu.le.map { $0 != 0 } ?? false
        let status: StatusWord = explicitLe && chunk.count < wanted ? .endReachedBeforeLe : .success
        guard usesGetResponse else { return chunk + status.bytes }
        pending = (chunk, status)
        return StatusWord.bytesAvailable(chunk.count).bytes
    }

    /// GET RESPONSE: hands out what the last command left, `61 xx` while more remains, `6C xx` for a Le larger than
    /// what is waiting.
    private mutating func getResponse(_ apdu: CommandAPDU) -> [UInt8] {
        guard apdu.p1 == 0, apdu.p2 == 0 else { return StatusWord.wrongParameters.bytes }
        guard let waiting = pending else { return StatusWord.conditionsNotSatisfied.bytes }
        let wanted = apdu.expectedLength == 0 ? 256 : apdu.expectedLength
        if wanted > waiting.data.count { return StatusWord.wrongLe(exact: waiting.data.count).bytes }
        let chunk = Array(waiting.data.prefix(wanted))
        let rest = Array(waiting.data.dropFirst(wanted))
        if rest.isEmpty {
            pending = nil
            return chunk + waiting.status.bytes
        }
        pending = (rest, waiting.status)
        return chunk + StatusWord.bytesAvailable(rest.count).bytes
    }

    /// 1-5 random bytes whose last two never look like a status word.
    private mutating func garbage() -> [UInt8] {
        var bytes = (0..<Int.random(in: 1...5, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        if bytes.count >= 2 {
            while StatusWord.isPlausible(sw1: bytes[bytes.count - 2]) {
                bytes[bytes.count - 2] = UInt8.random(in: 0...255, using: &random)
            }
        }
        return bytes
    }
}
