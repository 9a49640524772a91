/// Plays a `CardScript` against vpcd: connects on `tap`, serves the card while time passes, closes on `remove`.
/// Time always passes while serving, so the reader's presence polls and APDUs are answered during `tap 2s` and
/// `wait 1s` alike. The script's end, SIGINT and SIGTERM take a card still on the reader away before returning.
struct CardPlayer {
    var host: String
    var port: UInt16
    var connectTimeout: Duration
    var fault: CardFault?
    var usesGetResponse: Bool
    var log: CardLog

    /// How a run ended.
    enum Ending: Equatable {
        case finished
        case stopped
    }

    /// Plays `steps`; `holdLastCard` keeps a card that is still on the reader after the last step there until a
    /// stop is requested (the `kiosk-sim card` default without a script: insert once, stay until SIGINT).
    func play(_ steps: [CardStep], holdLastCard: Bool = false) throws(VPCDError) -> Ending {
        var present: (connection: VPCDConnection, card: VirtualCard)?
        let clock = ContinuousClock()

        /// Serves the card on the reader (or just waits) until `deadline`; false when the run must end.
        func pass(until deadline: ContinuousClock.Instant?) throws(VPCDError) -> Bool {
            guard var current = present else {
                guard let deadline else { return true }
                while clock.now < deadline, !StopRequest.isRequested {
                    let left = clock.now.duration(to: deadline)
                    _ = try? Syscalls.poll(-1, milliseconds: Int32(min(200, max(1, left.milliseconds))))
                }
                return !StopRequest.isRequested
            }
            let outcome = try current.connection.serve(&current.card, until: deadline)
            present = current
            switch outcome {
            case .deadlineReached:
                return true
            case .stopRequested:
                return false
            case .cardLeft:
                log.info("card removed (fault \(CardFault.removeMidAPDU.rawValue): left during an APDU)")
                present = nil
                return true
            case .readerClosed:
                log.info("card removed: vpcd closed the connection (pcscd stopped or restarted)")
                present = nil
                return true
            }
        }

        func remove() {
            guard let current = present else { return }
            current.connection.close()
            present = nil
            log.info("card removed")
        }
        defer { remove() }

        for step in steps {
            guard !StopRequest.isRequested else { return .stopped }
            switch step {
            case .tap(let setup, let duration):
                let connection: VPCDConnection
                do throws(VPCDError) {
                    connection = try VPCDConnection.connect(
                        host: host, port: port, timeout: connectTimeout, log: log)
                } catch .stopped {
                    return .stopped
                }
                let card = VirtualCard(kind: setup.kind, uid: setup.uid, fault: fault, usesGetResponse: usesGetResponse)
                present = (connection, card)
                log.info(Self.insertedMessage(card))
                if let duration, try !pass(until: clock.now.advanced(by: duration)) { return .stopped }
            case .remove:
                // A card that already left by itself (fault, or pcscd gone) has nothing more to remove.
                remove()
            case .wait(let duration):
                if try !pass(until: clock.now.advanced(by: duration)) { return .stopped }
            }
        }
        if holdLastCard, present != nil {
            while present != nil {
                if try !pass(until: nil) { return .stopped }
            }
        }
        return .finished
    }

    /// `card inserted (type-a, uid 7 bytes)`: kind and length, never the UID itself.
    static func insertedMessage(_ card: VirtualCard) -> String {
        var details = ["\(card.kind.rawValue)", "uid \(card.uid.bytes.count) bytes"]
        if let fault = card.fault { details.append("fault \(fault.rawValue)") }
        if card.usesGetResponse { details.append("GET RESPONSE") }
        return "card inserted (\(details.joined(separator: ", ")))"
    }
}
