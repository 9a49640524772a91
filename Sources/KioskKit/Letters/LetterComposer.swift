package import Core
package import Drivers

/// Turns an issued letter into its PDF: compose (Core: template, fields, dates, the signed QR), lay out on the
/// configured paper (Core, measured by the renderer) and draw (Drivers/Graphics, cairo).
package struct LetterComposer: Sendable {
    let letterhead: Letterhead
    let letters: LetterSettings
    package let renderer: Renderer
    package let signer: LetterSigner

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
        let seal = try signer.seal(issued.number, issuedOn: date, to: request.resident)
        let letter = Letter(
            request: request, number: issued.number, issuedOn: date, letterhead: letterhead, template: template,
            nikStyle: letters.nikStyle, seal: seal.payload)
        return LetterLayout(paper: letters.paper, measurer: renderer).layout(letter)
    }

    func pdf(_ request: LetterRequest, _ issued: IssuedLetter) throws -> [UInt8] {
        try renderer.pdf(layout(request, issued))
    }
}
