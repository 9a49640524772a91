import Core
import Testing
import VirtualCardWire

@testable import KioskSimulator

/// Plays QEMU's side of the VSCard link over a local socket pair: no QEMU needed. QEMU's answers are written before
/// the card's call that waits for them, which a socket buffers; what the card sent, and in which order, is read
/// back afterwards.
@Suite("VSCard connection over a socket pair", .serialized, .timeLimit(.minutes(1)))
struct VSCardConnectionTests {
    static func soon() -> ContinuousClock.Instant { ContinuousClock.now.advanced(by: .milliseconds(150)) }

    /// A connection after the handshake, with QEMU's end.
    static func opened(answerTimeout: Duration = .seconds(2)) throws -> (VSCardConnection, QEMUSide) {
        let (qemuEnd, cardEnd) = try Syscalls.socketPair()
        var qemu = QEMUSide(fd: qemuEnd)
        let connection = VSCardConnection(
            fileDescriptor: cardEnd, answerTimeout: answerTimeout, log: CardLog(), stop: { false })
        try qemu.send(QEMUSide.initAnswer, QEMUSide.acknowledgement)
        #expect(try connection.open())
        #expect(try qemu.next()?.messageType == .initialize)
        #expect(try qemu.next()?.messageType == .readerAdd)
        return (connection, qemu)
    }

    /// Puts `card` on the reader, QEMU acknowledging the ATR; returns the ATR frame the card sent.
    static func insert(_ card: VirtualCard, into connection: VSCardConnection, qemu: inout QEMUSide) throws
        -> VSCardFrame?
    {
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try connection.insert(card))
        return try qemu.next()
    }

    @Test("the handshake: Init with VSCD, version 2 and a capability word, then ReaderAdd, both for no reader yet")
    func handshake() throws {
        let (qemuEnd, cardEnd) = try Syscalls.socketPair()
        defer { Syscalls.close(qemuEnd) }
        var qemu = QEMUSide(fd: qemuEnd)
        let connection = VSCardConnection(fileDescriptor: cardEnd, log: CardLog(), stop: { false })
        try qemu.send(QEMUSide.initAnswer, VSCardFrame.error(.success, reader: 0))
        #expect(try connection.open())
        #expect(try qemu.next() == VSCardFrame.initialize())
        let readerAdd = try qemu.next()
        #expect(readerAdd?.messageType == .readerAdd)
        #expect(readerAdd?.readerID == VSCardFrame.undefinedReader)
        #expect(readerAdd.map { String(decoding: $0.payload, as: UTF8.self) } == "kiosk-sim virtual e-KTP reader")
        #expect(connection.readerID == 0)
        #expect(connection.hostVersion == 2)
        #expect(connection.card == nil)
    }

    @Test("without QEMU's Init the card sends nothing more and gives up naming the likely cause")
    func noInitAnswer() throws {
        let (qemuEnd, cardEnd) = try Syscalls.socketPair()
        defer { Syscalls.close(qemuEnd) }
        var qemu = QEMUSide(fd: qemuEnd)
        let connection = VSCardConnection(
            fileDescriptor: cardEnd, answerTimeout: .milliseconds(300), log: CardLog(), stop: { false })
        #expect {
            _ = try connection.open()
        } throws: { error in
            error as? CardRunError == .vscard(.noAnswer(.initialize, timeout: .milliseconds(300)))
                && "\(error)".contains("another client may hold the socket")
        }
        #expect(try qemu.next() == VSCardFrame.initialize())
        #expect(try qemu.next(within: 100) == nil)
    }

    @Test(
        "a tap sends the ATR, GET UID is answered with the UID and 90 00, a remove sends CardRemove",
        arguments: [
            (CardKind.typeA, "04A21B6C"), (.typeA, "04A21B6C9E4F80"), (.typeA, "04A21B6C9E4F80112233"),
            (.typeB, "5A3C9E21"), (.chip, "04A21B6C9E4F80"),
        ])
    func tapAnswerRemove(kind: CardKind, uid: String) throws {
        var (connection, qemu) = try Self.opened()
        defer { Syscalls.close(qemu.fd) }
        let card = VirtualCard(kind: kind, uid: try CardUID(hex: uid))
        let atr = try Self.insert(card, into: connection, qemu: &qemu)
        #expect(atr == VSCardFrame(.atr, reader: 0, payload: kind.answerToReset(uid: card.uid).bytes))
        #expect(connection.card != nil)

        try qemu.send(VSCardFrame(.apdu, reader: 0, payload: getUID))
        #expect(try connection.serve(until: Self.soon(), watching: nil) == .deadlineReached)
        #expect(try qemu.next() == VSCardFrame(.apdu, reader: 0, payload: card.uid.bytes + success))

        try qemu.send(QEMUSide.acknowledgement)
        try connection.remove()
        #expect(try qemu.next() == VSCardFrame(.cardRemove, reader: 0))
        #expect(connection.card == nil)
        #expect(connection.isOpen)
    }

    @Test("the chip with --get-response reads its biodata through 61 xx and GET RESPONSE over VSCard too")
    func chipWithGetResponse() throws {
        var (connection, qemu) = try Self.opened()
        defer { Syscalls.close(qemu.fd) }
        let card = VirtualCard(kind: .chip, usesGetResponse: true)
        _ = try Self.insert(card, into: connection, qemu: &qemu)
        let commands: [[UInt8]] = [
            [0x00, 0xA4, 0x00, 0x00, 0x02, 0x7F, 0x0A], [0x00, 0xA4, 0x00, 0x00, 0x02, 0x6F, 0xF1],
            [0x00, 0xB0, 0x00, 0x00, 0x10], [0x00, 0xC0, 0x00, 0x00, 0x10],
        ]
        var answers: [[UInt8]] = []
        for command in commands {
            try qemu.send(VSCardFrame(.apdu, reader: 0, payload: command))
            _ = try connection.serve(until: Self.soon(), watching: nil)
            answers.append(try qemu.next()?.payload ?? [])
        }
        #expect(Array(answers.prefix(3)) == [success, success, [0x61, 0x10]])
        #expect(answers[3] == Array(card.biodata.encoded.prefix(16)) + success)
    }

    @Test("QEMU refusing the ATR fails the tap with its reason, and the card is not on the reader")
    func refusedATR() throws {
        var (connection, qemu) = try Self.opened()
        defer { Syscalls.close(qemu.fd) }
        try qemu.send(VSCardFrame.error(.generalError, reader: 0))
        #expect {
            _ = try connection.insert(VirtualCard(kind: .typeA))
        } throws: { error in
            error as? CardRunError == .vscard(.refused(.atr, .generalError))
                && "\(error)".hasPrefix("QEMU refused the card's ATR: general error")
        }
        #expect(connection.card == nil)
        #expect(try qemu.next()?.messageType == .atr)
    }

    @Test("a tap QEMU does not acknowledge fails after the timeout instead of hanging")
    func unacknowledgedATR() throws {
        var (connection, qemu) = try Self.opened(answerTimeout: .milliseconds(300))
        defer { Syscalls.close(qemu.fd) }
        #expect(throws: CardRunError.vscard(.noAnswer(.atr, timeout: .milliseconds(300)))) {
            try connection.insert(VirtualCard(kind: .typeA))
        }
        #expect(try qemu.next()?.messageType == .atr)
    }

    @Test("Flush is answered with FlushComplete for the same reader")
    func flush() throws {
        var (connection, qemu) = try Self.opened()
        defer { Syscalls.close(qemu.fd) }
        try qemu.send(VSCardFrame(.flush, reader: 0))
        #expect(try connection.serve(until: Self.soon(), watching: nil) == .deadlineReached)
        #expect(try qemu.next() == VSCardFrame(.flushComplete, reader: 0))
    }

    @Test("an APDU with no card on the reader gets a VSCard error, so the guest does not wait for an answer")
    func apduWithoutCard() throws {
        var (connection, qemu) = try Self.opened()
        defer { Syscalls.close(qemu.fd) }
        try qemu.send(VSCardFrame(.apdu, reader: 0, payload: getUID))
        #expect(try connection.serve(until: Self.soon(), watching: nil) == .deadlineReached)
        #expect(try qemu.next() == VSCardFrame.error(.generalError, reader: 0))
    }

    /// A card with `fault` on the reader, and GET UID on its way from QEMU.
    static func askingUID(ofCardWith fault: CardFault) throws -> (VSCardConnection, QEMUSide) {
        var (connection, qemu) = try Self.opened()
        _ = try Self.insert(VirtualCard(kind: .typeA, fault: fault), into: connection, qemu: &qemu)
        try qemu.send(VSCardFrame(.apdu, reader: 0, payload: getUID))
        return (connection, qemu)
    }

    @Test("remove-mid-apdu sends CardRemove instead of an answer, serve reports it, and QEMU's ack is taken quietly")
    func leavesMidAPDU() throws {
        var (connection, qemu) = try Self.askingUID(ofCardWith: .removeMidAPDU)
        defer { Syscalls.close(qemu.fd) }
        #expect(try connection.serve(until: Self.soon(), watching: nil) == .leftMidAPDU)
        #expect(try qemu.next() == VSCardFrame(.cardRemove, reader: 0))
        #expect(connection.card == nil)
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try connection.serve(until: Self.soon(), watching: nil) == .deadlineReached)
        #expect(connection.isOpen)
    }

    @Test("a mute card answers nothing and stays on the reader")
    func mute() throws {
        var (connection, qemu) = try Self.askingUID(ofCardWith: .mute)
        defer { Syscalls.close(qemu.fd) }
        #expect(try connection.serve(until: Self.soon(), watching: nil) == .deadlineReached)
        #expect(try qemu.next(within: 100) == nil)
        #expect(connection.card != nil)
    }

    @Test("QEMU closing the socket ends serving with an error that says so")
    func qemuCloses() throws {
        let (connection, qemu) = try Self.opened()
        Syscalls.close(qemu.fd)
        #expect {
            _ = try connection.serve(until: Self.soon(), watching: nil)
        } throws: { error in
            error as? CardRunError == .vscard(.closedByQEMU) && "\(error)".contains("the virtual machine quit")
        }
        #expect(!connection.isOpen)
    }

    @Test("QEMU closing in the middle of a message is reported as such")
    func qemuClosesInsideAMessage() throws {
        let (connection, qemu) = try Self.opened()
        try Syscalls.sendAll(qemu.fd, Array(VSCardFrame(.apdu, reader: 0, payload: getUID).encoded.prefix(5)))
        Syscalls.close(qemu.fd)
        #expect(throws: CardRunError.vscard(.malformed(.endedInsideMessage(pendingBytes: 5)))) {
            try connection.serve(until: Self.soon(), watching: nil)
        }
    }

    @Test("a header announcing 4 GiB ends the link with a clear error, not a crash or a hang")
    func oversizedFromQEMU() throws {
        let (connection, qemu) = try Self.opened()
        defer { Syscalls.close(qemu.fd) }
        try Syscalls.sendAll(qemu.fd, [0, 0, 0, 7, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect {
            _ = try connection.serve(until: Self.soon(), watching: nil)
        } throws: { error in
            error as? CardRunError == .vscard(.malformed(.oversized(type: 7, length: 0xFFFF_FFFF)))
                && "\(error)".hasPrefix("QEMU's VSCard stream cannot be read: a message of type APDU announces")
        }
        #expect(!connection.isOpen)
        #expect(try QEMUSide(fd: qemu.fd).sawHangUp())
    }

    @Test("closing takes the card out, removes the reader and hangs up")
    func close() throws {
        var (connection, qemu) = try Self.opened()
        defer { Syscalls.close(qemu.fd) }
        _ = try Self.insert(VirtualCard(kind: .typeA), into: connection, qemu: &qemu)
        try qemu.send(QEMUSide.acknowledgement, QEMUSide.acknowledgement)
        connection.close()
        #expect(try qemu.next() == VSCardFrame(.cardRemove, reader: 0))
        #expect(try qemu.next() == VSCardFrame(.readerRemove, reader: 0))
        #expect(try qemu.sawHangUp())
        #expect(!connection.isOpen)
    }

    @Test("connecting where no socket is fails after the timeout with QEMU's options to use")
    func noSocket() {
        let started = ContinuousClock.now
        let connection = VSCardConnection(
            path: "/nonexistent/vscard.sock", connectTimeout: .milliseconds(300), log: CardLog(), stop: { false })
        #expect {
            _ = try connection.open()
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("no QEMU VSCard socket at /nonexistent/vscard.sock after 0.3 s (No such file")
                && text.contains("-device usb-ccid -device ccid-card-passthru,chardev=ccid")
        }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
    }
}
