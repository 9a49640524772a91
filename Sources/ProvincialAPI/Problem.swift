/// RFC 9457 problem details, the body of every refusal, with a code a kiosk can act on.
public struct Problem: Codable, Hashable, Sendable, Error {
    public var title: String
    public var status: Int
    /// Machine-readable: `stale-signature`, `replayed-nonce`, `unknown-kiosk`, `token-used`, ...
    public var code: String
    public var detail: String?

    public init(title: String, status: Int, code: String, detail: String? = nil) {
        self.title = title
        self.status = status
        self.code = code
        self.detail = detail
    }
}
