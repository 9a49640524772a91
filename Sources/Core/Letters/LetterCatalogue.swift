/// The letters a kiosk offers. The village configures it; without configuration it is OpenSID's self-service set.
public struct LetterCatalogue: Hashable, Sendable {
    public private(set) var kinds: [LetterKind]

    /// Kinds must have distinct codes; the initializer reports the first code used twice.
    public init(_ kinds: [LetterKind]) throws(LetterCatalogueError) {
        var seen = Set<String>()
        for kind in kinds {
            guard seen.insert(kind.code).inserted else { throw .duplicateCode(kind.code) }
        }
        self.kinds = kinds
    }

    public subscript(code: String) -> LetterKind? { kinds.first { $0.code == code } }

    /// What the resident's menu lists.
    public var selfService: [LetterKind] { kinds.filter(\.selfService) }

    static let commonPurposes = ["Persyaratan administrasi", "Melamar pekerjaan", "Urusan bank", "Lainnya"]

    /// OpenSID's built-in self-service letters (`mandiri: true` in its template catalogue), as drafts valid for
    /// one month. Classifications follow the Permendagri archive codes OpenSID ships.
    public static let openSIDSelfService: LetterCatalogue = {
        func kind(_ code: String, _ title: String, _ classification: String, _ purposes: [String] = commonPurposes)
            -> LetterKind
        {
            LetterKind(
                code: code, title: title, classification: classification,
                template: code.lowercased().replacingDots() + ".mustache", purposes: purposes)
        }
        return try! LetterCatalogue([
            kind("S-01", "Surat Keterangan Pengantar", "470"),
            kind("S-02", "Surat Keterangan Penduduk", "470"),
            kind("S-03", "Surat Biodata Penduduk", "470"),
            kind(
                "S-07", "Surat Pengantar SKCK", "300", ["Melamar pekerjaan", "Pendaftaran CPNS/TNI/Polri", "Lainnya"]),
            kind("S-08", "Surat Keterangan KTP dalam Proses", "471.1"),
            kind("S-10", "Surat Keterangan Bepergian", "470"),
            kind(
                "S-11", "Surat Keterangan Kurang Mampu", "400",
                ["Bantuan sekolah", "Berobat", "Bantuan sosial", "Lainnya"]),
            kind("S-12", "Surat Pengantar Izin Keramaian", "300", ["Hajatan", "Acara keagamaan", "Lainnya"]),
            kind(
                "S-13", "Surat Pengantar Laporan Kehilangan", "300",
                ["Kehilangan dokumen", "Kehilangan barang", "Lainnya"]),
            kind("S-16", "Surat Keterangan Domisili Usaha", "500", ["Izin usaha", "Urusan bank", "Lainnya"]),
            kind("S-30", "Surat Keterangan Pergi Kawin", "474.2", ["Pernikahan"]),
            kind("S-41", "Surat Keterangan Domisili", "470"),
            kind("S-43", "Surat Pengantar Buku Pas Lintas Batas", "470"),
            kind("500", "Surat Keterangan Usaha", "500", ["Izin usaha", "Urusan bank", "Bantuan usaha", "Lainnya"]),
            kind("471.1", "Surat Keterangan Beda Identitas", "471.1"),
        ])
    }()
}

public enum LetterCatalogueError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateCode(String)

    public var description: String {
        switch self {
        case .duplicateCode(let c): "letter code \(c) is used by two letters; each letter needs its own code"
        }
    }
}

extension String {
    func replacingDots() -> String { String(map { $0 == "." ? "-" : $0 }) }
}
