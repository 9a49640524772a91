import Testing
import VirtualCardWire

@testable import KioskSimulator

/// Plays vpcd's side of the connection over a local socket pair: no pcscd needed.
@Suite("vpcd connection over a socket pair", .serialized, .timeLimit(.minutes(1)))
struct VPCDConnectionTests {
    /// Everything the card sent within `milliseconds`, cut into frames.
    static func frames(from fd: Int32, within milliseconds: Int32 = 500) throws -> [[UInt8]] {
        var decoder = VPCDFrameDecoder()
        while try Syscalls.poll(fd, milliseconds: milliseconds) == .readable {
            let bytes = try Syscalls.read(fd, maximum: 4096)
            if bytes.isEmpty { break }
            decoder.append(bytes)
        }
        var frames: [[UInt8]] = []
        while let frame = decoder.next() { frames.append(frame) }
        return frames
    }

    static func soon() -> ContinuousClock.Instant { ContinuousClock.now.advanced(by: .milliseconds(150)) }

    /// A bound for serving that should end by itself, so a broken card fails the test instead of hanging it
    /// (`.timeLimit` cannot interrupt a blocking `poll`).
    static func bound() -> ContinuousClock.Instant { ContinuousClock.now.advanced(by: .seconds(2)) }

    @Test("power on, ATR poll and GET DATA split across writes are answered as frames, nothing for power on")
    func serves() throws {
        let (reader, cardEnd) = try Syscalls.socketPair()
        defer { Syscalls.close(reader) }
        let connection = VPCDConnection(fileDescriptor: cardEnd, log: CardLog())
        var card = VirtualCard(kind: .typeA)
        let request = VPCDFrame.encode([0x01]) + VPCDFrame.encode([0x04]) + VPCDFrame.encode(getUID)
        try Syscalls.sendAll(reader, Array(request.prefix(4)))
        #expect(try connection.serve(&card, until: Self.soon(), stop: { false }) == .deadlineReached)
        try Syscalls.sendAll(reader, Array(request.dropFirst(4)))
        #expect(try connection.serve(&card, until: Self.soon(), stop: { false }) == .deadlineReached)
        #expect(try Self.frames(from: reader) == [AnswerToReset.ektpTypeA.bytes, card.uid.bytes + success])
        #expect(connection.isOpen)
    }

    @Test("remove-mid-apdu closes the connection: vpcd reads end of stream instead of an answer")
    func leaves() throws {
        let (reader, cardEnd) = try Syscalls.socketPair()
        defer { Syscalls.close(reader) }
        let connection = VPCDConnection(fileDescriptor: cardEnd, log: CardLog())
        var card = VirtualCard(kind: .typeA, fault: .removeMidAPDU)
        try Syscalls.sendAll(reader, VPCDFrame.encode([0x04]) + VPCDFrame.encode(getUID))
        #expect(try connection.serve(&card, until: Self.bound(), stop: { false }) == .cardLeft)
        #expect(!connection.isOpen)
        #expect(try Self.frames(from: reader) == [AnswerToReset.ektpTypeA.bytes])
        #expect(try Syscalls.poll(reader, milliseconds: 100) == .readable)
        #expect(try Syscalls.read(reader, maximum: 16).isEmpty)
    }

    @Test("a mute card keeps the connection open and sends nothing back")
    func mute() throws {
        let (reader, cardEnd) = try Syscalls.socketPair()
        defer { Syscalls.close(reader) }
        let connection = VPCDConnection(fileDescriptor: cardEnd, log: CardLog())
        var card = VirtualCard(kind: .typeA, fault: .mute)
        try Syscalls.sendAll(reader, VPCDFrame.encode(getUID))
        #expect(try connection.serve(&card, until: Self.soon(), stop: { false }) == .deadlineReached)
        #expect(try Self.frames(from: reader, within: 100).isEmpty)
        #expect(connection.isOpen)
    }

    @Test("vpcd closing its end ends serving with readerClosed; a stop request ends it at once")
    func readerClosedAndStop() throws {
        let (reader, cardEnd) = try Syscalls.socketPair()
        let connection = VPCDConnection(fileDescriptor: cardEnd, log: CardLog())
        var card = VirtualCard(kind: .typeA)
        #expect(try connection.serve(&card, until: Self.bound(), stop: { true }) == .stopRequested)
        Syscalls.close(reader)
        #expect(try connection.serve(&card, until: Self.bound(), stop: { false }) == .readerClosed)
        #expect(!connection.isOpen)
    }

    @Test("connecting where nothing listens fails after the timeout, naming vsmartcard-vpcd and pcscd")
    func noReader() {
        let started = ContinuousClock.now
        #expect {
            _ = try VPCDConnection.connect(host: "127.0.0.1", port: 9, timeout: .milliseconds(300), log: CardLog())
        } throws: { error in
            let text = "\(error)"
            return text.contains("vsmartcard-vpcd") && text.contains("pcscd") && text.contains("127.0.0.1:9")
        }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }

    @Test("log lines name the kind and UID length, never the UID or the data")
    func logLines() throws {
        let card = VirtualCard(kind: .chip, fault: .wrongLength)
        let inserted = CardPlayer.insertedMessage(card)
        #expect(inserted == "card inserted (chip, uid 7 bytes, fault wrong-length)")
        #expect(!inserted.contains(card.uid.hex))
        let summary = CardLog.summary(command: getUID, reply: .send(card.uid.bytes + success))
        #expect(summary == "FF CA 00 00 -> 7 bytes, 90 00")
        #expect(!summary.contains("04 A2"))
    }
}
