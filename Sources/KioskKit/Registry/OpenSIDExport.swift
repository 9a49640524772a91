package import Core
import Crypto
import Foundation
import SwiftCSV

/// Reads a resident export in OpenSID's import layout (`Impor_model::$daftar_kolom`, a header row of column
/// names) into residents, with a report of every row rejected and why. Reasons name the row and the column,
/// never the value: a rejected NIK or name stays out of logs.
package enum OpenSIDExport {
    package struct Rejection: Equatable, CustomStringConvertible {
        /// The line in the file (the header is line 1).
        var line: Int
        var reason: String

        package var description: String { "line \(line): \(reason)" }
    }

    /// A resident taken from the file, with where it was and its card tag as written (`Resident.cardTag` keeps
    /// only what the tag means; the registry stores the text as registered too).
    package struct Row {
        var line: Int
        package var resident: Resident
        var tagText: String
    }

    package struct Result {
        package var rows: [Row]
        package var rejected: [Rejection]

        var residents: [Resident] { rows.map(\.resident) }
        /// Rows read, taken or not.
        var read: Int { rows.count + rejected.count }
    }

    static let requiredColumns = ["nama", "nik", "sex", "tempatlahir", "tanggallahir", "alamat", "rt", "rw"]

    package static func read(path: String) throws -> Result {
        try File(path: path).parse()
    }

    /// An export file's bytes, and whether the registry already holds them: `kiosk run` imports the configured
    /// export only when it changed since the import it last completed (`DeviceState.Key.importedExport`).
    package struct File {
        let bytes: Data
        /// SHA-256 of the bytes, hex: what is kept of an import, no personal data.
        let digest: String

        package init(path: String) throws {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            digest = Data(SHA256.hash(data: bytes)).lowercaseHex
        }

        package func parse() throws -> Result {
            guard let text = String(data: bytes, encoding: .utf8) else {
                throw CocoaError(.fileReadInapplicableStringEncoding)
            }
            return try OpenSIDExport.parse(text)
        }

        /// Whether these are the bytes of the last import that took every row.
        package func wasImported(in state: DeviceState) throws -> Bool {
            try state.get(.importedExport) == digest
        }

        package func markImported(in state: DeviceState) throws {
            try state.set([.importedExport: digest])
        }
    }

    package static func parse(_ text: String) throws -> Result {
        let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else { throw ExportError.missingColumns(missing) }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })

        var result = Result(rows: [], rejected: [])
        var seenNIKs = Set<String>()
        for (index, row) in csv.rows.enumerated() {
            let line = index + 2
            func field(_ name: String) -> String {
                guard let i = column[name], i < row.count else { return "" }
                return row[i].trimmingCharacters(in: .whitespaces)
            }
            switch resident(field) {
            case .success(let resident):
                guard seenNIKs.insert(resident.nik.digits).inserted else {
                    result.rejected.append(.init(line: line, reason: "nik: the same NIK appears on an earlier line"))
                    continue
                }
                result.rows.append(Row(line: line, resident: resident, tagText: field("tag_id_card")))
            case .failure(let rejection):
                result.rejected.append(.init(line: line, reason: rejection.reason))
            }
        }
        return result
    }

    private struct RowError: Error { var reason: String }

    private static func resident(_ field: (String) -> String) -> Swift.Result<Resident, RowError> {
        let nik: NIK
        do throws(NIKError) { nik = try NIK(field("nik")) } catch { return .failure(RowError(reason: "nik: \(error)")) }
        let name = field("nama")
        guard !name.isEmpty else { return .failure(RowError(reason: "nama: empty")) }
        let sex: Sex
        switch field("sex").uppercased() {
        case "L", "1", "LAKI-LAKI": sex = .male
        case "P", "2", "PEREMPUAN": sex = .female
        default: return .failure(RowError(reason: "sex: expected L or P (or 1/2)"))
        }
        guard sex == nik.sex else {
            return .failure(RowError(reason: "sex: does not match the NIK (women have day + 40)"))
        }
        guard let birthDate = CalendarDate(iso: field("tanggallahir")) else {
            return .failure(RowError(reason: "tanggallahir: expected a real date as YYYY-MM-DD"))
        }
        let tag = field("tag_id_card")
        let cardTag = CardTag(tag)
        if !tag.isEmpty, cardTag == nil {
            return .failure(RowError(reason: "tag_id_card: expected 10-17 digits or the card's hex UID"))
        }
        return .success(
            Resident(
                nik: nik, name: name, birthPlace: field("tempatlahir"), birthDate: birthDate, sex: sex,
                address: field("alamat"), hamlet: field("dusun"), rt: field("rt"), rw: field("rw"),
                religion: field("agama_id"), maritalStatus: field("status_kawin"), occupation: field("pekerjaan_id"),
                nationality: field("warganegara_id").isEmpty ? "WNI" : field("warganegara_id"), cardTag: cardTag))
    }

    package enum ExportError: Error, CustomStringConvertible {
        case missingColumns([String])

        package var description: String {
            switch self {
            case .missingColumns(let names):
                "not an OpenSID resident export: the header lacks \(names.joined(separator: ", "))"
            }
        }
    }
}

extension OpenSIDExport {
    /// What went wrong reading the file, in words a technician acts on (Foundation's errors name the file only).
    package static func describe(_ error: any Error, file: String) -> String {
        if error is OpenSIDExport.ExportError { return "\(error)" }
        guard FileManager.default.fileExists(atPath: file) else { return "the file does not exist" }
        guard FileManager.default.isReadableFile(atPath: file) else {
            return "permission denied; run as a user who may read it"
        }
        return "not a CSV text file in UTF-8 (export it again from OpenSID as CSV)"
    }
}
