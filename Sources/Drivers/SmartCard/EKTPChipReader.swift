public import Core

/// Reads an e-KTP chip's files through a Dukcapil SAM (secure access module): the port a real SAM plugs into.
///
/// With a real SAM the kiosk holds two PC/SC connections, the card (RF slot) and the SAM (contact slot), and the
/// SAM runs the mutual authentication (SAM reset, card GET CHALLENGE `00 84`, SAM `00 F1`, card EXTERNAL
/// AUTHENTICATE `00 82`, SAM `00 F2`) and wraps/unwraps every command under secure messaging (`00 F3`/`00 F4`).
/// That needs a SAM issued under a cooperation agreement (PKS) with Dukcapil and its unlock secrets, which are
/// read from a root-only file and never committed. See docs/EKTP.md.
public protocol SecureAccessModule: Sendable {
    /// Authenticates the card and the SAM to each other before any protected read.
    func openSession(with card: SmartCardConnection) throws(SmartCardError)
    /// Sends `command` to the card under secure messaging and returns the card's plain answer.
    func transmit(_ command: CommandAPDU, to card: SmartCardConnection) throws(SmartCardError) -> ResponseAPDU
}

/// The SAM of `kiosk-sim card --kind chip`: the simulated chip answers in the clear, so this module only passes
/// commands through. For the demo and tests; a real e-KTP refuses these reads without secure messaging.
public struct SimulatedSAM: SecureAccessModule {
    public init() {}

    public func openSession(with card: SmartCardConnection) throws(SmartCardError) {}

    public func transmit(_ command: CommandAPDU, to card: SmartCardConnection) throws(SmartCardError) -> ResponseAPDU {
        try card.transmit(command)
    }
}

/// The e-KTP file reads: select DF `7F0A`, select EF `6FF1` (biodata), READ BINARY in 208-byte chunks.
public struct EKTPChipReader: Sendable {
    let sam: any SecureAccessModule
    /// The biodata file is a few hundred bytes; anything longer is a misbehaving card.
    static let maximumFileSize = 4096
    static let chunk = 208

    public init(sam: any SecureAccessModule) {
        self.sam = sam
    }

    /// The resident whose biodata the chip holds.
    public func readResident(_ card: SmartCardConnection) throws(EKTPChipError) -> Resident {
        let bytes = try readBiodataFile(card)
        do {
            return try EKTPBiodata.resident(from: bytes)
        } catch {
            throw .biodata(error)
        }
    }

    public func readBiodataFile(_ card: SmartCardConnection) throws(EKTPChipError) -> [UInt8] {
        do {
            try sam.openSession(with: card)
            try select([0x7F, 0x0A], card)
            try select([0x6F, 0xF1], card)
            var file: [UInt8] = []
            while file.count < Self.maximumFileSize {
                let offset = file.count
                let read = CommandAPDU(
                    cla: 0x00, ins: 0xB0, p1: UInt8(offset >> 8), p2: UInt8(offset & 0xFF), le: Self.chunk)
                let response = try sam.transmit(read, to: card)
                // End of file: "wrong offset" or "end reached before Le bytes" after the last full chunk.
                if response.statusWord == 0x6B00 || response.statusWord == 0x6282 && response.data.isEmpty { break }
                guard response.isSuccess || response.statusWord == 0x6282 else {
                    throw SmartCardError.refused(command: "READ BINARY", statusWord: response.statusWord)
                }
                file += response.data
                if response.data.count < Self.chunk { break }
            }
            guard file.count < Self.maximumFileSize else { throw EKTPChipError.fileTooLong }
            return file
        } catch let error as EKTPChipError {
            throw error
        } catch let error as SmartCardError {
            throw .card(error)
        } catch {
            throw .card(.malformedResponse("\(error)"))
        }
    }

    private func select(_ fileID: [UInt8], _ card: SmartCardConnection) throws(SmartCardError) {
        let response = try sam.transmit(CommandAPDU(cla: 0x00, ins: 0xA4, p1: 0x00, p2: 0x00, data: fileID), to: card)
        guard response.isSuccess else {
            throw .refused(command: "SELECT \(fileID.hexString)", statusWord: response.statusWord)
        }
    }
}

public enum EKTPChipError: Error, Hashable, Sendable, CustomStringConvertible {
    case card(SmartCardError)
    case biodata(EKTPBiodataError)
    case fileTooLong

    public var description: String {
        switch self {
        case .card(let error): "\(error)"
        case .biodata(let error): "\(error)"
        case .fileTooLong: "the card's biodata file does not end: not an e-KTP"
        }
    }
}
