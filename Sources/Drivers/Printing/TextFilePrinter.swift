public import Core
import Foundation

/// A virtual letter printer that writes each letter as a text page into a folder, named by record id (never by
/// anything personal). The demo's printer until the CUPS printer prints real PDF letters.
public struct TextFilePrinter: LetterPrinter {
    let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void)
        async -> PrintOutcome
    {
        let path = (directory as NSString).appendingPathComponent("\(issued.recordID).txt")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            progress(30)
            try Self.page(request, issued).write(toFile: path, atomically: true, encoding: .utf8)
            progress(100)
            return .printed
        } catch {
            return .failed(.offline)
        }
    }

    /// The letter's text: title, number and the holder's fields, as a draft for a wet signature.
    static func page(_ request: LetterRequest, _ issued: IssuedLetter) -> String {
        let r = request.resident
        return """
            \(request.kind.title.uppercased())
            Nomor: \(issued.number)

            Nama                 : \(r.name)
            NIK                  : \(r.nik.masked)
            Tempat/Tgl Lahir     : \(r.birthPlace), \(IndonesianDate.long(r.birthDate))
            Jenis Kelamin        : \(r.sex.label)
            Alamat               : \(r.address) RT \(r.rt) / RW \(r.rw)
            Keperluan            : \(request.purpose)
            Berlaku              : \(request.kind.validityDays) hari
            \(request.kind.issueMode == .draft ? "\nDRAF - sah setelah ditandatangani petugas desa\n" : "")
            """
    }
}
