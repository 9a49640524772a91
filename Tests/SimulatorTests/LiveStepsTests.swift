import Core
import Glibc
import Testing
import VirtualCardWire

@testable import KioskSimulator

/// `--steps-from-stdin`: the line cutting on its own, then the whole player on a thread of its own, fed step by step
/// while the test plays QEMU or vpcd and reads the acknowledgements, as a system-test harness would.
@Suite("live steps from standard input", .serialized, .timeLimit(.minutes(1)))
struct LiveStepsTests {
    @Test("lines are steps as soon as they are complete; comments and blanks are skipped; the last needs no line end")
    func lines() throws {
        var lines = LiveStepLines(defaults: CardScript.Defaults(kind: .typeB, uid: nil))
        lines.append(Array("ta".utf8))
        #expect(lines.next() == nil)
        lines.append(Array("p\n\n# a comment\nremove\nwait 1".utf8))
        let typeB = CardSetup(kind: .typeB, uid: CardKind.typeB.defaultUID)
        #expect(lines.next() == .step(.tap(typeB, for: nil)))
        #expect(lines.next() == .step(.remove))
        #expect(lines.next() == nil)
        #expect(!lines.ended)
        lines.append(Array("s".utf8))
        lines.append([])
        #expect(lines.next() == .step(.wait(.seconds(1))))
        #expect(lines.next() == nil)
        #expect(lines.ended)
    }

    @Test("a bad line is rejected with its number and reason, never its UID, and the lines after it still count")
    func rejected() throws {
        var lines = LiveStepLines(defaults: CardScript.Defaults())
        lines.append(Array("remove\ntap uid=04A21B6C9E\njump\ntap uid=04A21B6C9E4F80\n".utf8))
        #expect(lines.next() == .rejected("line 1: there is no card on the reader to remove"))
        let badUID = lines.next()
        #expect(badUID == .rejected("line 2: `uid=`: a card UID has 4, 7 or 10 bytes, this one has 5"))
        #expect(lines.next() == .rejected("line 3: unknown step `jump`; steps are tap, remove and wait"))
        let uid = try CardUID(hex: "04A21B6C9E4F80")
        #expect(lines.next() == .step(.tap(CardSetup(kind: .typeA, uid: uid), for: nil)))
    }

    /// Starts `playLive` on its own thread on `link`, reading steps from `steps` and writing acknowledgements, then
    /// `ended finished` (or `ended stopped`, `ended: ERROR`), to `acks`.
    static func startPlayer(
        steps: Int32,
        acks: Int32,
        fault: CardFault? = nil,
        link: @escaping @Sendable () -> any CardReaderLink
    ) {
        PeerSockets.detach {
            let acknowledge = LineReader.writer(acks)
            let player = CardPlayer(link: link(), fault: fault, usesGetResponse: false, log: CardLog())
            do throws(CardRunError) {
                let ending = try player.playLive(from: steps, defaults: CardScript.Defaults(), acknowledge: acknowledge)
                acknowledge("ended \(ending)")
            } catch {
                acknowledge("ended: \(error)")
            }
        }
    }

    static func write(_ fd: Int32, _ text: String) throws { try Syscalls.sendAll(fd, Array(text.utf8)) }

    @Test("on QEMU's reader: ready after ReaderAdd is acknowledged, inserted after the ATR is, APDUs answered between")
    func vscard() throws {
        let (listener, path) = try PeerSockets.listenUnix()
        defer {
            Syscalls.close(listener)
            unlink(path)
        }
        let (steps, stepsEnd) = try Syscalls.socketPair()
        let (acksEnd, acksWriter) = try Syscalls.socketPair()
        defer { [stepsEnd, acksEnd, acksWriter].forEach(Syscalls.close) }
        Self.startPlayer(steps: stepsEnd, acks: acksWriter) {
            VSCardConnection(path: path, connectTimeout: .seconds(2), log: CardLog(), stop: { false })
        }
        let qemuEnd = try #require(try PeerSockets.accept(listener))
        defer { Syscalls.close(qemuEnd) }
        var qemu = QEMUSide(fd: qemuEnd)
        var acks = LineReader(fd: acksEnd)

        #expect(try qemu.next() == VSCardFrame.initialize())
        try qemu.send(QEMUSide.initAnswer)
        #expect(try qemu.next()?.messageType == .readerAdd)
        #expect(try acks.next(within: 200) == nil, "ready only once QEMU has acknowledged the reader")
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try acks.next() == "reader ready")

        try Self.write(steps, "tap kind=type-b uid=5A3C9E21\n")
        let pupi: [UInt8] = [0x5A, 0x3C, 0x9E, 0x21]
        #expect(try qemu.next() == VSCardFrame(.atr, reader: 0, payload: AnswerToReset.ektpTypeB(pupi: pupi).bytes))
        #expect(try acks.next(within: 200) == nil, "inserted only once QEMU has acknowledged the ATR")
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try acks.next() == "inserted")

        try qemu.send(VSCardFrame(.apdu, reader: 0, payload: getUID))
        #expect(try qemu.next() == VSCardFrame(.apdu, reader: 0, payload: pupi + success))

        try Self.write(steps, "rem")
        #expect(try qemu.next(within: 200) == nil, "half a line is not a step yet")
        try Self.write(steps, "ove\n")
        #expect(try qemu.next() == VSCardFrame(.cardRemove, reader: 0))
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try acks.next() == "removed")

        try Self.write(steps, "remove\nwait 50ms\n# the next card\ntap\n")
        #expect(try acks.next() == "rejected: line 3: there is no card on the reader to remove")
        #expect(try acks.next() == "waited")
        #expect(try qemu.next()?.messageType == .atr)
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try acks.next() == "inserted")

        // The end of the steps takes the card out, then the reader, and ends the run cleanly.
        Syscalls.close(steps)
        #expect(try qemu.next() == VSCardFrame(.cardRemove, reader: 0))
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try acks.next() == "removed")
        #expect(try qemu.next() == VSCardFrame(.readerRemove, reader: 0))
        try qemu.send(QEMUSide.acknowledgement)
        #expect(try acks.next() == "ended finished")
        #expect(try qemu.sawHangUp())
    }

    /// A player on its own thread, on a QEMU the test plays over a socket pair, past `reader ready`.
    struct LiveRun {
        var qemu: QEMUSide
        var acks: LineReader
        let steps: Int32
        let ends: [Int32]

        init(fault: CardFault? = nil) throws {
            let (qemuEnd, cardEnd) = try Syscalls.socketPair()
            let (steps, stepsEnd) = try Syscalls.socketPair()
            let (acksEnd, acksWriter) = try Syscalls.socketPair()
            qemu = QEMUSide(fd: qemuEnd)
            acks = LineReader(fd: acksEnd)
            self.steps = steps
            ends = [stepsEnd, acksEnd, acksWriter]
            try qemu.send(QEMUSide.initAnswer, QEMUSide.acknowledgement)
            LiveStepsTests.startPlayer(steps: stepsEnd, acks: acksWriter, fault: fault) {
                VSCardConnection(fileDescriptor: cardEnd, log: CardLog(), stop: { false })
            }
            #expect(try acks.next() == "reader ready")
            #expect(try qemu.next()?.messageType == .initialize)
            #expect(try qemu.next()?.messageType == .readerAdd)
        }

        /// Closes the test's ends; the steps' and QEMU's only when the test has not already.
        func close(steps stepsOpen: Bool = true, qemu qemuOpen: Bool = true) {
            ends.forEach(Syscalls.close)
            if stepsOpen { Syscalls.close(steps) }
            if qemuOpen { Syscalls.close(qemu.fd) }
        }
    }

    @Test("a card that leaves by itself says `left`; the `remove` that follows sends nothing more")
    func leftByItself() throws {
        var run = try LiveRun(fault: .removeMidAPDU)
        defer { run.close(steps: false) }
        try Self.write(run.steps, "tap\n")
        #expect(try run.qemu.next()?.messageType == .atr)
        try run.qemu.send(QEMUSide.acknowledgement)
        #expect(try run.acks.next() == "inserted")
        try run.qemu.send(VSCardFrame(.apdu, reader: 0, payload: getUID))
        #expect(try run.qemu.next() == VSCardFrame(.cardRemove, reader: 0))
        #expect(try run.acks.next() == "left")
        try run.qemu.send(QEMUSide.acknowledgement)
        try Self.write(run.steps, "remove\n")
        #expect(try run.acks.next() == "removed")
        Syscalls.close(run.steps)
        #expect(try run.qemu.next() == VSCardFrame(.readerRemove, reader: 0))
        try run.qemu.send(QEMUSide.acknowledgement)
        #expect(try run.acks.next() == "ended finished")
    }

    @Test("QEMU quitting under live steps ends the run with the reason")
    func qemuQuits() throws {
        var run = try LiveRun()
        defer { run.close(qemu: false) }
        Syscalls.close(run.qemu.fd)
        let ending = try run.acks.next()
        #expect(ending?.hasPrefix("ended: QEMU closed the VSCard connection") == true, "\(ending ?? "nothing")")
    }

    @Test("on vpcd: ready at once, a tap connects, a remove hangs up, the end of the steps ends the run")
    func vpcd() throws {
        let (listener, port) = try PeerSockets.listenTCP()
        let (steps, stepsEnd) = try Syscalls.socketPair()
        let (acksEnd, acksWriter) = try Syscalls.socketPair()
        defer { [listener, stepsEnd, acksEnd, acksWriter].forEach(Syscalls.close) }
        var acks = LineReader(fd: acksEnd)
        Self.startPlayer(steps: stepsEnd, acks: acksWriter) {
            VPCDLink(host: "127.0.0.1", port: port, connectTimeout: .seconds(2), log: CardLog(), stop: { false })
        }
        #expect(try acks.next() == "reader ready")
        #expect(try PeerSockets.accept(listener, within: 200) == nil, "no card, no connection")

        try Self.write(steps, "tap uid=04A21B6C\n")
        let vpcd = try #require(try PeerSockets.accept(listener))
        defer { Syscalls.close(vpcd) }
        #expect(try acks.next() == "inserted")
        try Syscalls.sendAll(vpcd, VPCDFrame.encode([0x04]) + VPCDFrame.encode(getUID))
        #expect(
            try VPCDConnectionTests.frames(from: vpcd, within: 300) == [
                AnswerToReset.ektpTypeA.bytes, [0x04, 0xA2, 0x1B, 0x6C] + success,
            ])

        try Self.write(steps, "remove\n")
        #expect(try acks.next() == "removed")
        #expect(try QEMUSide(fd: vpcd).sawHangUp())
        try Self.write(steps, "wait 10ms\n")
        #expect(try acks.next() == "waited")
        Syscalls.close(steps)
        #expect(try acks.next() == "ended finished")
    }
}
