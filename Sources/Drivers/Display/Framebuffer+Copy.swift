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
        case .half:
            PixelRect(x: drawnWidth - rect.maxX, y: drawnHeight - rect.maxY, width: rect.width, height: rect.height)
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
        // Along a panel row the drawn pixels shown lie a fixed step apart: along a drawn row (0 and 180 degrees) or
        // down a drawn column (90 and 270). So each row is one strided walk, with no per-pixel rotation arithmetic.
        let (w, h, row) = (canvas.width, canvas.height, wordsPerRow)
        let (first, across, down): (Int, Int, Int) =
            switch rotation {
            case .none: (target.y * row + target.x, 1, row)
            case .half: ((h - 1 - target.y) * row + (w - 1 - target.x), -1, -row)
            case .quarter: ((h - 1 - target.x) * row + target.y, -row, 1)
            case .threeQuarters: (target.x * row + (w - 1 - target.y), row, -1)
            }
        packing.withUnsafeBufferPointer { table in
            // The packed value of each 8-bit channel, looked up: as fast as shifts by constants, twice as fast as
            // shifts by the format's offsets held in variables.
            let (red, green, blue) = (table.baseAddress!, table.baseAddress! + 256, table.baseAddress! + 512)
            @inline(__always) func pack(_ argb: UInt32) -> UInt32 {
                red[Int(argb >> 16 & 0xFF)] | green[Int(argb >> 8 & 0xFF)] | blue[Int(argb & 0xFF)]
            }
            // In tiles of 16 x 16 panel pixels: turned 90 or 270 degrees a panel row walks down a drawn column, one
            // cache line per pixel; 16 panel rows of a tile read the same 16 lines, 16 pixels each, while they are
            // still cached (a 1024x600 RGB565 frame: 1.0 -> 0.6 ms, Benchmarks' "Copy ... rotated 90").
            let tile = 16
            // Read once: `base` looks up the page being drawn, and a tile's 16-pixel rows would repeat that work.
            let (panel, rowBytes) = (base, stride)
            for top in Swift.stride(from: 0, to: target.height, by: tile) {
                for left in Swift.stride(from: 0, to: target.width, by: tile) {
                    let columns = left..<min(left + tile, target.width)
                    for line in top..<min(top + tile, target.height) {
                        let source = pixels + first + line * down
                        let address = panel + (target.y + line) * rowBytes + target.x * bytes
                        switch bytes {
                        case 4:
                            let out = address.assumingMemoryBound(to: UInt32.self)
                            for i in columns { out[i] = pack(source[i * across]).littleEndian }
                        case 2:
                            let out = address.assumingMemoryBound(to: UInt16.self)
                            for i in columns {
                                out[i] = UInt16(truncatingIfNeeded: pack(source[i * across])).littleEndian
                            }
                        default:
                            for i in columns {
                                let value = pack(source[i * across])
                                address.storeBytes(
                                    of: UInt8(truncatingIfNeeded: value), toByteOffset: 3 * i, as: UInt8.self)
                                address.storeBytes(
                                    of: UInt8(truncatingIfNeeded: value >> 8), toByteOffset: 3 * i + 1, as: UInt8.self)
                                address.storeBytes(
                                    of: UInt8(truncatingIfNeeded: value >> 16), toByteOffset: 3 * i + 2,
                                    as: UInt8.self)
                            }
                        }
                    }
                }
            }
        }
    }
}
