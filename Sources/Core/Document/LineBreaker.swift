/// Breaks text into lines that fit a width, greedily by words, as village letters are set (ragged right).
///
/// A word wider than the line (a 200-character name without spaces, a long address token) is broken between
/// characters, so nothing ever runs past the margin.
public struct LineBreaker: Sendable {
    public var measurer: any TextMeasurer

    public init(measurer: any TextMeasurer) {
        self.measurer = measurer
    }

    /// The lines of `text` in `font` no wider than `width`. Explicit newlines start new lines; an empty text
    /// gives one empty line.
    public func lines(_ text: String, font: Font, width: Double) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
            paragraphLines(String($0), font: font, width: width)
        }
    }

    private func paragraphLines(_ paragraph: String, font: Font, width: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if measurer.width(of: candidate, in: font) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            // The word alone: break it between characters while it does not fit.
            var rest = Substring(word)
            while measurer.width(of: String(rest), in: font) > width, rest.count > 1 {
                let cut = longestFittingPrefix(rest, font: font, width: width)
                lines.append(String(rest.prefix(cut)))
                rest = rest.dropFirst(cut)
            }
            current = String(rest)
        }
        lines.append(current)
        return lines
    }

    /// How many characters of `word` fit (at least one, so breaking always makes progress). Binary search:
    /// widths grow with the prefix.
    private func longestFittingPrefix(_ word: Substring, font: Font, width: Double) -> Int {
        var low = 1
        var high = word.count
        while low < high {
            let mid = (low + high + 1) / 2
            if measurer.width(of: String(word.prefix(mid)), in: font) <= width { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
