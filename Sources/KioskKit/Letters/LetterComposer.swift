package import Core
package import Drivers

/// Turns an issued letter into its PDF: compose (Core: template, fields, dates, the signed QR), lay out on the
/// configured paper (Core, measured by the renderer) and draw (Drivers/Graphics, cairo).
package struct LetterComposer: Sendable {
    let letterhead: Letterhead
    let letters: LetterSettings
    package let renderer: Renderer
    package let signer: LetterSigner
    /// The province's verification page the QR links to; `nil`: the bare payload.
    package var verifyURL: String? = nil

    package enum Problem: Error, CustomStringConvertible {
        case noTemplate(String)

        package var description: String {
            switch self {
            case .noTemplate(let code): "no template is loaded for letter \(code)"
            }
        }
    }

    /// The letter as composed and laid out; the date is the record's capture day (its id holds the time).
    package func layout(_ request: LetterRequest, _ issued: IssuedLetter) throws -> DisplayList {
        guard let template = letters.templates[request.kind.code] else { throw Problem.noTemplate(request.kind.code) }
        let date = issued.recordID.timestamp.date()
        let letter = Letter(
            request: request, number: issued.number, issuedOn: date, letterhead: letterhead, template: template,
            nikStyle: letters.nikStyle, seal: try qrText(request, issued))
        return LetterLayout(paper: letters.paper, measurer: renderer).layout(letter)
    }

    /// What the letter's QR holds: the seal signed for the issued letter (its salt from the record id), as a link
    /// to the verification page when the kiosk knows one (`[letters] verify_url`).
    package func qrText(_ request: LetterRequest, _ issued: IssuedLetter) throws -> String {
        try signer.seal(
            issued.number, issuedOn: issued.recordID.timestamp.date(), to: request.resident,
            recordID: issued.recordID.text
        ).qrText(verifyURL: verifyURL)
    }

    func pdf(_ request: LetterRequest, _ issued: IssuedLetter) throws -> [UInt8] {
        try renderer.pdf(layout(request, issued))
    }
}
