package import Core
import Foundation
package import ProvincialAPI
import SwiftCSV

/// A village board from OpenSID's `keuangan_manual_rinci` exported as CSV (Tahun, Kd_Akun, Kd_Keg, Kd_Rincian,
/// Nilai_Anggaran, Nilai_Realisasi), for villages the province does not serve yet (`kiosk import board`). It sums
/// the budget year as OpenSID's finance widget does: Pendapatan, Belanja and Pembiayaan by the account's first
/// digit (4, 5, 6), and spending per bidang by the activity code. Only those six columns are read: a payee's name,
/// a bank account or an NPWP in another column (a Siskeudes `Ta_SPPBukti` export) is never looked at, and the
/// board has no field that could carry it.
package enum OpenSIDFinanceImport {
    static let requiredColumns = ["tahun", "kd_akun", "kd_keg", "kd_rincian", "nilai_anggaran", "nilai_realisasi"]
    /// Columns of payment vouchers (`Ta_SPPBukti`) that name who was paid: their presence means the wrong table was
    /// exported, which the report says (their values are never read).
    static let payeeColumns = ["nm_penerima", "rek_bank", "nm_bank", "npwp"]

    package struct Result: Sendable {
        package var board: Board
        /// Rows of the chosen year that were summed.
        package var rows: Int
        /// Columns present in the file that the import did not read, payee columns among them.
        package var ignoredPayeeColumns: [String]
    }

    package enum Problem: Error, Equatable, CustomStringConvertible {
        case missingColumns([String])
        case noRows
        case rows([String])

        package var description: String {
            switch self {
            case .missingColumns(let names):
                "the file lacks the column(s) \(names.joined(separator: ", ")); export keuangan_manual_rinci "
                    + "(Tahun, Kd_Akun, Kd_Keg, Kd_Rincian, Nilai_Anggaran, Nilai_Realisasi) with its header row"
            case .noRows: "the file has no rows for the budget year"
            case .rows(let problems):
                "nothing imported, the kiosk keeps the board it had; fix these rows and import again:\n"
                    + problems.prefix(20).joined(separator: "\n")
                    + (problems.count > 20 ? "\n... and \(problems.count - 20) more" : "")
            }
        }
    }

    /// Reads `text`; `year` picks the budget year (the latest in the file when `nil`).
    package static func parse(
        _ text: String, villageCode: String, year: Int? = nil, asOf: CalendarDate, complaints: String
    ) throws -> Result {
        let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else { throw Problem.missingColumns(missing) }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })

        struct Entry {
            var year: Int
            var account: Character
            var bidang: Int?
            var budget: Int64
            var realised: Int64
        }
        var entries: [Entry] = []
        var problems: [String] = []
        for (index, row) in csv.rows.enumerated() {
            let line = index + 2
            func field(_ name: String) -> String {
                guard let i = column[name], i < row.count else { return "" }
                return row[i].trimmingCharacters(in: .whitespaces)
            }
            guard let rowYear = Int(field("tahun")), (2000...2100).contains(rowYear) else {
                problems.append("line \(line): Tahun is not a year")
                continue
            }
            let code = field("kd_akun").isEmpty ? field("kd_rincian") : field("kd_akun")
            guard let account = code.first, "456".contains(account) else {
                problems.append("line \(line): Kd_Akun must start with 4 (Pendapatan), 5 (Belanja) or 6 (Pembiayaan)")
                continue
            }
            guard let budget = rupiah(field("nilai_anggaran")), let realised = rupiah(field("nilai_realisasi")) else {
                problems.append("line \(line): Nilai_Anggaran and Nilai_Realisasi must be amounts such as 1500000.00")
                continue
            }
            guard budget >= 0, realised >= 0 else {
                problems.append("line \(line): a negative amount; corrections belong in the amount they correct")
                continue
            }
            entries.append(
                Entry(
                    year: rowYear, account: account, bidang: bidang(field("kd_keg")), budget: budget, realised: realised
                ))
        }
        guard problems.isEmpty else { throw Problem.rows(problems) }
        guard let chosen = year ?? entries.map(\.year).max() else { throw Problem.noRows }
        let ofYear = entries.filter { $0.year == chosen }
        guard !ofYear.isEmpty else { throw Problem.noRows }

        func line(_ title: String, _ rows: [Entry]) -> BoardLine {
            let budget = rows.reduce(Int64(0)) { $0 &+ $1.budget }
            let realised = rows.reduce(Int64(0)) { $0 &+ $1.realised }
            let shown = VillageBoard.Line(title: title, budget: budget, realised: realised)
            return BoardLine(
                title: title, budget: budget, realised: realised, percent: (shown.percent * 100).rounded() / 100)
        }
        let summary = [("4", "Pendapatan"), ("5", "Belanja"), ("6", "Pembiayaan")].compactMap { digit, title in
            let rows = ofYear.filter { $0.account == Character(digit) }
            return rows.isEmpty ? nil : line(title, rows)
        }
        let spending = ofYear.filter { $0.account == "5" }
        let byBidang = VillageBoard.bidangNames.keys.sorted().compactMap { number -> BoardLine? in
            let rows = spending.filter { $0.bidang == number }
            return rows.isEmpty ? nil : line("Bidang \(number): \(VillageBoard.bidangNames[number]!)", rows)
        }
        let ignored = payeeColumns.filter { header.contains($0) }
        let board = Board(
            villageCode: villageCode, year: chosen, asOf: BoardStore.iso(asOf), summary: summary, byBidang: byBidang,
            activities: [], announcements: [], complaints: complaints)
        return Result(board: board, rows: ofYear.count, ignoredPayeeColumns: ignored)
    }

    /// `1500000.00`, `1500000`, `1.500.000,00`: whole rupiah, rounded; `nil` for anything else.
    static func rupiah(_ text: String) -> Int64? {
        var text = text.replacingOccurrences(of: " ", with: "")
        if text.contains(","), text.contains(".") || text.filter({ $0 == "," }).count == 1 {
            // Indonesian writing: dots group thousands, the comma marks decimals.
            text = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
            let value = Decimal(string: text), value.isFinite, abs(value) < Decimal(1_000_000_000_000_000)
        else { return nil }
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 0, .plain)
        return Int64(exactly: NSDecimalNumber(decimal: rounded).int64Value)
    }

    /// The bidang (1-5) of an activity code: the first part of OpenSID's manual `bidang.subbidang.kegiatan.`
    /// ("2.1.01.", "02.01.01."), or the third of a Siskeudes code that starts with the village's two parts
    /// ("01.01.02.01.01.").
    static func bidang(_ code: String) -> Int? {
        let parts = code.split(separator: ".").map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        let number = parts.count >= 5 ? parts[2] : parts[0]
        return number.flatMap { (1...5).contains($0) ? $0 : nil }
    }
}
