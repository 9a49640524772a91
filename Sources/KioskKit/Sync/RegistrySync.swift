import Core
import Foundation
import GRDB
package import Logging
import ProvincialAPI
import ServiceLifecycle

/// Pulls the village's resident changes from the province (`GET /v1/registry` with a cursor) into the kiosk's
/// registry: residents added or changed (with their card tag and PIN hash), residents gone. Each page is applied
/// in one transaction together with its cursor, so a crash between pages repeats at most one page, and applying a
/// page twice changes nothing. Offline for weeks, it simply resumes from the stored cursor.
package struct RegistrySync: Service {
    let client: ProvincialClient
    let database: KioskDatabase
    /// The province's PIN hashes are peppered on arrival, as the kiosk's own are.
    let pepper: PINPepper
    let logger: Logger
    var interval: Duration = .seconds(900)
    var pageSize = 500

    /// Pulls the registry's changes through `client` into `database` every `interval`, `pageSize` at a time.
    package init(
        client: ProvincialClient, database: KioskDatabase, pepper: PINPepper, logger: Logger,
        interval: Duration = .seconds(900), pageSize: Int = 500
    ) {
        self.client = client
        self.database = database
        self.pepper = pepper
        self.logger = logger
        self.interval = interval
        self.pageSize = pageSize
    }

    package func run() async throws {
        // Stops at graceful shutdown: the sleeps end early and the loop sees the cancellation; nothing here throws,
        // so a shutdown is not reported as this service's failure.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await syncOnce()
                    for problem in report.problems {
                        logger.warning("registry change rejected", metadata: ["problem": "\(problem)"])
                    }
                    if report.changed > 0 || report.rejected > 0 {
                        logger.info(
                            "registry synced from the province",
                            metadata: [
                                "changed": "\(report.changed)", "removed": "\(report.removed)",
                                "rejected": "\(report.rejected)",
                            ])
                    }
                } catch {
                    logger.notice(
                        "registry sync failed; the kiosk serves from its registry", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    package struct Report: Equatable, Sendable {
        package var pages = 0
        package var changed = 0
        package var removed = 0
        /// Changes whose fields do not parse (a bad NIK, date or PIN hash): skipped, counted, never logged in full.
        package var rejected = 0
        /// Why each rejected PIN hash was rejected, naming the change by its page and position, never its NIK.
        package var problems: [String] = []
    }

    /// Pulls pages until the server has no more.
    package func syncOnce() async throws -> Report {
        var report = Report()
        var cursor = try DeviceState(database: database).get(.registryCursor)
        while true {
            let page = try await client.registryChanges(after: cursor, limit: pageSize)
            let applied = try await database.pool.write { [pepper, keys = database.registryKeys] db in
                try Self.apply(page, pepper: pepper, keys: keys, db)
            }
            report.pages += 1
            report.changed += applied.changed
            report.removed += applied.removed
            report.rejected += applied.rejected
            report.problems += applied.problems.map { "page \(report.pages): \($0)" }
            cursor = page.cursor
            if !page.more { break }
        }
        return report
    }

    /// One page: changed residents through the same upsert as the OpenSID import, PIN hashes, removals, cursor.
    static func apply(_ page: RegistryPage, pepper: PINPepper, keys: RegistryKeys, _ db: Database) throws -> Report {
        var report = Report(pages: 1)
        var rows: [OpenSIDExport.Row] = []
        var pins: [(nik: String, hash: PINHash)] = []
        for (index, change) in page.changes.enumerated() {
            if change.removed {
                try ResidentRow.filter(ResidentRow.Columns.nikIndex == keys.index(nik: Self.normalised(change.nik)))
                    .deleteAll(db)
                report.removed += db.changesCount
                continue
            }
            guard let wire = change.resident, let resident = resident(change.nik, wire) else {
                report.rejected += 1
                continue
            }
            rows.append(.init(line: index + 1, resident: resident, tagText: wire.cardTag ?? ""))
            if let pin = change.pin {
                switch pinHash(pin) {
                case .success(let hash): pins.append((resident.nik.digits, hash))
                case .failure(let problem):
                    // The resident's other fields are still applied; the old PIN (if any) stays.
                    report.rejected += 1
                    report.problems.append("change \(index + 1): PIN hash not accepted: \(problem.reason)")
                }
            }
        }
        let imported = try ResidentImport.apply(.init(rows: rows, rejected: []), keys: keys, db)
        report.changed = imported.new + imported.updated
        report.rejected += imported.rejected.count
        let now = Timestamp.now()
        for pin in pins {
            guard let id = try ResidentRow.find(nik: pin.nik, keys: keys, db)?.id
            else { continue }
            try SQLiteRegistry.store(pin.hash.peppered(with: pepper), for: id, at: now, db)
        }
        try DeviceState.set(.registryCursor, page.cursor, db)
        try DeviceState.set(.lastRegistrySync, "\(now.millisecondsSince1970)", db)
        return report
    }

    /// The NIK as the registry's index takes it (its 16 digits), or as sent when it is no NIK (then nothing matches).
    static func normalised(_ nik: String) -> String { (try? NIK(nik))?.digits ?? nik }

    static func resident(_ nik: String, _ wire: RegistryResident) -> Resident? {
        guard let nik = try? NIK(nik), let birthDate = CalendarDate(iso: wire.birthDate),
            let sex = Sex(rawValue: wire.sex), !wire.name.isEmpty
        else { return nil }
        if let tag = wire.cardTag, CardTag(tag) == nil { return nil }
        return Resident(
            nik: nik, name: wire.name, birthPlace: wire.birthPlace, birthDate: birthDate, sex: sex,
            address: wire.address, hamlet: wire.hamlet, rt: wire.rt, rw: wire.rw, religion: wire.religion,
            maritalStatus: wire.maritalStatus, occupation: wire.occupation, nationality: wire.nationality,
            cardTag: wire.cardTag.flatMap { CardTag($0) })
    }

    /// Why the province's PIN hash was not taken.
    struct PINHashProblem: Error, Equatable {
        var reason: String
    }

    /// The province's PIN hash, if its parameters are a known set and its salt long enough: a hash that asked
    /// for gigabytes would stop the kiosk at the next PIN check.
    static func pinHash(_ wire: PINHashWire) -> Result<PINHash, PINHashProblem> {
        guard let hash = Data(base64Encoded: wire.hash), let salt = Data(base64Encoded: wire.salt) else {
            return .failure(.init(reason: "hash or salt is not base64"))
        }
        guard (16...64).contains(hash.count) else {
            return .failure(.init(reason: "the hash has \(hash.count) bytes, expected 16 to 64"))
        }
        guard salt.count >= PINHash.saltLength else {
            return .failure(.init(reason: "the salt has \(salt.count) bytes, expected at least \(PINHash.saltLength)"))
        }
        let parameters = ScryptParameters(n: wire.n, r: wire.r, p: wire.p)
        guard wire.n > 0, parameters.isAcceptedFromProvince else {
            let n = wire.n > 0 && wire.n.nonzeroBitCount == 1 ? "2^\(wire.n.trailingZeroBitCount)" : "\(wire.n)"
            return .failure(
                .init(
                    reason: "scrypt N=\(n), r=\(wire.r), p=\(wire.p) is not a known parameter set "
                        + "(\(ScryptParameters.acceptedFromProvince))"))
        }
        return .success(PINHash(hash: [UInt8](hash), salt: [UInt8](salt), parameters: parameters))
    }
}
