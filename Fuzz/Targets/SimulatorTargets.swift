import VirtualCardWire

extension FuzzTarget {
    /// What vpcd (inside pcscd) sends `kiosk-sim card`: length-prefixed frames, cut anywhere by TCP. The first
    /// byte chooses where the stream is cut in two reads.
    static let vpcd = FuzzTarget("vpcd", "the vpcd byte stream kiosk-sim card reads") { bytes in
        guard let first = bytes.first else { return }
        let stream = bytes.dropFirst()
        let cut = stream.isEmpty ? 0 : Int(first) % (stream.count + 1)
        var decoder = VPCDFrameDecoder()
        var decoded: [UInt8] = []
        for read in [stream.prefix(cut), stream.dropFirst(cut)] {
            decoder.append(read)
            while let payload = decoder.next() {
                decoded += VPCDFrame.encode(payload)
                _ = VPCDMessage(payload: payload)
            }
        }
        require(decoded.count + decoder.pendingByteCount == stream.count, "vpcd bytes lost or invented")
        require(decoded[...] == stream.prefix(decoded.count), "vpcd frames do not re-encode to what was read")
    }

    /// What QEMU's ccid-card-passthru sends `kiosk-sim card --vscard`: VSCard frames, cut anywhere. The first
    /// byte chooses where the stream is cut in two reads.
    static let vscard = FuzzTarget("vscard", "the VSCard byte stream kiosk-sim card reads from QEMU") { bytes in
        guard let first = bytes.first else { return }
        let stream = bytes.dropFirst()
        let cut = stream.isEmpty ? 0 : Int(first) % (stream.count + 1)
        var decoder = VSCardFrameDecoder()
        var decoded: [UInt8] = []
        reading: for read in [stream.prefix(cut), stream.dropFirst(cut)] {
            decoder.append(read)
            while true {
                let frame: VSCardFrame?
                do throws(VSCardFrameError) {
                    frame = try decoder.next()
                } catch {
                    _ = error.description
                    break reading
                }
                guard let frame else { break }
                decoded += frame.encoded
                do throws(VSCardFrameError) {
                    _ = try VSCardHostMessage(frame)
                } catch {
                    _ = error.description
                }
            }
        }
        require(decoded[...] == stream.prefix(decoded.count), "VSCard frames do not re-encode to what was read")
    }
}
