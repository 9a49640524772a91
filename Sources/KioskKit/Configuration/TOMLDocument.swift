import TOMLKit

/// Parses TOML text with TOMLKit, without the two ways it is known to abort the process.
///
/// The toml++ inside TOMLKit 0.6 asserts, instead of reporting a parse error, when a table header's name starts with
/// a character no key can start with: `[`, `[=`, `[[=`, `[#`, `[.a]` (toml++ issue fixed upstream by
/// marzer/tomlplusplus#301), and when an array's next value starts with `}` (`s = [1, }`). Both were found here by
/// the `configuration` fuzz target. Its assertions are compiled into every build, so a technician's typo would end
/// `kiosk run` and `kiosk doctor` with SIGABRT rather than a line number. Delete each guard once TOMLKit carries a
/// toml++ that reports the error itself.
enum TOMLDocument {
    /// Text one of the guards refused before toml++ could abort on it: where, and what is wrong there.
    struct Refused: Error {
        /// 1-based.
        let line: Int
        let reason: String

        static func tableHeader(line: Int) -> Refused {
            Refused(line: line, reason: "a table header needs a name after its '[', as in [printer]")
        }

        /// A `}` right after an array's `[` or one of its commas (blanks, line ends and comments between): toml++
        /// asserts on it too (`s = [1, }`; found by the `configuration` fuzz target). Never valid TOML anywhere: an
        /// inline table takes no trailing comma, and `[` is followed by a value, a `]` or a table name.
        static func braceForAValue(line: Int) -> Refused {
            Refused(line: line, reason: "a '}' where a value or the array's closing ']' should be")
        }
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
        // Bytes, not characters: every character the guards look for is ASCII, and no byte of a longer UTF-8
        // sequence is, so the bytes tell the same as the scalars at a fraction of the cost (the guards took more of
        // the `configuration` fuzz target's time than toml++ itself). Swift would also read "\r\n" as one character,
        // which would hide the lines of a CRLF file.
        let bytes = Array(text.utf8)
        if let line = braceWhereAValueIsDue(bytes) { throw Refused.braceForAValue(line: line) }
        // The text before a line ends with the previous line's "\n": without it, a CRLF file's text would end in a
        // lone "\r", which no TOML parses, and the header after it would pass for one inside a string (found by
        // `make fuzz`).
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if startsBadTableHeader(line),
                (try? TOMLTable(string: String(decoding: bytes[..<line.startIndex], as: UTF8.self))) != nil
            {
                throw Refused.tableHeader(line: number + 1)
            }
        }
        return try TOMLTable(string: text)
    }

    /// The line of the first `}` whose previous character, outside strings and comments and past blanks and line
    /// ends, is `[` or `,`; nil when there is none.
    private static func braceWhereAValueIsDue(_ bytes: [UInt8]) -> Int? {
        var line = 1
        var previous: Unicode.Scalar?
        var index = 0
        func next() -> Unicode.Scalar? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return Unicode.Scalar(bytes[index])
        }
        func startsWith(_ quote: Unicode.Scalar, count: Int) -> Bool {
            bytes[index...].prefix(count).elementsEqual(repeatElement(UInt8(quote.value), count: count))
        }
        while let scalar = next() {
            switch scalar {
            case "\n": line += 1
            case " ", "\t", "\r": continue
            case "#":
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case "\"", "'":
                // A string, skipped whole: basic strings know escapes, literal ones do not; triple quotes span lines.
                let multiline = startsWith(scalar, count: 2)
                if multiline { index += 2 }
                while let inside = next() {
                    if inside == "\n" {
                        line += 1
                        if !multiline { break }
                    } else if inside == "\\", scalar == "\"" {
                        if next() == "\n" { line += 1 }
                    } else if inside == scalar, !multiline || startsWith(scalar, count: 2) {
                        if multiline {
                            index += 2
                            // Up to two more quotes belong to the string.
                            while index < bytes.count, bytes[index] == UInt8(scalar.value) { index += 1 }
                        }
                        break
                    }
                }
                previous = scalar
            case "}":
                if previous == "[" || previous == "," { return line }
                previous = scalar
            default: previous = scalar
            }
        }
        return nil
    }

    /// `[` or `[[` (toml++ skips blanks around the first), then a character that is neither a key's first
    /// character, nor `]` (which toml++ reports), nor the end of the text. A byte of a longer UTF-8 sequence is none
    /// of them.
    private static func startsBadTableHeader(_ line: ArraySlice<UInt8>) -> Bool {
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var rest = line.drop(while: blank)
        guard rest.first == UInt8(ascii: "[") else { return false }
        rest = rest.dropFirst()
        let blanks = rest.prefix(while: blank)
        rest = rest.dropFirst(blanks.count)
        if blanks.isEmpty, rest.first == UInt8(ascii: "[") { rest = rest.dropFirst().drop(while: blank) }
        // At the line's end toml++ reads the newline as the key.
        guard let first = rest.first.map(Unicode.Scalar.init) else { return true }
        return !(first.isASCII && (first.properties.isAlphabetic || ("0"..."9").contains(first)))
            && !"_-\"']".unicodeScalars.contains(first)
    }
}
