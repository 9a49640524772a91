public import Core

extension EscPosEncoder {
    /// Sets a slip for this printer: text in font A at the profile's columns, wrapped by words; the QR native or,
    /// where the printer has none, drawn by `renderer` and sent as raster; a cut (or a feed) at the end.
    public mutating func slip(_ slip: Slip, renderer: Renderer) throws(EscPosError) {
        initialize()
        // Slips set text in font A at the profile's columns.
        let columns = profile.columns
        for line in slip.lines {
            switch line {
            case .title(let text):
                align(.center)
                bold(true)
                size(width: 2, height: 2)
                for part in Self.wrap(text, columns / 2) { try self.line(part) }
                size(width: 1, height: 1)
                bold(false)
            case .centered(let text):
                align(.center)
                for part in Self.wrap(text, columns) { try self.line(part) }
            case .text(let text):
                align(.left)
                for part in Self.wrap(text, columns) { try self.line(part) }
            case .field(let label, let value):
                align(.left)
                let labelWidth = 10
                let head = label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + ": "
                for (index, part) in Self.wrap(value, columns - head.count).enumerated() {
                    try self.line((index == 0 ? head : String(repeating: " ", count: head.count)) + part)
                }
            case .rule:
                align(.left)
                try self.line(String(repeating: "-", count: columns))
            case .qr(let payload):
                align(.center)
                let width = profile.widthDots
                try qr(payload) { () throws(EscPosError) in try Self.qrRaster(payload, renderer: renderer, width: width) }
                try self.line("")
            }
        }
        cut()
    }

    /// A QR drawn for printers without `GS ( k`: 60 % of the paper's width, centred, thresholded to dots.
    static func qrRaster(_ payload: String, renderer: Renderer, width: Int) throws(EscPosError) -> MonochromeBitmap {
        let side = Double(width) * 0.6
        let page = DisplayPage(
            size: Size(width: Double(width), height: side),
            items: [.qr(payload: payload, frame: Rect(x: (Double(width) - side) / 2, y: 0, width: side, height: side))])
        do {
            return MonochromeBitmap(try renderer.raster(page))
        } catch {
            throw .qrTooLong(payload.utf8.count)
        }
    }

    /// Words into lines of at most `columns` characters; a longer word is cut.
    static func wrap(_ text: String, _ columns: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = Substring(word)
            while word.count > columns {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                lines.append(String(word.prefix(columns)))
                word = word.dropFirst(columns)
            }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= columns {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
