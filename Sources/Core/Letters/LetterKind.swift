/// One entry of the letter catalogue: what a kiosk can issue.
public struct LetterKind: Hashable, Sendable, Identifiable {
    /// OpenSID's `kode_surat`, the first part of the number: `S-41`.
    public var code: String
    /// As printed and shown: "Surat Keterangan Domisili".
    public var title: String
    /// The archive classification (klasifikasi surat), e.g. `470` Kependudukan.
    public var classification: String
    /// Whether a resident may request it at the kiosk without an operator.
    public var selfService: Bool
    /// How long the letter stays valid, in days (most village letters: one month).
    public var validityDays: Int
    public var issueMode: IssueMode
    /// The template's file name, resolved against the configured template folder.
    public var template: String
    /// The purposes (keperluan) a resident picks from.
    public var purposes: [String]

    public var id: String { code }

    public init(
        code: String, title: String, classification: String, selfService: Bool = true, validityDays: Int = 30,
        issueMode: IssueMode = .draft, template: String, purposes: [String]
    ) {
        self.code = code
        self.title = title
        self.classification = classification
        self.selfService = selfService
        self.validityDays = validityDays
        self.issueMode = issueMode
        self.template = template
        self.purposes = purposes
    }

    /// A kiosk cannot sign: it prints drafts (pengantar) for a wet signature unless the village configured the
    /// kind as issued final (after TTE or a recorded signature).
    public enum IssueMode: String, Hashable, Sendable, CaseIterable {
        case draft
        case final
    }
}
