import Testing
import VirtualCardWire

@testable import KioskSimulator

@Suite("vpcd framing")
struct VPCDFrameTests {
    @Test("a frame is the payload behind its length, two bytes big-endian")
    func encode() {
        #expect(VPCDFrame.encode([0x90, 0x00]) == [0x00, 0x02, 0x90, 0x00])
        #expect(VPCDFrame.encode([0x04]) == [0x00, 0x01, 0x04])
        let long = [UInt8](repeating: 0x41, count: 300)
        #expect(Array(VPCDFrame.encode(long).prefix(2)) == [0x01, 0x2C])
        #expect(VPCDFrame.encode(long).count == 302)
    }

    @Test("the decoder waits for a frame cut anywhere, even inside the length")
    func partialReads() {
        let frame = VPCDFrame.encode([0xFF, 0xCA, 0x00, 0x00, 0x00])
        var decoder = VPCDFrameDecoder()
        for byte in frame.dropLast() {
            decoder.append([byte])
            #expect(decoder.next() == nil)
        }
        decoder.append([frame.last!])
        #expect(decoder.next() == [0xFF, 0xCA, 0x00, 0x00, 0x00])
        #expect(decoder.next() == nil)
        #expect(decoder.pendingByteCount == 0)
    }

    @Test("one read holding several frames and the start of the next gives them in order")
    func severalFramesInOneRead() {
        var decoder = VPCDFrameDecoder()
        let bytes = VPCDFrame.encode([0x01]) + VPCDFrame.encode([0x04]) + VPCDFrame.encode([0x00, 0xB0, 0x00, 0x00])
        decoder.append(bytes + [0x00, 0x05, 0xFF])
        #expect(decoder.next() == [0x01])
        #expect(decoder.next() == [0x04])
        #expect(decoder.next() == [0x00, 0xB0, 0x00, 0x00])
        #expect(decoder.next() == nil)
        #expect(decoder.pendingByteCount == 3)
        decoder.append([0xCA, 0x00, 0x00, 0x00])
        #expect(decoder.next() == [0xFF, 0xCA, 0x00, 0x00, 0x00])
    }

    @Test(
        "a 1-byte payload is a control message, anything longer an APDU",
        arguments: [
            ([0x00], VPCDMessage.powerOff), ([0x01], .powerOn), ([0x02], .reset), ([0x04], .getATR),
            ([0x03], .unknownControl(0x03)), ([0x00, 0x01], .apdu([0x00, 0x01])),
            ([0xFF, 0xCA, 0x00, 0x00, 0x00], .apdu([0xFF, 0xCA, 0x00, 0x00, 0x00])),
        ] as [([UInt8], VPCDMessage)])
    func messages(payload: [UInt8], expected: VPCDMessage) {
        #expect(VPCDMessage(payload: payload) == expected)
    }
}
