import Core
import Drivers
import Logging

/// Slips on the thermal printer: the pengantar an RT post prints instead of an A4 letter, and the receipt
/// beside an A4 letter.
struct ThermalSlips: Sendable {
    let printer: any ThermalPrinter
    let profile: PrinterProfile
    let renderer: Renderer

    init(_ settings: PrintingSettings.Thermal, renderer: Renderer) {
        printer = settings.printer()
        profile = settings.profile
        self.renderer = renderer
    }

    func print(_ slip: Slip) async -> PrintOutcome {
        var encoder = EscPosEncoder(profile: profile)
        do {
            try encoder.slip(slip, renderer: renderer)
        } catch {
            return .failed(.unknown)
        }
        return await printer.print(encoder.bytes)
    }
}

/// `letters = "thermal"`: the pengantar slip, with the signed QR, is the resident's print.
struct PengantarPrinter: LetterPrinter {
    let composer: LetterComposer
    let slips: ThermalSlips

    func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void) async
        -> PrintOutcome
    {
        let date = issued.recordID.timestamp.date()
        guard let seal = try? composer.signer.seal(issued.number, issuedOn: date, to: request.resident) else {
            return .failed(.unknown)
        }
        progress(30)
        let outcome = await slips.print(
            .pengantar(
                request: request, number: issued.number, issuedOn: date, letterhead: composer.letterhead,
                seal: seal.payload))
        progress(100)
        return outcome
    }
}

/// `receipt = true`: after an A4 letter printed, a receipt slip. The letter's outcome is the resident's; a
/// receipt that does not print is logged for the operator and does not undo the letter.
struct LetterWithReceipt: LetterPrinter {
    let letter: any LetterPrinter
    let slips: ThermalSlips
    let village: String
    let logger: Logger

    func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void) async
        -> PrintOutcome
    {
        let outcome = await letter.print(request, issued, progress: progress)
        guard outcome == .printed else { return outcome }
        let receipt = await slips.print(
            .receipt(
                request: request, number: issued.number, issuedOn: issued.recordID.timestamp.date(), village: village))
        if case .failed(let problem) = receipt {
            logger.warning("receipt not printed", metadata: ["record": "\(issued.recordID)", "problem": "\(problem)"])
        }
        return outcome
    }
}
