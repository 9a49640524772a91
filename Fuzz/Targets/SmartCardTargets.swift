import Core
import Drivers

extension FuzzTarget {
    /// An Answer To Reset as pcscd reports it for the card on the reader: a card chooses it.
    static let atr = FuzzTarget("atr", "an ATR as pcscd reports it") { bytes in
        let atr = ATR(bytes)
        let history = atr.historicalBytes
        _ = atr.checksumValid
        _ = atr.description
        let kind = atr.kind
        require(history != nil || kind == .unreadable, "a well-formed ATR classed unreadable")
    }

    /// A card's (or reader's) answer to a command APDU, and the UID in a GET DATA answer.
    static let apdu = FuzzTarget("apdu", "a response APDU, read as GET UID's answer") { bytes in
        guard let response = ResponseAPDU(bytes: bytes) else {
            require(bytes.count < 2, "a response of two or more bytes refused")
            return
        }
        require(response.data + [response.sw1, response.sw2] == bytes, "a response APDU does not round-trip")
        _ = response.description
        guard response.isSuccess, let uid = try? CardUID(bytes: response.data) else { return }
        require([4, 7, 10].contains(uid.bytes.count), "a UID of \(uid.bytes.count) bytes accepted")
        require((try? CardUID(hex: uid.hex)) == uid, "a UID does not round-trip through hex")
    }

    /// The biodata file (EF 6FF1) a chip returns to READ BINARY.
    static let biodata = FuzzTarget("biodata", "an e-KTP chip's biodata file") { bytes in
        do throws(EKTPBiodataError) {
            let resident = try EKTPBiodata.resident(from: bytes)
            require(!resident.name.isEmpty, "a resident without a name")
        } catch {
            _ = error.description
        }
    }
}
