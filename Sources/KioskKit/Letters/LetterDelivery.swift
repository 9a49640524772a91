package import Core
import Drivers
import Foundation
import Logging

/// Where a letter's PDF goes once composed: a CUPS queue, or a folder.
package protocol LetterOutput: Sendable {
    /// Hands the PDF over and says how printing ended. `title` names the job and holds no personal data.
    func deliver(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async -> PrintOutcome
    /// The same for a PDF made elsewhere (a signed letter): its bytes reach the printer unchanged, never re-rendered.
    func deliverUnchanged(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async
        -> PrintOutcome
}

extension LetterOutput {
    /// Outputs that write the bytes as they are need nothing else.
    package func deliverUnchanged(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async
        -> PrintOutcome
    {
        await deliver(pdf: pdf, title: title, progress: progress)
    }
}

/// The kiosk's `LetterPrinter`: composes each issued letter into a PDF and delivers it.
package struct PDFLetterPrinter: LetterPrinter {
    let composer: LetterComposer
    let output: any LetterOutput
    let logger: Logger

    package func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void)
        async
        -> PrintOutcome
    {
        let pdf: [UInt8]
        do {
            pdf = try composer.pdf(request, issued)
        } catch {
            // Errors here name files and fonts, never the resident.
            logger.error("letter \(issued.recordID) could not be composed: \(error)")
            return .failed(.unknown)
        }
        progress(20)
        return await output.deliver(pdf: pdf, title: Self.jobTitle(request.kind, issued), progress: progress)
    }

    /// The job's name as the print queue shows it: letter kind and record id, nothing personal.
    package static func jobTitle(_ kind: LetterKind, _ issued: IssuedLetter) -> String {
        "Surat \(kind.code) \(issued.recordID)"
    }
}

/// Writes each PDF into a folder as `<record id>.pdf` (the record id is the end of the job title): the demo's
/// printer, and a kiosk's until its CUPS printer is set up. The folder is the daemon's own (0700): letters hold
/// personal data.
package struct PDFFolderOutput: LetterOutput {
    let directory: String

    package func deliver(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async -> PrintOutcome
    {
        let name = String(title.split(separator: " ").last ?? "letter") + ".pdf"
        let path = (directory as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(pdf).write(to: URL(fileURLWithPath: path), options: .atomic)
            progress(100)
            return .printed
        } catch {
            return .failed(.offline)
        }
    }
}

/// A CUPS queue: the letter printer of a real kiosk. The outcome is the job's (jam and paper out seen while it
/// printed count, even when the printer then calls the job completed; see `CUPSPrinter.waitUntilPrinted`).
package struct CUPSOutput: LetterOutput {
    let printer: CUPSPrinter

    package func deliver(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async -> PrintOutcome
    {
        await printer.print(pdf: pdf, title: title) { job in progress(20 + job.percent * 8 / 10) }
    }

    package func deliverUnchanged(pdf: [UInt8], title: String, progress: @escaping @Sendable (Int) -> Void) async
        -> PrintOutcome
    {
        await printer.print(pdf: pdf, title: title, unchanged: true) { job in progress(20 + job.percent * 8 / 10) }
    }
}
