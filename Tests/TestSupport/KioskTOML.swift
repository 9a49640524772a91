/// Pieces of `kiosk.toml` the tests' configurations share: the demo village's letterhead and its domicile letter.
public enum KioskTOML {
    /// `[letterhead]` of Hanura and `[letters]` with the templates in `templates`.
    public static func letterhead(templates: String) -> String {
        """
        [letterhead]
        regency = "Pesawaran"
        district = "Gedong Tataan"
        village = "Hanura"
        address = "Jl. Raya Hanura No. 1"

        [letters]
        templates = "\(templates)"
        """
    }

    /// The Surat Keterangan Domisili (S-41) with two purposes, as a `[[letter]]` table.
    public static let domicileLetter = """
        [[letter]]
        code = "S-41"
        title = "Surat Keterangan Domisili"
        classification = "470"
        template = "s-41.mustache"
        purposes = ["Melamar pekerjaan", "Lainnya"]
        """
}
