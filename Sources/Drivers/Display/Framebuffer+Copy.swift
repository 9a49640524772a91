public import Core

/// Copying drawn pixels onto the framebuffer: rectangles of the canvas (drawn orientation, ARGB32) into the
/// panel's pixel format, turned by the rotation. Only changed rectangles are copied, and the framebuffer is never
/// read back (reading mapped video memory is slow on many boards).
extension Framebuffer {
    /// Copies `rects` (in the canvas's drawn coordinates) of `canvas` onto the panel.
    public func copy(_ rects: [PixelRect], from canvas: ScreenCanvas, rotation: ScreenRotation) {
        canvas.withPixels { pixels, wordsPerRow in
            for rect in rects {
                let drawn = rect.clipped(to: canvas.bounds)
                guard !drawn.isEmpty else { continue }
                copy(drawn, from: pixels, wordsPerRow: wordsPerRow, canvas: canvas, rotation: rotation)
            }
        }
    }

    /// The panel rectangle a drawn rectangle lands on.
    func panelRect(_ rect: PixelRect, drawnWidth: Int, drawnHeight: Int, rotation: ScreenRotation) -> PixelRect {
        switch rotation {
        case .none: rect
        case .half: PixelRect(x: drawnWidth - rect.maxX, y: drawnHeight - rect.maxY, width: rect.width, height: rect.height)
        case .quarter: PixelRect(x: drawnHeight - rect.maxY, y: rect.x, width: rect.height, height: rect.width)
        case .threeQuarters: PixelRect(x: rect.y, y: drawnWidth - rect.maxX, width: rect.height, height: rect.width)
        }
    }

    private func copy(
        _ rect: PixelRect, from pixels: UnsafePointer<UInt32>, wordsPerRow: Int, canvas: ScreenCanvas,
        rotation: ScreenRotation
    ) {
        let target = panelRect(rect, drawnWidth: canvas.width, drawnHeight: canvas.height, rotation: rotation)
        let bytes = format.bytesPerPixel
        // ARGB32 words in memory on a little-endian machine are B, G, R, A: exactly XRGB8888, one memcpy a row.
        if rotation == .none, format == .xrgb8888 {
            for row in 0..<rect.height {
                (base + (target.y + row) * stride + target.x * 4).copyMemory(
                    from: pixels + (rect.y + row) * wordsPerRow + rect.x, byteCount: rect.width * 4)
            }
            return
        }
        let (drawnWidth, drawnHeight) = (canvas.width, canvas.height)
        for py in target.y..<target.maxY {
            var address = base + py * stride + target.x * bytes
            for px in target.x..<target.maxX {
                // The drawn pixel shown at panel position (px, py): the inverse of the rotation.
                let (dx, dy): (Int, Int) =
                    switch rotation {
                    case .none: (px, py)
                    case .half: (drawnWidth - 1 - px, drawnHeight - 1 - py)
                    case .quarter: (py, drawnHeight - 1 - px)
                    case .threeQuarters: (drawnWidth - 1 - py, px)
                    }
                let argb = pixels[dy * wordsPerRow + dx]
                let value = format.pack(red: (argb >> 16) & 0xFF, green: (argb >> 8) & 0xFF, blue: argb & 0xFF)
                switch bytes {
                case 4: address.storeBytes(of: value.littleEndian, as: UInt32.self)
                case 2: address.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, as: UInt16.self)
                default:
                    address.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
                    address.storeBytes(of: UInt8(truncatingIfNeeded: value >> 8), toByteOffset: 1, as: UInt8.self)
                    address.storeBytes(of: UInt8(truncatingIfNeeded: value >> 16), toByteOffset: 2, as: UInt8.self)
                }
                address += bytes
            }
        }
    }
}
