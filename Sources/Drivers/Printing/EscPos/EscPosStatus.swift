public import Core

/// A thermal printer's state as its `DLE EOT n` replies tell it (printing.md §2).
public struct ThermalStatus: Hashable, Sendable {
    public var offline = false
    public var coverOpen = false
    public var paperOut = false
    /// Only printers with a near-end sensor set it: its absence proves nothing.
    public var paperNearEnd = false
    public var cutterError = false
    public var unrecoverableError = false
    /// Head too hot and the like: clears by itself.
    public var recoverableError = false

    public init() {}

    /// What stops a letter, as Core names it; `nil` when the printer can print (near end still prints).
    public var problem: PrinterProblem? {
        if coverOpen { return .coverOpen }
        if paperOut { return .paperOut }
        if cutterError { return .cutterError }
        if unrecoverableError { return .unknown }
        if offline { return .offline }
        return nil
    }

    /// The request for reply `n` (1 printer, 2 offline cause, 3 error cause, 4 paper sensor): `DLE EOT n`.
    public static func request(_ n: UInt8) -> [UInt8] { [0x10, 0x04, n] }

    /// The four requests a full check sends, in order.
    public static let fullCheck: [UInt8] = request(1) + request(2) + request(3) + request(4)

    /// Folds reply `byte` to request `n` in.
    public mutating func apply(reply byte: UInt8, to n: UInt8) {
        func bit(_ mask: UInt8) -> Bool { byte & mask != 0 }
        switch n {
        case 1: offline = bit(0x08)
        case 2:
            coverOpen = bit(0x04)
            paperOut = paperOut || bit(0x20)
        case 3:
            cutterError = bit(0x08)
            unrecoverableError = bit(0x20)
            recoverableError = bit(0x40)
        case 4:
            paperNearEnd = byte & 0x0C == 0x0C
            paperOut = byte & 0x60 == 0x60
        default: break
        }
    }
}

/// Picks the `DLE EOT` replies out of what a printer sends back, which may also hold Automatic Status Back
/// blocks, XON/XOFF and stray bytes (a `DLE EOT` inside image data is executed, so unsolicited replies arrive
/// mid-job). A reply is told by its bit pattern `0xx1xx10`, never by "one request, one byte".
public struct EscPosReplyScanner: Sendable {
    /// The requests still waiting for their reply, oldest first.
    private var pending: [UInt8] = []
    /// Bytes left of an ASB block being skipped.
    private var skipping = 0

    public init() {}

    /// Notes that `DLE EOT n` was sent.
    public mutating func sent(_ n: UInt8) { pending.append(n) }

    public var isWaiting: Bool { !pending.isEmpty }

    /// Feeds received bytes; returns the replies matched to their requests, in order.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [(request: UInt8, reply: UInt8)] {
        var replies: [(request: UInt8, reply: UInt8)] = []
        for byte in bytes {
            if skipping > 0 {
                skipping -= 1
                continue
            }
            switch byte {
            case 0x11, 0x13: continue  // XON, XOFF
            case _ where byte & 0x93 == 0x12:  // 0xx1xx10: a DLE EOT reply
                if !pending.isEmpty { replies.append((pending.removeFirst(), byte)) }
            case _ where byte & 0x93 == 0x10:  // 0xx1xx00: the first byte of a 4-byte ASB block
                skipping = 3
            default: continue  // GS r / GS I answers or noise: not ours to read
            }
        }
        return replies
    }
}
