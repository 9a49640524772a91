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
        let hash = try PINHash.make(pin, parameters: RegistryFixture.fastScrypt)
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
                    ], cursor: "42"), db)
        }
        #expect(report == .init(pages: 1, changed: 1, removed: 1, rejected: 2))
        let after = try await registry.statistics(at: .now())
        #expect(after.residents == before.residents && after.pins == before.pins + 1)
        #expect(try await registry.verifyPIN(pin, for: try CardUID(hex: "04C0FFEE123456")) == .accepted)
        #expect(try await registry.lookUp(try CardUID(hex: "520A8BB9")) == .unknownCard)
        #expect(try DeviceState(database: database).get(.registryCursor) == "42")

        let again = try await database.pool.write { db in
            try RegistrySync.apply(
                Self.page([.init(nik: "1809074707850002", removed: false, resident: Self.newcomer)], cursor: "43"), db)
        }
        #expect(again.changed == 0 && again.rejected == 0)
    }

    @Test(arguments: [
        PINHashWire(hash: "AAAA", salt: "AAAAAAAAAAAAAAAAAAAAAA==", n: 16, r: 8, p: 1),
        PINHashWire(hash: "not base64!", salt: "AAAAAAAAAAAAAAAAAAAAAA==", n: 16, r: 8, p: 1),
        PINHashWire(
            hash: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", salt: "AAAAAAAAAAAAAAAAAAAAAA==", n: 15, r: 8, p: 1),
    ])
    func malformedPINHashesAreRejected(wire: PINHashWire) {
        #expect(RegistrySync.pinHash(wire) == nil)
    }
}
