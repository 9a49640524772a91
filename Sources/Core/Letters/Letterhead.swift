/// The village's letterhead (kop surat) and who signs its letters, from configuration.
public struct Letterhead: Hashable, Sendable {
    public var regency: String
    public var district: String
    public var village: String
    public var address: String
    /// Absolute path of the logo image (PNG), if any.
    public var logo: String?
    /// The office that signs, as printed above the signature: "Kepala Desa Hanura".
    public var signerTitle: String
    /// The official's name; `nil` leaves a line for the name to be written in by hand.
    public var signerName: String?

    public init(
        regency: String, district: String, village: String, address: String, logo: String? = nil,
        signerTitle: String? = nil, signerName: String? = nil
    ) {
        self.regency = regency
        self.district = district
        self.village = village
        self.address = address
        self.logo = logo
        self.signerTitle = signerTitle ?? "Kepala Desa \(village)"
        self.signerName = signerName
    }
}
