/// Text the provincial server wrote (a problem's detail, a rejected record's reason) as the kiosk may log, store
/// and show it. The server is trusted with residents' data, its words in a journal are not: a reason that echoes
/// the record ("NIK 1809…: tidak terdaftar") would put a NIK in the log. So every run of 8 or more digits (a NIK,
/// a family card number, a birth date written ddmmyyyy, a phone number) is hidden, control characters (a newline
/// that would forge a second log line, terminal escapes) become spaces, and the text is cut to `limit` characters.
/// Names cannot be recognised in free text; the contract asks the server for codes and reasons without them.
package enum ServerText {
    package static let limit = 200

    package static func loggable(_ text: String) -> String {
        var result = ""
        var digits = ""
        func flushDigits() {
            result += digits.count >= 8 ? "[number hidden]" : digits
            digits = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            flushDigits()
            let isControl = character.unicodeScalars.contains {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            }
            result.append(isControl ? " " : character)
        }
        flushDigits()
        return result.count > limit ? String(result.prefix(limit - 1)) + "…" : result
    }
}
