import Core
import Foundation
import ProvincialAPI

/// The page a letter's QR opens on a phone (`GET /surat?s=...`): one verdict in large letters, the letter's facts,
/// what to compare on the paper. Plain HTML with its style inline: no script, no image, no link to anything else
/// (a page that linked to other letters would let anyone list them), readable on the smallest phone.
enum VerificationPage {
    /// The page's headers: no script may run (the policy forbids any), nothing is cached or indexed, and the
    /// payload in the address is not passed on to another site.
    static let headers: [(String, String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
        ),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Robots-Tag", "noindex"),
    ]

    static func html(_ check: LetterVerification) -> String {
        typealias T = Teks.Verification
        let (word, lead, tone): (String, String, String) =
            switch check.verdict {
            case .valid: (T.valid, T.validLead, "ok")
            case .forged: (T.forged, T.forgedLead, "bad")
            case .altered: (T.altered, T.alteredLead, "bad")
            case .unknownKiosk: (T.unknownKiosk, T.unknownKioskLead, "warn")
            case .damaged: (T.damaged, T.damagedLead, "none")
            }
        var facts: [(String, String)] = []
        if let number = check.letterNumber { facts.append((T.number, number)) }
        if let kind = check.letterTitle ?? check.letterCode { facts.append((T.kind, kind)) }
        if let date = check.issuedOn.flatMap(CalendarDate.init(iso:)) {
            facts.append((T.date, IndonesianDate.long(date)))
        }
        if let code = check.villageCode {
            facts.append((T.village, check.villageName.map { "\($0) (\(code))" } ?? code))
        }
        if let kiosk = check.kioskId { facts.append((T.kiosk, kiosk)) }
        if check.verdict == .valid || check.verdict == .altered {
            facts.append((T.holder, check.holder ?? T.holderUnknown))
        }
        var body = "<p class=\"head\">\(escape(T.header))</p>\n"
        body += "<h1 class=\"\(tone)\">\(escape(word))</h1>\n<p>\(escape(lead))</p>\n"
        if check.verdict == .valid, check.recorded == false { body += "<p>\(escape(T.validNotYetRecorded))</p>\n" }
        if !facts.isEmpty {
            body += "<dl>\n"
            for (label, value) in facts { body += "<dt>\(escape(label))</dt><dd>\(escape(value))</dd>\n" }
            body += "</dl>\n"
        }
        if check.verdict == .valid { body += "<p class=\"note\">\(escape(T.compare))</p>\n" }
        body += "<p class=\"small\">\(escape(T.privacy))</p>\n"
        return """
            <!doctype html>
            <html lang="id">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>\(escape(T.pageTitle)): \(escape(word))</title>
            <style>
            body { margin: 0; font-family: sans-serif; font-size: 18px; line-height: 1.45; color: #111; background: #fff; }
            main { max-width: 34em; margin: 0 auto; padding: 1em; }
            .head { color: #333; font-size: 15px; margin: 0 0 .5em; }
            h1 { font-size: 44px; margin: .2em 0; padding: .2em .4em; border-radius: 8px; color: #fff; }
            h1.ok { background: #0a5c2b; } h1.bad { background: #a10000; }
            h1.warn { background: #7a4b00; } h1.none { background: #333; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1em; margin: 1em 0; }
            dt { color: #333; } dd { margin: 0; font-weight: bold; overflow-wrap: anywhere; }
            .note { border-left: 4px solid #0b3d91; padding-left: .6em; }
            .small { color: #333; font-size: 15px; }
            </style>
            </head>
            <body>
            <main>
            \(body)</main>
            </body>
            </html>

            """
    }

    /// Text into HTML: everything a payload or a record carries is data, never markup.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
