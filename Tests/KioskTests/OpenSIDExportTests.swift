import Core
import Foundation
import Testing

@testable import KioskKit

@Suite("OpenSID resident export")
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
        #expect(result.rows.map(\.line) == Array(2...9), "each resident keeps its line for the import report")
        #expect(result.rows[5].tagText == "0489AB12CD34EF", "the tag as registered, for the registry to store")
        #expect(result.read == 8)
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
}
