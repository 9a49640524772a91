import Mustache

/// A letter kind's body text: a Mustache template over the fields of `LetterFields`, rendered as plain text
/// (nothing is HTML-escaped). Each non-empty line of the result is one paragraph.
///
/// Templates are checked when configuration loads, so a village finds a typo in `{{nmaa}}` at start, from
/// `kiosk doctor`, and not on a resident's letter.
public struct LetterTemplate: Sendable {
    private let template: MustacheTemplate

    /// Parses `text` and checks that it names only known fields.
    public init(_ text: String) throws(LetterTemplateError) {
        do {
            template = try MustacheTemplate(string: Self.plainText + text)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            let column = error.context.columnNumber - (line == 1 ? Self.plainText.count : 0)
            throw .syntax(line: line, column: max(column, 1), problem: "\(error.error)")
        } catch {
            throw .syntax(line: 1, column: 1, problem: "\(error)")
        }
        let probe = FieldProbe()
        _ = template.render(probe)
        if !probe.unknown.isEmpty { throw .unknownFields(probe.unknown.sorted()) }
    }

    /// The body's paragraphs for these fields.
    public func paragraphs(_ fields: LetterFields) -> [String] {
        template.render(fields.values).split(separator: "\n").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// The pragma that switches the template to plain text (no HTML escaping of `&` in "Jl. Mawar & Melati").
    private static let plainText = "{{% CONTENT_TYPE: TEXT}}"

    /// A rendering context that answers every known field and remembers the names it did not know. A section
    /// over a known field renders its content (every field is a non-empty string), so names inside it are seen.
    private final class FieldProbe: MustacheParent {
        var unknown: Set<String> = []

        func child(named name: String) -> Any? {
            if LetterFields.names.contains(name) { return "x" }
            unknown.insert(name)
            return nil
        }
    }
}

public enum LetterTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    case syntax(line: Int, column: Int, problem: String)
    case unknownFields([String])

    public var description: String {
        switch self {
        case .syntax(let line, let column, let problem):
            "template syntax error at line \(line), column \(column): \(problem)"
        case .unknownFields(let names):
            "unknown field\(names.count == 1 ? "" : "s") \(names.map { "{{\($0)}}" }.joined(separator: ", ")); "
                + "known fields: \(LetterFields.names.sorted().joined(separator: ", "))"
        }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
