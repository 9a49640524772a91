import TOMLKit

/// Parses TOML text with TOMLKit, without its one way to abort the process.
///
/// The toml++ inside TOMLKit 0.6 asserts, instead of reporting a parse error, when a table header's name starts with
/// a character no key can start with: `[`, `[=`, `[[=`, `[#`, `[.a]` (toml++ issue fixed upstream by
/// marzer/tomlplusplus#301; found here by the `configuration` fuzz target). Its assertions are compiled into every
/// build, so a technician's typo would end `kiosk run` and `kiosk doctor` with SIGABRT rather than a line number.
/// Delete this guard once TOMLKit carries a toml++ with that fix.
enum TOMLDocument {
    struct BadTableHeader: Error {
        /// 1-based.
        let line: Int
    }

    static func parse(_ text: String) throws -> TOMLTable {
        // toml++ skips a UTF-8 byte-order mark at the start, so a bad header right after one reaches its assertion
        // while this guard, reading the first line from its first scalar, would miss it (found by `make fuzz`).
        // Every mark at the start goes, not one: toml++ would skip the one after it, and the guard would miss the
        // header again (found by `make fuzz` too). Without marks both read the same text. Foundation drops one from
        // a file `kiosk run` reads; this parser does not count on its caller for that.
        var text = text
        while text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        // A line that would be such a header if it stood at the top level of the document; it may also be a line
        // inside a multi-line array or string, where it is harmless. The text before it tells which: it parses on its
        // own only if it ends at the top level. Earlier suspect lines in that text were inside an array or a string
        // (or the first error stops toml++ before them), so parsing it cannot reach the assertion either.
        // Scalars, not characters: Swift reads "\r\n" as one character, which would hide the lines of a CRLF file.
        let scalars = text.unicodeScalars
        var prefixEnd = scalars.startIndex
        for (number, line) in scalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if startsBadTableHeader(line), (try? TOMLTable(string: String(scalars[..<prefixEnd]))) != nil {
                throw BadTableHeader(line: number + 1)
            }
            prefixEnd = line.endIndex
        }
        return try TOMLTable(string: text)
    }

    /// `[` or `[[` (toml++ skips blanks around the first), then a character that is neither a key's first
    /// character, nor `]` (which toml++ reports), nor the end of the text.
    private static func startsBadTableHeader(_ line: Substring.UnicodeScalarView) -> Bool {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        guard rest.first == "[" else { return false }
        rest = rest.dropFirst()
        let blanks = rest.prefix { $0 == " " || $0 == "\t" }
        rest = rest.dropFirst(blanks.count)
        if blanks.isEmpty, rest.first == "[" { rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" } }
        guard let first = rest.first else { return true }  // the line's end: toml++ reads the newline as the key
        return !(first.isASCII && (first.properties.isAlphabetic || ("0"..."9").contains(first)))
            && !"_-\"']".unicodeScalars.contains(first)
    }
}
