/// Hex for log lines and messages: `FF CA 00 00 00`.
package enum Hex {
    package static func string(_ bytes: some Sequence<UInt8>, separator: String = " ") -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: separator)
    }
}
