package import Core
package import Drivers
import Foundation
import Logging

/// Slips on the thermal printer: the pengantar an RT post prints instead of an A4 letter, and the receipt
/// beside an A4 letter.
package struct ThermalSlips: Sendable {
    package let printer: any ThermalPrinter
    let profile: PrinterProfile
    let renderer: Renderer

    init(_ settings: PrintingSettings.Thermal, renderer: Renderer, state: DeviceState? = nil) {
        printer = RecordedThermalPrinter(printer: settings.printer(), state: state)
        profile = settings.profile
        self.renderer = renderer
    }

    package func print(_ slip: Slip) async -> PrintOutcome {
        var encoder = EscPosEncoder(profile: profile)
        do {
            try encoder.slip(slip, renderer: renderer)
        } catch {
            return .failed(.unknown)
        }
        return await printer.print(encoder.bytes)
    }
}

/// A thermal printer whose last status and last job outcome are kept in `device_state`, for `kiosk status` and
/// the heartbeat ("paper out reaches the operator"). Writing them never fails a print.
package struct RecordedThermalPrinter: ThermalPrinter {
    package let printer: any ThermalPrinter
    let state: DeviceState?

    package func status() async throws(ThermalError) -> ThermalStatus? {
        do {
            let status = try await printer.status()
            note([.thermalStatus: Self.word(status, outcome: nil)])
            return status
        } catch {
            note([.thermalStatus: PrinterProblem.offline.rawValue])
            throw error
        }
    }

    package func print(_ job: [UInt8]) async -> PrintOutcome {
        await printReporting(job).outcome
    }

    package func printReporting(_ job: [UInt8]) async -> (outcome: PrintOutcome, status: ThermalStatus?) {
        note([.thermalLastJob: "sending"], stamped: false)
        let (outcome, status) = await printer.printReporting(job)
        let job =
            switch outcome {
            case .printed: "printed"
            case .failed(let problem): "failed:\(problem.rawValue)"
            case .pending: "sending"
            }
        note([.thermalLastJob: job, .thermalStatus: Self.word(status, outcome: outcome)])
        return (outcome, status)
    }

    /// The status in one word: what the printer said, else what the job's outcome tells (a printer that cannot
    /// be reached is offline; one that printed without answering status is unknown).
    static func word(_ status: ThermalStatus?, outcome: PrintOutcome?) -> String {
        if let status {
            if let problem = status.problem { return problem.rawValue }
            return status.paperNearEnd ? "paperNearEnd" : "ready"
        }
        if case .failed(let problem) = outcome { return problem.rawValue }
        return "unknown"
    }

    private func note(_ values: [DeviceState.Key: String?], stamped: Bool = true) {
        guard let state else { return }
        var values = values
        if stamped { values[.thermalStatusAt] = "\(Int64(Date().timeIntervalSince1970 * 1000))" }
        try? state.set(values)
    }
}

/// `letters = "thermal"`: the pengantar slip, with the signed QR, is the resident's print.
package struct PengantarPrinter: LetterPrinter {
    let composer: LetterComposer
    let slips: ThermalSlips

    package func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void)
        async
        -> PrintOutcome
    {
        let date = issued.recordID.timestamp.date()
        guard let seal = try? composer.qrText(request, issued) else { return .failed(.unknown) }
        progress(30)
        let outcome = await slips.print(
            .pengantar(
                request: request, number: issued.number, issuedOn: date, letterhead: composer.letterhead, seal: seal))
        progress(100)
        return outcome
    }
}

/// `receipt = true`: after an A4 letter printed, a receipt slip. The letter's outcome is the resident's; a
/// receipt that does not print is logged for the operator and does not undo the letter.
package struct LetterWithReceipt: LetterPrinter {
    let letter: any LetterPrinter
    let slips: ThermalSlips
    let village: String
    let logger: Logger

    package func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void)
        async
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
