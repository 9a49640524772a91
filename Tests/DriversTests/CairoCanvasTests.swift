import Core
import Testing

@testable import Drivers

@Suite("Cairo canvas: measuring text")
struct CairoCanvasTests {
    /// A kiosk measures the same labels over and over and, once each, every text with a resident's name, a letter's
    /// number or a date in it: what it remembers must not grow with the sessions it served.
    @Test func rememberedWidthsAreBounded() throws {
        let canvas = try CairoCanvas(surface: CairoCanvas.imageSurface(width: 1, height: 1), scale: 1, fonts: Fonts())
        let font = Font(.sans, size: 12)
        let label = canvas.width(of: "Surat Keterangan Domisili", in: font)
        var most = 0
        for session in 0..<(3 * CairoCanvas.rememberedWidths) {
            _ = canvas.width(of: "Nomor: S-41/\(session)/1809072001/XII/2026", in: font)
            most = max(most, canvas.rememberedWidthCount)
        }
        #expect(most == CairoCanvas.rememberedWidths)
        // Forgetting changes no answer: the label measured again, after the widths started over, is as wide as before.
        #expect(canvas.width(of: "Surat Keterangan Domisili", in: font) == label)
        #expect(label > 0)
    }
}
