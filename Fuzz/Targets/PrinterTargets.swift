import Drivers

extension FuzzTarget {
    /// What a thermal printer sends back on USB, lp or TCP: `DLE EOT` replies among status blocks and noise. The
    /// first byte says how many requests (`DLE EOT 1` to `4`, in turn) are waiting; the rest arrives in reads whose
    /// sizes the following bytes choose.
    static let escposStatus = FuzzTarget("escpos-status", "a thermal printer's status replies") { bytes in
        guard let first = bytes.first else { return }
        var scanner = EscPosReplyScanner()
        let requests = Int(first % 9)
        for index in 0..<requests { scanner.sent(UInt8(index % 4 + 1)) }
        var status = ThermalStatus()
        var replies = 0
        var rest = bytes.dropFirst()
        while let size = rest.first {
            rest = rest.dropFirst()
            let read = rest.prefix(Int(size % 16) + 1)
            rest = rest.dropFirst(read.count)
            for (request, reply) in scanner.receive(read) {
                require((1...4).contains(request), "a reply matched to request \(request), never sent")
                status.apply(reply: reply, to: request)
                replies += 1
            }
        }
        require(replies <= requests, "\(replies) replies to \(requests) requests")
        require(scanner.isWaiting == (replies < requests), "the scanner lost count of its requests")
        _ = status.problem
    }
}
