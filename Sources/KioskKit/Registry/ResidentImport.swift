import Core
import GRDB

/// Brings an OpenSID export into the registry, in one transaction: all of it or nothing.
///
/// Residents are matched by NIK. The export is the truth for what it holds: a resident's fields and card tag are
/// replaced by the file's, and an empty `tag_id_card` unregisters the card (a lost card reported in OpenSID stops
/// working here too). A resident absent from the file is left alone, never deleted: an export filtered in OpenSID
/// (one dusun, living residents only) must not empty the registry. PINs and failed attempts are the kiosk's own
/// and survive every import.
package enum ResidentImport {
    package struct Report: Equatable, Sendable {
        var read = 0
        var new = 0
        var updated = 0
        var unchanged = 0
        /// Cards this file registers that the registry had under a resident absent from the file.
        var movedCards = 0
        var rejected: [OpenSIDExport.Rejection] = []
        var dryRun = false

        /// 0 when every row was taken, 1 when some were rejected.
        package var exitStatus: Int32 { rejected.isEmpty ? 0 : 1 }

        /// What `kiosk import residents` prints: counts and rejected lines, no personal data.
        package var text: String {
            var lines: [String] = []
            if dryRun { lines.append("Dry run: nothing was written to the registry.") }
            lines.append("Read \(read) row\(read == 1 ? "" : "s") from the OpenSID export.")
            lines.append("  imported new: \(new)")
            lines.append("  updated:      \(updated)")
            lines.append("  unchanged:    \(unchanged)")
            lines.append("  rejected:     \(rejected.count)")
            if movedCards > 0 {
                lines.append("  \(movedCards) card\(movedCards == 1 ? "" : "s") moved from residents not in this file")
            }
            if !rejected.isEmpty {
                lines.append("Rejected rows (correct them in OpenSID and export again):")
                lines += rejected.map { "  \($0)" }
            }
            lines.append("Residents not in the file stay in the registry: import never deletes.")
            return lines.joined(separator: "\n")
        }
    }

    /// Imports `export`; with `dryRun`, does the same work and rolls it back, so the report is what an import
    /// would do.
    package static func run(_ export: OpenSIDExport.Result, into database: KioskDatabase, dryRun: Bool = false)
        async throws
        -> Report
    {
        try await database.pool.writeWithoutTransaction { db in
            var report = Report()
            try db.inTransaction(.immediate) {
                report = try apply(export, keys: database.registryKeys, db)
                return dryRun ? .rollback : .commit
            }
            report.dryRun = dryRun
            return report
        }
    }

    private struct Taken {
        var line: Int
        var resident: Resident
        var tag: RegisteredTag?
    }

    static func apply(_ export: OpenSIDExport.Result, keys: RegistryKeys, _ db: Database) throws -> Report {
        var report = Report(read: export.read)
        var rejected = export.rejected

        // Two rows registering the same card: OpenSID keeps tags unique per village, so one is a mistake.
        var taken: [Taken] = []
        var lineOfNumber: [String: Int] = [:]
        for row in export.rows {
            let tag = row.tagText.isEmpty ? nil : RegisteredTag(row.tagText)
            if !row.tagText.isEmpty && tag == nil {
                // `OpenSIDExport` checked the tag with Core's `CardTag`; this only guards against the two drifting.
                rejected.append(
                    .init(line: row.line, reason: "tag_id_card: expected 10-17 digits or the card's hex UID"))
                continue
            }
            if let tag {
                if let first = lineOfNumber[tag.number] {
                    rejected.append(
                        .init(line: row.line, reason: "tag_id_card: the same card is registered on line \(first)"))
                    continue
                }
                lineOfNumber[tag.number] = row.line
            }
            taken.append(Taken(line: row.line, resident: row.resident, tag: tag))
        }

        // Residents: insert or update, remembering which card each should end up with.
        var wantedCards: [(residentID: Int64, tag: RegisteredTag?, storedTag: String?)] = []
        for row in taken {
            if let stored = try ResidentRow.find(nik: row.resident.nik.digits, keys: keys, db), let id = stored.id {
                // A damaged stored row (or card) compares unequal, so the import repairs it.
                let storedTag = try CardRow.filter(CardRow.Columns.residentID == id).fetchOne(db).map {
                    (try? $0.tagText(keys: keys)) ?? ""
                }
                let sameFields = (try? stored.resident(tag: nil, keys: keys)) == row.resident.withoutCard
                if sameFields && storedTag == row.tag?.text {
                    report.unchanged += 1
                } else {
                    report.updated += 1
                    if !sameFields { try ResidentRow(row.resident, id: id, keys: keys).update(db) }
                }
                wantedCards.append((id, row.tag, storedTag))
            } else {
                var inserted = try ResidentRow(row.resident, keys: keys)
                try inserted.insert(db)
                report.new += 1
                wantedCards.append((inserted.id!, row.tag, nil))
            }
        }

        // Cards: first take away every card that changes hands or form, then register the new ones, so a card
        // moving between two residents of the same file never meets itself in a unique index.
        let changing = wantedCards.filter { $0.tag?.text != $0.storedTag }
        for change in changing where change.storedTag != nil {
            try CardRow.filter(CardRow.Columns.residentID == change.residentID).deleteAll(db)
        }
        for change in changing {
            guard let tag = change.tag else { continue }
            // Still registered here: to a resident absent from the file. The newer export wins.
            // (A tag without hex must not match every card without one: GRDB reads `== nil` as IS NULL. The same
            // text always has the same number, so the number finds a card registered under the same text too.)
            var card = try CardRow(residentID: change.residentID, tag: tag, keys: keys)
            var sameCard = CardRow.Columns.numberIndex == card.numberIndex
            if let hex = card.hexIndex { sameCard = sameCard || CardRow.Columns.hexIndex == hex }
            report.movedCards += try CardRow.filter(sameCard).deleteAll(db)
            try card.insert(db)
        }

        report.rejected = rejected.sorted { $0.line < $1.line }
        return report
    }
}
