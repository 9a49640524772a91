import Glibc

/// Text into a printer's single-byte code page through glibc's iconv, with transliteration (`//TRANSLIT`), the
/// one place that calls iconv.
enum CodePage {
    /// Transliteration tables come from LC_CTYPE; the process runs in the "C" locale, which has none beyond
    /// ASCII, so conversions run under C.UTF-8 for this thread only (`uselocale`), leaving the process alone.
    nonisolated(unsafe) private static let utf8Locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)

    static func encode(_ text: String, as encoding: String) throws(EscPosError) -> [UInt8] {
        let previous = utf8Locale.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        let converter = iconv_open(encoding + "//TRANSLIT", "UTF-8")
        guard let converter, converter != iconv_t(bitPattern: -1) else { throw .encodingUnavailable(encoding) }
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        // Single-byte code pages: never more bytes out than in, but transliteration may write "EUR" for one sign.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 4)
        var result: [UInt8] = []
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                while inLeft > 0 {
                    if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                        // EILSEQ: a character with no transliteration: one "?" for its UTF-8 sequence.
                        guard errno == EILSEQ, outLeft > 0, let current = inPointer, let out = outPointer else { break }
                        out.pointee = 0x3F
                        outPointer = out + 1
                        outLeft -= 1
                        var skip = 1
                        while skip < inLeft, UInt8(bitPattern: current[skip]) & 0xC0 == 0x80 { skip += 1 }
                        inPointer = current + skip
                        inLeft -= skip
                    }
                }
                result = Array(outBuffer.prefix(outBuffer.count - outLeft))
            }
        }
        return result
    }
}
