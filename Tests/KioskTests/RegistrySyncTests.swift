import Core
import Foundation
import GRDB
import ProvincialAPI
import TestSupport
import Testing

@testable import KioskKit

@Suite("Registry pages from the province applied to the registry")
struct RegistrySyncTests {
    static let newcomer = RegistryResident(
        name: "WARGA BARU", birthPlace: "HANURA", birthDate: "1985-07-07", sex: "P", address: "JL. BARU 2",
        hamlet: "DUSUN II", rt: "003", rw: "001", religion: "ISLAM", maritalStatus: "BELUM KAWIN",
        occupation: "WIRASWASTA", nationality: "WNI", cardTag: "04C0FFEE123456")

    static func page(_ changes: [RegistryChange], cursor: String) -> RegistryPage {
        RegistryPage(changes: changes, cursor: cursor, more: false)
    }

    @Test func aPageAddsChangesAndRemovesResidentsWithTheirCardsAndPINs() async throws {
        let state = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: state)
        let registry = RegistryFixture.registry(database)
        let pin = PIN(digits: [4, 0, 7, 1, 5, 8])
        // The cheapest set the province may send.
        let hash = try PINHash.make(pin, parameters: ScryptParameters(n: 1 << 14, r: 8, p: 1))
        let wirePIN = PINHashWire(
            hash: Data(hash.hash).base64EncodedString(), salt: Data(hash.salt).base64EncodedString(),
            n: hash.parameters.n, r: hash.parameters.r, p: hash.parameters.p)
        let before = try await registry.statistics(at: .now())
        let report = try await database.pool.write { db in
            try RegistrySync.apply(
                Self.page(
                    [
                        .init(nik: "1809074707850002", removed: false, resident: Self.newcomer, pin: wirePIN),
                        .init(nik: "1809075403680011", removed: true),  // SITI AMINAH moved away
                        .init(nik: "1809070000000000", removed: false, resident: Self.newcomer),  // not a NIK
                        .init(nik: "1809074707850003", removed: false, resident: nil),
                    ], cursor: "42"), pepper: RegistryFixture.pepper, keys: database.registryKeys, db)
        }
        #expect(report == .init(pages: 1, changed: 1, removed: 1, rejected: 2))
        let after = try await registry.statistics(at: .now())
        #expect(after.residents == before.residents && after.pins == before.pins + 1)
        #expect(try await registry.verifyPIN(pin, for: try CardUID(hex: "04C0FFEE123456")) == .accepted)
        // Peppered on arrival: the province's hash is not what the database holds (issue 18, item 7).
        let stored = try await database.pool.read { db in try PINRow.fetchAll(db) }
        #expect(stored.allSatisfy { $0.peppered })
        #expect(!stored.contains { [UInt8]($0.hash) == hash.hash })
        #expect(try await registry.lookUp(try CardUID(hex: "520A8BB9")) == .unknownCard)
        #expect(try DeviceState(database: database).get(.registryCursor) == "42")

        let again = try await database.pool.write { db in
            try RegistrySync.apply(
                Self.page([.init(nik: "1809074707850002", removed: false, resident: Self.newcomer)], cursor: "43"),
                pepper: RegistryFixture.pepper, keys: database.registryKeys, db)
        }
        #expect(again.changed == 0 && again.rejected == 0)
    }

    static let hash32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    static let salt16 = "AAAAAAAAAAAAAAAAAAAAAA=="

    @Test(arguments: [
        PINHashWire(hash: "AAAA", salt: salt16, n: 1 << 15, r: 8, p: 1),
        PINHashWire(hash: "not base64!", salt: salt16, n: 1 << 15, r: 8, p: 1),
        PINHashWire(hash: hash32, salt: salt16, n: 15, r: 8, p: 1),
        // What the kiosk accepted before issue 18: a 4 GiB allocation at the next PIN check.
        PINHashWire(hash: hash32, salt: salt16, n: 1 << 20, r: 32, p: 16),
        PINHashWire(hash: hash32, salt: salt16, n: 1 << 17, r: 8, p: 1),
        PINHashWire(hash: hash32, salt: salt16, n: 1 << 15, r: 16, p: 1),
        PINHashWire(hash: hash32, salt: salt16, n: 1 << 15, r: 8, p: 2),
        PINHashWire(hash: hash32, salt: salt16, n: 1 << 4, r: 8, p: 1),
        PINHashWire(hash: hash32, salt: salt16, n: 0, r: 8, p: 1),
        PINHashWire(hash: hash32, salt: salt16, n: -(1 << 15), r: 8, p: 1),
        // Salts: empty, and 8 bytes.
        PINHashWire(hash: hash32, salt: "", n: 1 << 15, r: 8, p: 1),
        PINHashWire(hash: hash32, salt: "AAAAAAAAAAA=", n: 1 << 15, r: 8, p: 1),
    ])
    func malformedOrCostlyPINHashesAreRejected(wire: PINHashWire) {
        guard case .failure(let problem) = RegistrySync.pinHash(wire) else {
            Issue.record("accepted \(wire)")
            return
        }
        #expect(!problem.reason.isEmpty)
    }

    @Test(arguments: [1 << 14, 1 << 15, 1 << 16])
    func theKnownParameterSetsAreAccepted(n: Int) throws {
        let hash = try RegistrySync.pinHash(PINHashWire(hash: Self.hash32, salt: Self.salt16, n: n, r: 8, p: 1)).get()
        #expect(hash.parameters == ScryptParameters(n: n, r: 8, p: 1))
    }

    @Test func aRejectedPINHashIsASyncErrorForItsRowAndTheResidentStillChanges() async throws {
        let state = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: state)
        let costly = PINHashWire(hash: Self.hash32, salt: Self.salt16, n: 1 << 20, r: 32, p: 16)
        let report = try await database.pool.write { db in
            try RegistrySync.apply(
                Self.page(
                    [.init(nik: "1809074707850002", removed: false, resident: Self.newcomer, pin: costly)], cursor: "7"),
                pepper: RegistryFixture.pepper, keys: database.registryKeys, db)
        }
        #expect(report.changed == 1 && report.rejected == 1)
        #expect(report.problems == ["change 1: PIN hash not accepted: scrypt N=2^20, r=32, p=16 is not a known "
            + "parameter set (scrypt N=2^14 to 2^16, r=8, p=1)"])
        #expect(!report.problems.joined().contains("1809074707850002"), "the row is named by position, not NIK")
        let pins = try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pin") }
        #expect(pins == 0)
    }

    @Test func aStoredHashWithCostlyParametersIsNeverComputed() throws {
        // A damaged row (or one written before issue 18) cannot make a PIN check allocate gigabytes.
        let costly = PINHash(
            hash: [UInt8](repeating: 0, count: 32), salt: [UInt8](repeating: 0, count: 16),
            parameters: ScryptParameters(n: 1 << 20, r: 32, p: 16))
        #expect(throws: PINHashError.self) { try costly.verifies(PIN(digits: [1, 2, 3, 4, 5, 6])) }
    }
}
