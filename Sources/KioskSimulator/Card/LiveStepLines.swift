/// `--steps-from-stdin`: steps as a harness writes them, one per line, cut out of whatever pieces the pipe
/// delivers. Each complete line is parsed as soon as it is there, with the rules of `--script-file` (`#` starts a
/// comment, blank lines are skipped) and its presence checks, so a bad line is rejected on its own and the steps
/// after it still run.
struct LiveStepLines {
    /// One line's outcome.
    enum Line: Equatable {
        case step(CardStep)
        /// Why the line is not a step: its number and reason, never its text, which may hold a UID.
        case rejected(String)
    }

    let defaults: CardScript.Defaults
    private var buffer: [UInt8] = []
    private var reachedEnd = false
    private var number = 0
    private var cardPresent = false

    init(defaults: CardScript.Defaults) {
        self.defaults = defaults
    }

    /// Bytes as read; empty bytes are the end of the input.
    mutating func append(_ bytes: [UInt8]) {
        if bytes.isEmpty { reachedEnd = true } else { buffer.append(contentsOf: bytes) }
    }

    /// The input has ended and every line of it was handed out.
    var ended: Bool { reachedEnd && buffer.isEmpty }

    /// The next step or rejection, or `nil` until another complete line has arrived. A last line without a line
    /// end counts once the input has ended.
    mutating func next() -> Line? {
        while let text = nextText() {
            number += 1
            let withoutComment = String(text.prefix { $0 != "#" })
            do throws(CardScriptError) {
                if let step = try CardScript.step(
                    in: withoutComment, number: number, unit: "line", defaults: defaults, cardPresent: &cardPresent)
                {
                    return .step(step)
                }
            } catch {
                return .rejected("line \(number): \(error.reason)")
            }
        }
        return nil
    }

    private mutating func nextText() -> String? {
        if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: buffer[..<end], as: UTF8.self)
            buffer.removeFirst(end + 1)
            return line
        }
        guard reachedEnd, !buffer.isEmpty else { return nil }
        defer { buffer = [] }
        return String(decoding: buffer, as: UTF8.self)
    }
}
