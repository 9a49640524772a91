/// Text the provincial server wrote (a problem's detail, a rejection's reason, a code), made fit for a log line: the
/// kiosk cannot know what it holds, and a server quoting a NIK, a phone number or a name back would put it in the
/// journal. Runs of 6 or more digits become `[number]`, control characters become spaces, and the text is cut at
/// 200 characters. Names cannot be recognised; the journal line names the record, the reason says what was wrong.
enum ServerText {
    static let longest = 200

    static func redacted(_ text: String) -> String {
        var out = ""
        var digits = ""
        func flush() {
            out += digits.count >= 6 ? "[number]" : digits
            digits = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            flush()
            let control = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
            out.append(character.isNewline || control ? " " : character)
        }
        flush()
        return out.count > longest ? String(out.prefix(longest)) + "…" : out
    }
}
