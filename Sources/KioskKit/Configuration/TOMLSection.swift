import Foundation
import TOMLKit

/// Reads one TOML table into typed values, remembering which keys it read so unknown ones (typos, misplaced keys)
/// are reported instead of silently ignored.
package final class TOMLSection {
    let table: TOMLTable
    /// The dotted path of this table, `identity` or `letter[2]`.
    let path: String
    let report: ProblemReport
    private var known: Set<String> = []

    init(_ table: TOMLTable, path: String, report: ProblemReport) {
        self.table = table
        self.path = path
        self.report = report
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func problem(_ key: String, _ message: String) {
        report.add(keyPath(key), message)
    }

    private func value(_ key: String) -> (any TOMLValueConvertible)? {
        known.insert(key)
        return table[key]
    }

    /// Whether the section sets `key` at all (whatever its type).
    func has(_ key: String) -> Bool { table[key] != nil }

    private func wrongType(_ key: String, _ found: any TOMLValueConvertible, expected: String) {
        problem(key, "found \(Self.describe(found)), expected \(expected)")
    }

    func string(_ key: String) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.string else { wrongType(key, v, expected: "a string in quotes"); return nil }
        return s
    }

    func requiredString(_ key: String, example: String) -> String? {
        guard table[key] != nil else {
            known.insert(key)
            problem(key, "missing; expected a string, e.g. \(key) = \"\(example)\"")
            return nil
        }
        guard let s = string(key) else { return nil }
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            problem(key, "is empty; expected text, e.g. \(key) = \"\(example)\"")
            return nil
        }
        return s
    }

    func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        guard let v = value(key) else { return fallback }
        guard v.type == .int, let i = v.int else {
            wrongType(key, v, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
            return fallback
        }
        guard range.contains(i) else {
            problem(key, "found \(i), expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            return fallback
        }
        return i
    }

    /// A whole number that may be left out; `nil` when it is (or is wrong, which is reported).
    func optionalInt(_ key: String, range: ClosedRange<Int>) -> Int? {
        guard value(key) != nil else { return nil }
        let sentinel = range.lowerBound - 1
        let i = int(key, default: sentinel, range: range)
        return i == sentinel ? nil : i
    }

    func number(_ key: String, default fallback: Double, range: ClosedRange<Double>) -> Double {
        guard let v = value(key) else { return fallback }
        let d: Double? = v.type == .int ? v.int.map(Double.init) : v.type == .double ? v.double : nil
        guard let d else { wrongType(key, v, expected: "a number"); return fallback }
        guard range.contains(d) else {
            problem(key, "found \(d), expected a number from \(range.lowerBound) to \(range.upperBound)")
            return fallback
        }
        return d
    }

    func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let v = value(key) else { return fallback }
        guard v.type == .bool, let b = v.bool else { wrongType(key, v, expected: "true or false"); return fallback }
        return b
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) -> T
    where T.RawValue == String {
        guard let s = string(key) else { return fallback }
        guard let t = T(rawValue: s) else {
            let options = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            problem(key, "found \"\(s)\", expected one of \(options)")
            return fallback
        }
        return t
    }

    func strings(_ key: String) -> [String]? {
        guard let v = value(key) else { return nil }
        guard let array = v.array else {
            wrongType(key, v, expected: "a list of strings, e.g. [\"a\", \"b\"]"); return nil
        }
        var result: [String] = []
        for (index, element) in array.enumerated() {
            guard let s = element.string else {
                problem("\(key)[\(index)]", "found \(Self.describe(element)), expected a string in quotes")
                return nil
            }
            result.append(s)
        }
        return result
    }

    /// A list of numbers (whole or not), e.g. a calibration matrix.
    func numbers(_ key: String) -> [Double]? {
        guard let v = value(key) else { return nil }
        guard let array = v.array else { wrongType(key, v, expected: "a list of numbers, e.g. [1, 0, 0]"); return nil }
        var result: [Double] = []
        for (index, element) in array.enumerated() {
            let d: Double? =
                element.type == .int ? element.int.map(Double.init) : element.type == .double ? element.double : nil
            guard let d else {
                problem("\(key)[\(index)]", "found \(Self.describe(element)), expected a number")
                return nil
            }
            result.append(d)
        }
        return result
    }

    func section(_ key: String) -> TOMLSection? {
        guard let v = value(key) else { return nil }
        guard let t = v.table else { wrongType(key, v, expected: "a table, [\(keyPath(key))]"); return nil }
        return TOMLSection(t, path: keyPath(key), report: report)
    }

    /// An array of tables, `[[letter]]`.
    func sections(_ key: String) -> [TOMLSection]? {
        guard let v = value(key) else { return nil }
        guard let array = v.array else {
            wrongType(key, v, expected: "tables written as [[\(keyPath(key))]]"); return nil
        }
        return array.enumerated().compactMap { index, element in
            guard let t = element.table else {
                problem("\(key)[\(index)]", "found \(Self.describe(element)), expected a table")
                return nil
            }
            return TOMLSection(t, path: "\(keyPath(key))[\(index)]", report: report)
        }
    }

    /// Reports the keys nobody asked for. Call after reading every key the section may hold.
    func rejectUnknownKeys() {
        let expected = known.sorted().joined(separator: ", ")
        for key in table.keys where !known.contains(key) {
            problem(key, "unknown key; \(path.isEmpty ? "top-level sections" : "keys of [\(path)]") are: \(expected)")
        }
    }

    static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: "the string \"\(value.string ?? "")\""
        case .int: "the number \(value.int ?? 0)"
        case .double: "the number \(value.double ?? 0)"
        case .bool: "\(value.bool ?? false)"
        case .array: "a list"
        case .table: "a table"
        case .date, .time, .dateTime: "a date or time"
        }
    }
}

/// The problems found so far, with the line of each key where the text shows it.
package final class ProblemReport {
    private(set) var problems: [ConfigurationError.Problem] = []
    /// Found only for a file that has a problem: a good file, the one read at every start, never needs a line.
    private lazy var lines = KeyLines(text: text)
    private let text: String

    init(text: String) { self.text = text }

    func add(_ key: String, _ message: String) {
        problems.append(.init(key: key, line: lines.line(of: key), message: message))
    }
}

/// Finds the line of a dotted key in TOML text: enough for the simple `[table]`, `[[array]]` and `key = value`
/// layout of kiosk.toml, and `nil` where it cannot tell.
package struct KeyLines {
    private var lineOfKey: [String: Int] = [:]

    init(text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[[") {
                let name = line.dropFirst(2).prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                table = "\(name)[\(index)]"
                lineOfKey[table] = number + 1
            } else if line.hasPrefix("[") {
                table = line.dropFirst().prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
                lineOfKey[table] = number + 1
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""])
                let path = table.isEmpty ? key : "\(table).\(key)"
                if lineOfKey[path] == nil { lineOfKey[path] = number + 1 }
            }
        }
    }

    /// The line of `key`, else of its table, else of the nearest enclosing table.
    func line(of key: String) -> Int? {
        var path = key
        while !path.isEmpty {
            if let line = lineOfKey[path] { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = String(path[..<cut])
        }
        return nil
    }
}
