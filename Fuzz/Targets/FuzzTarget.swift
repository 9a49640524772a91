/// One parser of untrusted bytes, driven by arbitrary input: by libFuzzer through `kiosk-fuzz --target=NAME`
/// (`make fuzz`), and by the corpus replay in Tests/FuzzTests (`swift test`). A target calls the real parser and
/// checks what must hold for every input; a crash, a sanitizer report or a failed check is a finding.
package struct FuzzTarget: Sendable {
    /// The name on the command line and the folder of its seeds, `Fuzz/Corpus/NAME`.
    package let name: String
    /// What the input is, for `kiosk-fuzz --list` and the README.
    package let summary: String
    package let run: @Sendable ([UInt8]) -> Void

    package init(_ name: String, _ summary: String, run: @escaping @Sendable ([UInt8]) -> Void) {
        self.name = name
        self.summary = summary
        self.run = run
    }

    package static let all: [FuzzTarget] = [
        .atr, .apdu, .biodata, .wedge, .escposStatus, .letterQR, .messageSignature, .responseSignature, .apiJSON, .openSIDCSV,
        .configuration, .vpcd, .vscard,
    ]

    package static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// A finding that is not a crash: the parser accepted or produced something it must not.
func require(_ condition: @autoclosure () -> Bool, _ what: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant broken: \(what())") }
}

extension Array where Element == UInt8 {
    /// The input cut at NUL bytes into `count` fields (missing ones empty, the last takes the rest), for targets
    /// whose parser takes several strings.
    func fields(_ count: Int) -> [[UInt8]] {
        var fields = split(separator: 0, maxSplits: count - 1, omittingEmptySubsequences: false).map(Array.init)
        while fields.count < count { fields.append([]) }
        return fields
    }

    /// The bytes as text, invalid UTF-8 repaired as every reader of text here does.
    var text: String { String(decoding: self, as: UTF8.self) }
}
