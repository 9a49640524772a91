public import Core

/// Screens side by side on one page, each under its name: the demo's overview and a designer's check that every
/// screen of a flow hangs together.
public enum ContactSheet {
    /// `screens` are PNG files of `size` pixels each; the sheet is `columns` wide at `scale` of their size.
    public static func png(
        _ screens: [(name: String, path: String)], size: Size, columns: Int = 4, scale: Double = 0.35,
        renderer: Renderer
    ) throws(GraphicsError) -> [UInt8] {
        let (cellWidth, cellHeight) = (size.width * scale, size.height * scale)
        let (gap, label) = (16.0, 22.0)
        let rows = (screens.count + columns - 1) / columns
        let page = Size(
            width: Double(columns) * (cellWidth + gap) + gap, height: Double(rows) * (cellHeight + label + gap) + gap)
        var items: [DisplayItem] = [
            .fill(Rect(x: 0, y: 0, width: page.width, height: page.height), Color(hex: 0x5A6270))
        ]
        for (index, screen) in screens.enumerated() {
            let x = gap + Double(index % columns) * (cellWidth + gap)
            let y = gap + Double(index / columns) * (cellHeight + label + gap)
            items.append(
                .text(
                    TextRun(
                        screen.name, at: Point(x: x, y: y + 15), font: Font(.sans, size: 14, bold: true), color: .white)
                ))
            items.append(
                .image(path: screen.path, frame: Rect(x: x, y: y + label, width: cellWidth, height: cellHeight)))
        }
        return try renderer.png(DisplayPage(size: page, items: items))
    }
}
