/// Everything wrong with a configuration file, each problem naming the key, the line where possible, what was
/// found and what is expected. The loader collects all problems at once so a technician fixes them in one go.
package struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    var file: String
    package var problems: [Problem]

    package struct Problem: Equatable, CustomStringConvertible, Sendable {
        /// The dotted key, `identity.mode` or `letter[2].template`; empty for the whole file.
        package var key: String
        var line: Int?
        package var message: String

        package var description: String {
            let place = line.map { "line \($0): " } ?? ""
            return key.isEmpty ? place + message : "\(place)\(key): \(message)"
        }
    }

    package var description: String {
        "\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
