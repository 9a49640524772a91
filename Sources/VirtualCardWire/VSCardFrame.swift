/// The VSCard wire format that QEMU's `ccid-card-passthru` speaks on its chardev (libcacard `vscard_common.h`,
/// QEMU `hw/usb/ccid-card-passthru.c`): a header of three big-endian u32, type, reader id and payload length, then
/// the payload. The same shape in both directions.
package struct VSCardFrame: Equatable, Sendable {
    package var type: UInt32
    package var readerID: UInt32
    package var payload: [UInt8]

    package static let headerSize = 12

    /// The largest payload accepted from QEMU. QEMU buffers at most 64 KiB of VSCard input itself
    /// (`VSCARD_IN_SIZE`) and the guest's APDUs are smaller still, so a longer length means the stream is out of
    /// step, not a big message: waiting for it would only hang.
    package static let maximumPayload = 64 * 1024

    /// `VSCARD_UNDEFINED_READER_ID`: the reader id of messages about no reader yet (Init, ReaderAdd).
    package static let undefinedReader: UInt32 = 0xFFFF_FFFF
    /// `VSCARD_MINIMAL_READER_ID`: the id QEMU gives the one reader it accepts.
    package static let firstReader: UInt32 = 0

    /// `VSCARD_MAGIC`, "VSCD". libcacard builds it so that its bytes lie in memory in this order on any host and
    /// QEMU copies it without `htonl`, so on the wire it is these four ASCII bytes, unlike every other field.
    package static let magic: [UInt8] = Array("VSCD".utf8)
    /// `VSCARD_VERSION`, `MAKE_VERSION(0, 0, 2)`.
    package static let version: UInt32 = 2

    package init(type: UInt32, readerID: UInt32, payload: [UInt8] = []) {
        self.type = type
        self.readerID = readerID
        self.payload = payload
    }

    package init(_ type: VSCardMessageType, reader: UInt32, payload: [UInt8] = []) {
        self.init(type: type.rawValue, readerID: reader, payload: payload)
    }

    /// The header and payload as they go on the socket.
    package var encoded: [UInt8] {
        VSCardFrame.bigEndian(type) + VSCardFrame.bigEndian(readerID) + VSCardFrame.bigEndian(UInt32(payload.count))
            + payload
    }

    package var messageType: VSCardMessageType? { VSCardMessageType(rawValue: type) }

    /// Init as the client sends it: magic, version and one capability word of 0. The capability word is not
    /// optional: QEMU counts capabilities as `1 + (length - 12) / 4` in unsigned arithmetic, so a shorter Init
    /// would make it read far past the message.
    package static func initialize() -> VSCardFrame {
        VSCardFrame(.initialize, reader: undefinedReader, payload: magic + bigEndian(version) + bigEndian(0))
    }

    /// ReaderAdd with the reader's UTF-8 name, which QEMU ignores; it answers with the id it assigns.
    package static func readerAdd(name: String) -> VSCardFrame {
        VSCardFrame(.readerAdd, reader: undefinedReader, payload: Array(name.utf8))
    }

    /// An Error message; the client sends one for an APDU it cannot answer, so the guest is not left waiting.
    package static func error(_ code: VSCardErrorCode, reader: UInt32) -> VSCardFrame {
        VSCardFrame(.error, reader: reader, payload: bigEndian(code.rawValue))
    }

    package static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    package static func bigEndian(_ bytes: some Collection<UInt8>) -> UInt32 {
        bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// `VSCMsgType`.
package enum VSCardMessageType: UInt32, Sendable, CustomStringConvertible {
    case initialize = 1
    case error
    case readerAdd
    case readerRemove
    case atr
    case cardRemove
    case apdu
    case flush
    case flushComplete

    package var description: String {
        switch self {
        case .initialize: "Init"
        case .error: "Error"
        case .readerAdd: "ReaderAdd"
        case .readerRemove: "ReaderRemove"
        case .atr: "ATR"
        case .cardRemove: "CardRemove"
        case .apdu: "APDU"
        case .flush: "Flush"
        case .flushComplete: "FlushComplete"
        }
    }
}

/// `VSCErrorCode`, the payload of an Error message. QEMU answers ReaderAdd, ATR, CardRemove and ReaderRemove with
/// one, `success` included: it is the acknowledgement.
package struct VSCardErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package var rawValue: UInt32

    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let success = VSCardErrorCode(rawValue: 0)
    package static let generalError = VSCardErrorCode(rawValue: 1)
    package static let cannotAddMoreReaders = VSCardErrorCode(rawValue: 2)
    package static let cardAlreadyInserted = VSCardErrorCode(rawValue: 3)

    package var description: String {
        switch self {
        case .success: "success"
        case .generalError: "general error (for an ATR: QEMU found it inconsistent or longer than 40 bytes)"
        case .cannotAddMoreReaders: "cannot add more readers"
        case .cardAlreadyInserted: "card already inserted"
        default: "error code \(rawValue)"
        }
    }
}

/// What QEMU sends the card, decoded and checked.
package enum VSCardHostMessage: Equatable, Sendable {
    /// QEMU's answer to our Init.
    case initialize(version: UInt32, capabilities: [UInt32])
    /// An acknowledgement (`success`) or a refusal of the oldest request still waiting for one.
    case error(VSCardErrorCode)
    /// A command APDU from the guest, to answer with an APDU message.
    case apdu([UInt8])
    /// Asks for FlushComplete once every APDU is answered. QEMU 7.2 never sends it, libcacard's protocol defines it.
    case flush
    /// A type only a client sends, or none the protocol defines; QEMU does the same with such a message: it
    /// reports it and carries on.
    case unexpected(type: UInt32, length: Int)

    package init(_ frame: VSCardFrame) throws(VSCardFrameError) {
        let payload = frame.payload
        switch frame.messageType {
        case .initialize:
            // Magic and version at least; the capability words that follow may grow in later versions.
            guard payload.count >= 8 else {
                throw .truncated(type: frame.type, length: payload.count, needed: 8)
            }
            guard Array(payload.prefix(4)) == VSCardFrame.magic else { throw .wrongMagic(Array(payload.prefix(4))) }
            let words = stride(from: 8, to: payload.count - payload.count % 4, by: 4)
            self = .initialize(
                version: VSCardFrame.bigEndian(payload[4..<8]),
                capabilities: words.map { VSCardFrame.bigEndian(payload[$0..<$0 + 4]) })
        case .error:
            guard payload.count >= 4 else { throw .truncated(type: frame.type, length: payload.count, needed: 4) }
            self = .error(VSCardErrorCode(rawValue: VSCardFrame.bigEndian(payload)))
        case .apdu:
            self = .apdu(payload)
        case .flush:
            self = .flush
        case .readerAdd, .readerRemove, .atr, .cardRemove, .flushComplete, nil:
            self = .unexpected(type: frame.type, length: payload.count)
        }
    }
}

/// Collects bytes as the socket delivers them and cuts them into frames: a read may end inside a header or a
/// payload, or hold several frames at once.
package struct VSCardFrameDecoder: Sendable {
    private var buffer: [UInt8] = []

    package init() {}

    package mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete frame, or `nil` until enough bytes have arrived. Throws for a length no VSCard peer sends;
    /// the stream cannot be resynchronised after that, so the connection must end.
    package mutating func next() throws(VSCardFrameError) -> VSCardFrame? {
        guard buffer.count >= VSCardFrame.headerSize else { return nil }
        let type = VSCardFrame.bigEndian(buffer[0..<4])
        let length = VSCardFrame.bigEndian(buffer[8..<12])
        guard length <= VSCardFrame.maximumPayload else { throw .oversized(type: type, length: length) }
        let end = VSCardFrame.headerSize + Int(length)
        guard buffer.count >= end else { return nil }
        let frame = VSCardFrame(
            type: type, readerID: VSCardFrame.bigEndian(buffer[4..<8]),
            payload: Array(buffer[VSCardFrame.headerSize..<end]))
        buffer.removeFirst(end)
        return frame
    }

    /// Bytes received but not yet part of a complete frame: non-zero when the peer hangs up means it hung up
    /// inside a message.
    package var pendingByteCount: Int { buffer.count }
}

/// A VSCard message that cannot be read.
package enum VSCardFrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case oversized(type: UInt32, length: UInt32)
    case truncated(type: UInt32, length: Int, needed: Int)
    case wrongMagic([UInt8])
    /// The peer hung up with part of a message sent.
    case endedInsideMessage(pendingBytes: Int)

    package var description: String {
        switch self {
        case .oversized(let type, let length):
            "a message of type \(VSCardFrameError.name(type)) announces \(length) bytes, more than the "
                + "\(VSCardFrame.maximumPayload) QEMU ever sends: the stream is out of step, or what listens on the "
                + "socket is not QEMU's ccid-card-passthru"
        case .truncated(let type, let length, let needed):
            "a VSCard \(VSCardFrameError.name(type)) message carries \(length) bytes, it needs at least \(needed)"
        case .wrongMagic(let bytes):
            "the Init message starts with \(Hex.string(bytes)) instead of the magic \"VSCD\" "
                + "(\(Hex.string(VSCardFrame.magic))): what listens on the socket does not speak VSCard"
        case .endedInsideMessage(let pending):
            "the connection ended inside a message (\(pending) bytes of it had arrived)"
        }
    }

    private static func name(_ type: UInt32) -> String {
        VSCardMessageType(rawValue: type).map(\.description) ?? "\(type)"
    }
}
