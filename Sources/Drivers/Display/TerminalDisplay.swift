public import Core

/// Draws screens as text boxes on a terminal: the demo's display, and a technician's view over SSH. The
/// framebuffer display draws the same `Screen` values in pixels.
public struct TerminalDisplay: Display {
    let write: @Sendable (String) -> Void
    let width: Int

    /// `write` receives each rendered screen (stdout in the demo, a buffer in tests).
    public init(width: Int = 64, write: @escaping @Sendable (String) -> Void) {
        self.width = width
        self.write = write
    }

    public func show(_ screen: Screen) async {
        write(Self.render(screen, width: width))
    }

    /// The text form of a screen: title, lines, PIN dots, progress bar, choices and actions.
    public static func render(_ screen: Screen, width: Int = 64) -> String {
        let inner = width - 4
        var rows: [String] = []
        let icon = screen.icon.map { "[\($0.rawValue)] " } ?? ""
        rows.append(icon + screen.title.uppercased())
        rows.append("")
        rows += screen.lines.flatMap { wrap($0, to: inner) }
        if let pad = screen.pinPad {
            rows.append("")
            rows.append(
                "PIN: " + String(repeating: "● ", count: pad.entered)
                    + String(repeating: "○ ", count: pad.length - pad.entered))
        }
        if let progress = screen.progress {
            let filled = (inner - 7) * progress / 100
            rows.append("")
            rows.append(
                "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: inner - 7 - filled)
                    + "] \(progress)%")
        }
        if !screen.choices.isEmpty {
            rows.append("")
            rows += screen.choices.flatMap { wrap("( " + $0.label + " )", to: inner) }
        }
        if !screen.actions.isEmpty {
            rows.append("")
            rows += wrap(screen.actions.map { "[ \($0.label) ]" }.joined(separator: " "), to: inner)
        }
        let border = String(repeating: "─", count: width - 2)
        return (["┌" + border + "┐"] + rows.map { "│ " + pad($0, inner) + " │" } + ["└" + border + "┘"])
            .joined(separator: "\n") + "\n"
    }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }

    /// Greedy word wrap; words longer than a line are cut.
    static func wrap(_ text: String, to width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
