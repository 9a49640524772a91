import Testing
import VirtualCardWire

@testable import KioskSimulator

@Suite("VSCard framing")
struct VSCardFrameTests {
    @Test("Init goes out as QEMU reads it: big-endian header, the magic as ASCII, version 2, one capability word")
    func initialize() {
        #expect(
            VSCardFrame.initialize().encoded == [
                0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x0C,
                0x56, 0x53, 0x43, 0x44, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
            ])
    }

    @Test("every field of the header is big-endian, whatever the message")
    func header() {
        let apdu = VSCardFrame(.apdu, reader: 0x0102_0304, payload: [0x90, 0x00])
        #expect(apdu.encoded == [0, 0, 0, 7, 1, 2, 3, 4, 0, 0, 0, 2, 0x90, 0x00])
        let long = VSCardFrame(.atr, reader: 0, payload: [UInt8](repeating: 0x3B, count: 300))
        #expect(Array(long.encoded[8..<12]) == [0x00, 0x00, 0x01, 0x2C])
        #expect(
            VSCardFrame.error(.generalError, reader: 0).encoded == [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1])
        #expect(VSCardFrame(.cardRemove, reader: 0).encoded == [0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("the decoder waits for a frame cut anywhere, inside the header or the payload")
    func partialReads() throws {
        let frame = VSCardFrame(.apdu, reader: 0, payload: [0xFF, 0xCA, 0x00, 0x00, 0x00])
        var decoder = VSCardFrameDecoder()
        for byte in frame.encoded.dropLast() {
            decoder.append([byte])
            #expect(try decoder.next() == nil)
        }
        decoder.append([frame.encoded.last!])
        #expect(try decoder.next() == frame)
        #expect(try decoder.next() == nil)
        #expect(decoder.pendingByteCount == 0)
    }

    @Test("one read holding several frames, an empty one among them, and the start of the next gives them in order")
    func severalFramesInOneRead() throws {
        let first = VSCardFrame(
            .initialize, reader: VSCardFrame.undefinedReader, payload: VSCardFrame.magic + [0, 0, 0, 2])
        let second = VSCardFrame(.flush, reader: 0)
        let third = VSCardFrame.error(.success, reader: 0)
        let fourth = VSCardFrame(.apdu, reader: 0, payload: [0x00, 0xB0, 0x00, 0x00, 0x00])
        var decoder = VSCardFrameDecoder()
        decoder.append(first.encoded + second.encoded + third.encoded + fourth.encoded.prefix(14))
        #expect(try decoder.next() == first)
        #expect(try decoder.next() == second)
        #expect(try decoder.next() == third)
        #expect(try decoder.next() == nil)
        #expect(decoder.pendingByteCount == 14)
        decoder.append(fourth.encoded.dropFirst(14))
        #expect(try decoder.next() == fourth)
    }

    @Test("a length beyond what QEMU ever sends is an error at once, not a wait for 4 GiB")
    func oversized() throws {
        var decoder = VSCardFrameDecoder()
        decoder.append([0, 0, 0, 7, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xF0])
        #expect(throws: VSCardFrameError.oversized(type: 7, length: 0xFFFF_FFF0)) { try decoder.next() }
        var justFits = VSCardFrameDecoder()
        justFits.append(VSCardFrame(.apdu, reader: 0, payload: [UInt8](repeating: 0, count: 65536)).encoded)
        #expect(try justFits.next()?.payload.count == 65536)
        let message = "\(VSCardFrameError.oversized(type: 7, length: 0xFFFF_FFF0))"
        #expect(message.contains("APDU") && message.contains("4294967280") && message.contains("ccid-card-passthru"))
    }

    @Test("QEMU's messages decode to what they mean; the ones only a client sends are reported, not fatal")
    func hostMessages() throws {
        let initialize = VSCardFrame(
            .initialize, reader: VSCardFrame.undefinedReader, payload: VSCardFrame.magic + [0, 0, 0, 2, 0, 0, 0, 0])
        #expect(try VSCardHostMessage(initialize) == .initialize(version: 2, capabilities: [0]))
        #expect(try VSCardHostMessage(.error(.cannotAddMoreReaders, reader: 0)) == .error(.cannotAddMoreReaders))
        #expect(try VSCardHostMessage(VSCardFrame(.apdu, reader: 0, payload: [0xFF, 0xCA])) == .apdu([0xFF, 0xCA]))
        #expect(try VSCardHostMessage(VSCardFrame(.flush, reader: 0)) == .flush)
        #expect(try VSCardHostMessage(VSCardFrame(.atr, reader: 0, payload: [0x3B])) == .unexpected(type: 5, length: 1))
        #expect(try VSCardHostMessage(VSCardFrame(type: 42, readerID: 0)) == .unexpected(type: 42, length: 0))
    }

    @Test("an Init or Error too short to hold its fields, and an Init without VSCD, are errors that say so")
    func truncatedAndWrongMagic() {
        #expect(throws: VSCardFrameError.truncated(type: 1, length: 6, needed: 8)) {
            try VSCardHostMessage(VSCardFrame(.initialize, reader: 0, payload: VSCardFrame.magic + [0, 0]))
        }
        #expect(throws: VSCardFrameError.truncated(type: 2, length: 2, needed: 4)) {
            try VSCardHostMessage(VSCardFrame(.error, reader: 0, payload: [0, 0]))
        }
        let swapped: [UInt8] = Array("DCSV".utf8)
        #expect(throws: VSCardFrameError.wrongMagic(swapped)) {
            try VSCardHostMessage(VSCardFrame(.initialize, reader: 0, payload: swapped + [0, 0, 0, 2]))
        }
        #expect(
            "\(VSCardFrameError.truncated(type: 2, length: 2, needed: 4))"
                == "a VSCard Error message carries 2 bytes, it needs at least 4")
        #expect("\(VSCardFrameError.wrongMagic(swapped))".contains("44 43 53 56 instead of the magic \"VSCD\""))
    }
}
