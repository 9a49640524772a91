/// Kode desa: the 10-digit code of a village or kelurahan, `PP.RR.SS.DDDD` (Permendagri 56/2015): province,
/// regency, district, then 2xxx for a desa or 1xxx for a kelurahan.
public struct VillageCode: Hashable, Sendable, CustomStringConvertible {
    /// The ten digits without dots, `1809072001`.
    public let digits: String

    /// Accepts `1809072001` and `18.09.07.2001`.
    public init(_ text: some StringProtocol) throws(VillageCodeError) {
        let plain = String(text).filter { $0 != "." }
        guard plain.count == 10, plain.allSatisfy(\.isASCIIDigit) else { throw .notTenDigits }
        let province = Int(plain.prefix(2))!
        guard NIK.provinceCodes.contains(province) else { throw .unknownProvince(province) }
        guard Int(plain.dropFirst(2).prefix(2))! != 0 else { throw .zeroRegency }
        guard Int(plain.dropFirst(4).prefix(2))! != 0 else { throw .zeroDistrict }
        guard let kind = plain.dropFirst(6).first, kind == "1" || kind == "2" else { throw .notVillageNumber }
        digits = String(plain)
    }

    /// `18.09.07.2001`.
    public var dotted: String {
        let d = Array(digits)
        return "\(String(d[0..<2])).\(String(d[2..<4])).\(String(d[4..<6])).\(String(d[6..<10]))"
    }

    public var description: String { dotted }
}

public enum VillageCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case notTenDigits
    case unknownProvince(Int)
    case zeroRegency
    case zeroDistrict
    case notVillageNumber

    public var description: String {
        switch self {
        case .notTenDigits: "a village code has 10 digits (PP.RR.SS.DDDD), e.g. 18.09.07.2001"
        case .unknownProvince(let p): "\(p.zeroPadded(2)) is not an Indonesian province code (Lampung is 18)"
        case .zeroRegency: "the regency part (RR) of a village code cannot be 00"
        case .zeroDistrict: "the district part (SS) of a village code cannot be 00"
        case .notVillageNumber: "the last four digits of a village code start with 2 (desa) or 1 (kelurahan)"
        }
    }
}
