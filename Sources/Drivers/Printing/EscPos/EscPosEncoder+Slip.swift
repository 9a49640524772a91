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
                let module = Self.qrModuleDots(payload, renderer: renderer, width: width)
                try qr(payload, moduleSize: module) { () throws(EscPosError) in
                    try Self.qrRaster(payload, renderer: renderer, width: width, module: module)
                }
                try self.line("")
            }
        }
        cut()
    }

    /// Dots a QR module for a slip `width` dots wide: whole dots (a module of 3.5 dots prints as 3 or 4 and a
    /// scanner trips on the uneven grid), as many as fit 90 % of the paper with the quiet zone, at most 6 (0.75 mm
    /// at 203 dpi, plenty for a phone). A link's QR (about 61 modules) gets 5 dots on 58 mm paper, 6 on 80 mm.
    static func qrModuleDots(_ payload: String, renderer: Renderer, width: Int) -> Int {
        let modules = (renderer.qrModules(for: payload) ?? 21) + 8
        return min(6, max(1, width * 9 / 10 / modules))
    }

    /// A QR drawn for printers without `GS ( k`: `module` dots a module, centred, on whole dots.
    static func qrRaster(_ payload: String, renderer: Renderer, width: Int, module: Int) throws(EscPosError)
        -> MonochromeBitmap
    {
        let side = Double(((renderer.qrModules(for: payload) ?? 21) + 8) * module)
        let left = ((Double(width) - side) / 2).rounded(.down)
        let page = DisplayPage(
            size: Size(width: Double(width), height: side),
            items: [.qr(payload: payload, frame: Rect(x: left, y: 0, width: side, height: side))])
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
