import Core
import Foundation
import Testing

@testable import Kiosk

@Suite("OpenSID resident export and the in-memory registry")
struct OpenSIDExportTests {
    static let header =
        "alamat,dusun,rw,rt,nama,no_kk,nik,sex,tempatlahir,tanggallahir,agama_id,pekerjaan_id,status_kawin,warganegara_id,tag_id_card"

    @Test func theFixtureExportGivesEightResidentsAndSevenCards() throws {
        let result = try OpenSIDExport.read(path: TestPaths.residents)
        #expect(result.rejected == [])
        #expect(result.residents.count == 8)
        #expect(result.residents.filter { $0.cardTag != nil }.count == 7)
        let siti = try #require(result.residents.first)
        #expect(siti.sex == .female)
        #expect(siti.birthDate == CalendarDate(year: 1968, month: 3, day: 14))
        #expect(siti.rt == "002")
        #expect(siti.rw == "001")
        #expect(siti.religion == "ISLAM")
    }

    @Test func badRowsAreRejectedWithTheLineAndTheRuleButNoPersonalData() throws {
        let rows = [
            "JL. A,DUSUN I,001,002,ANI,1,18090754036800,P,METRO,1968-03-14,ISLAM,PETANI,KAWIN,WNI,",  // short NIK
            "JL. A,DUSUN I,001,002,BUDI,1,1809070211650012,P,METRO,1965-11-02,ISLAM,PETANI,KAWIN,WNI,",  // sex vs NIK
            "JL. A,DUSUN I,001,002,CICI,1,1809075403680011,P,METRO,14-03-1968,ISLAM,PETANI,KAWIN,WNI,",  // date format
            "JL. A,DUSUN I,001,002,DEDI,1,1809070211650012,L,METRO,1965-11-02,ISLAM,PETANI,KAWIN,WNI,12AB",  // tag
            "JL. A,DUSUN I,001,002,EKO,1,1809070211650012,L,METRO,1965-11-02,ISLAM,PETANI,KAWIN,WNI,",  // good
            "JL. A,DUSUN I,001,002,EKO,1,1809070211650012,L,METRO,1965-11-02,ISLAM,PETANI,KAWIN,WNI,",  // duplicate
            "JL. A,DUSUN I,001,002,,1,1809075403680011,P,METRO,1968-03-14,ISLAM,PETANI,KAWIN,WNI,",  // no name
        ]
        let result = try OpenSIDExport.parse(([Self.header] + rows).joined(separator: "\n"))
        #expect(result.residents.count == 1)
        #expect(result.rejected.map(\.line) == [2, 3, 4, 5, 7, 8])
        #expect(result.rejected[0].reason.contains("16 digits"))
        #expect(result.rejected[1].reason.contains("does not match the NIK"))
        #expect(result.rejected[2].reason.contains("YYYY-MM-DD"))
        #expect(result.rejected[3].reason.contains("tag_id_card"))
        #expect(result.rejected[4].reason.contains("same NIK"))
        #expect(result.rejected[5].reason.contains("nama"))
        for rejection in result.rejected {
            #expect(!"\(rejection)".contains("18090"))
            #expect(!["ANI", "BUDI", "CICI", "DEDI", "EKO"].contains { "\(rejection)".contains($0) })
        }
    }

    @Test func aFileWithoutTheColumnsIsNotAnExport() {
        #expect(throws: OpenSIDExport.ExportError.self) {
            try OpenSIDExport.parse("name,number\nA,1\n")
        }
    }

    static func registry() throws -> InMemoryRegistry {
        InMemoryRegistry(
            residents: try OpenSIDExport.read(path: TestPaths.residents).residents,
            operatorCards: [try CardUID(hex: "DEADBEEF")], matchReversed: true)
    }

    @Test(arguments: [
        ("520A8BB9", "SITI AMINAH"),  // decimal tag, reader order
        ("B98B0A52", "SITI AMINAH"),  // the same card through a reader that reverses bytes
        ("04A21B6C9E4F80", "I KETUT WIRAWAN"),  // 7-byte UID, 16-digit tag
        ("0489AB12CD34EF", "MARIA ULFA"),  // tag registered as hex
        ("42464819", "DEWI KARTIKA SARI PUTRI WULANDARI"),
    ])
    func registeredCardsFindTheirResident(hex: String, name: String) async throws {
        let lookup = try await Self.registry().lookUp(try CardUID(hex: hex))
        guard case .resident(let resident) = lookup else {
            Issue.record("expected a resident, got \(lookup)")
            return
        }
        #expect(resident.name == name)
    }

    @Test func unknownAndOperatorCards() async throws {
        let registry = try Self.registry()
        #expect(try await registry.lookUp(try CardUID(hex: "01020304")) == .unknownCard)
        #expect(try await registry.lookUp(try CardUID(hex: "DEADBEEF")) == .operatorCard)
        let strict = InMemoryRegistry(residents: registry.residents, operatorCards: [], matchReversed: false)
        #expect(try await strict.lookUp(try CardUID(hex: "B98B0A52")) == .unknownCard)
    }

    @Test func theExportRegistryKnowsNoPINs() async throws {
        let check = try await Self.registry().verifyPIN(
            PIN(digits: [1, 2, 3, 4, 5, 6]), for: try CardUID(hex: "520A8BB9"))
        #expect(check == .rejected)
    }
}
