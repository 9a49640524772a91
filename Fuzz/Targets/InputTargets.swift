import Core
import Drivers

extension FuzzTarget {
    /// What a keyboard-wedge reader types, as evdev events: any USB device can claim to be one. Each event is 8
    /// bytes: the type (low two bits: `EV_SYN`, `EV_KEY`, `EV_REL`, `EV_ABS`), the code (2 bytes), the value
    /// (signed byte) and the time since the previous event in microseconds (signed, 4 bytes: clocks step back).
    static let wedge = FuzzTarget("wedge", "evdev events from a keyboard-wedge reader") { bytes in
        var decoder = WedgeDecoder()
        var time = Duration.seconds(1_000_000)
        var offset = 0
        while offset + 8 <= bytes.count {
            let event = bytes[offset..<offset + 8].map { $0 }
            offset += 8
            let delta = Int32(
                bitPattern: UInt32(event[4]) << 24 | UInt32(event[5]) << 16 | UInt32(event[6]) << 8
                    | UInt32(event[7]))
            time += .microseconds(Int64(delta))
            let input = InputEvent(
                type: UInt16(event[0] & 0x03), code: UInt16(event[1]) << 8 | UInt16(event[2]),
                value: Int32(Int8(bitPattern: event[3])), time: time)
            switch WedgeReader.decode(input, with: &decoder) {
            case .card(let uid):
                require([4, 7, 10].contains(uid.bytes.count), "a wedge UID of \(uid.bytes.count) bytes")
            case .rejected(let reason):
                _ = reason.description
            case nil:
                break
            }
        }
    }
}
