import Drivers

/// Plays card steps on a reader (`CardReaderLink`: vpcd or QEMU's CCID reader): taps, removes and waits, from a
/// `CardScript` or live from standard input. Time always passes while serving, so the reader's polls and APDUs are
/// answered during `tap 2s`, `wait 1s` and while live steps are awaited alike. The steps' end, SIGINT and SIGTERM
/// take a card still on the reader away before returning.
struct CardPlayer {
    var link: any CardReaderLink
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
    func play(_ steps: [CardStep], holdLastCard: Bool = false) throws(CardRunError) -> Ending {
        defer { link.close() }
        guard try link.open() else { return .stopped }
        for step in steps {
            guard try carryOut(step) else { return .stopped }
        }
        while holdLastCard, link.card != nil {
            guard try pass(until: nil) else { return .stopped }
        }
        return .finished
    }

    /// Plays steps as they arrive on `input`, one per line, each as soon as it arrives, and answers the reader in
    /// between. `acknowledge` gets one line per event, for a harness to wait on: `reader ready` once the reader
    /// is ready, then `inserted`, `removed` or `waited` after each step is carried out, `rejected: …` for a line
    /// that is not a step, and `left` when the card leaves by itself. The end of the input removes a card still
    /// there and ends the run.
    func playLive(
        from input: Int32,
        defaults: CardScript.Defaults,
        acknowledge: (String) -> Void
    ) throws(CardRunError) -> Ending {
        defer { link.close() }
        guard try link.open() else { return .stopped }
        acknowledge("reader ready")
        var lines = LiveStepLines(defaults: defaults)
        while true {
            if let line = lines.next() {
                switch line {
                case .step(let step):
                    guard try carryOut(step) else { return .stopped }
                    acknowledge(Self.acknowledgement(of: step))
                case .rejected(let reason):
                    log.info("step rejected: \(reason)")
                    acknowledge("rejected: \(reason)")
                }
                continue
            }
            if lines.ended {
                if link.card != nil {
                    try removeCard()
                    acknowledge("removed")
                }
                return .finished
            }
            switch try link.serve(until: nil, watching: input) {
            case .inputReady:
                do throws(SystemCallError) {
                    lines.append(try Syscalls.read(input, maximum: 4096))
                } catch {
                    throw .input(error)
                }
            case .stopRequested:
                return .stopped
            case .cardLeft(let reason):
                log.info(reason)
                acknowledge("left")
            case .deadlineReached:
                continue
            }
        }
    }

    /// What a live step prints once it is carried out.
    static func acknowledgement(of step: CardStep) -> String {
        switch step {
        case .tap: "inserted"
        case .remove: "removed"
        case .wait: "waited"
        }
    }

    /// Carries out one step; false when the run must end.
    private func carryOut(_ step: CardStep) throws(CardRunError) -> Bool {
        guard !StopRequest.isRequested else { return false }
        switch step {
        case .tap(let setup, let duration):
            let card = VirtualCard(kind: setup.kind, uid: setup.uid, fault: fault, usesGetResponse: usesGetResponse)
            guard try link.insert(card) else { return false }
            log.info(Self.insertedMessage(card))
            if let duration { return try pass(until: .now.advanced(by: duration)) }
            return true
        case .remove:
            // A card that already left by itself (fault, or pcscd gone) has nothing more to remove.
            try removeCard()
            return true
        case .wait(let duration):
            return try pass(until: .now.advanced(by: duration))
        }
    }

    private func removeCard() throws(CardRunError) {
        guard link.card != nil else { return }
        try link.remove()
        log.info("card removed")
    }

    /// Serves the card on the reader (or just waits) until `deadline`; false when the run must end.
    private func pass(until deadline: ContinuousClock.Instant?) throws(CardRunError) -> Bool {
        while true {
            switch try link.serve(until: deadline, watching: nil) {
            case .deadlineReached: return true
            case .stopRequested: return false
            case .cardLeft(let reason):
                // The step's time ends with the card, as it always has on vpcd: the next step comes at once.
                log.info(reason)
                return true
            case .inputReady: continue  // nothing is watched here
            }
        }
    }

    /// `card inserted (type-a, uid 7 bytes)`: kind and length, never the UID itself.
    static func insertedMessage(_ card: VirtualCard) -> String {
        var details = ["\(card.kind.rawValue)", "uid \(card.uid.bytes.count) bytes"]
        if let fault = card.fault { details.append("fault \(fault.rawValue)") }
        if card.usesGetResponse { details.append("GET RESPONSE") }
        return "card inserted (\(details.joined(separator: ", ")))"
    }
}
