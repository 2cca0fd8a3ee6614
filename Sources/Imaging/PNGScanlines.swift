/// Turns a PNG's inflated image data into pixels: rows are unfiltered in place and folded straight into the
/// (optionally shrunk) output, so no full-size pixel image is built for a reduced decode.
enum PNGScanlines {
    /// Unfilters `raw` in place and returns its luma area-averaged to `size`, for every colour type, bit depth and
    /// Adam7; each row is folded into the small image as soon as it is unfiltered. Luma is Pillow's `convert("L")`
    /// (ITU-R 601 weights); alpha is ignored, 16-bit samples count by their high byte and palette entries by their
    /// colour, as Pillow reads them.
    /// - Parameter raw: the inflated data (`layout.inflatedCount` bytes).
    static func luma(raw: inout [UInt8], layout: PNGChunks, size: (width: Int, height: Int), source: String)
        throws(ImagingError) -> PixelImage
    {
        var averager = LumaAreaAverager(
            sourceWidth: layout.width, sourceHeight: layout.height, width: size.width, height: size.height)
        var lumaRow = [UInt8](repeating: 0, count: layout.width)
        let lumaOfIndex = paletteLuma(layout.palette)
        let badFilter: UInt8? = raw.withUnsafeMutableBufferPointer { rawBuffer in
            lumaRow.withUnsafeMutableBufferPointer { lumaBuffer in
                lumaOfIndex.withUnsafeBufferPointer { paletteBuffer in
                    eachRow(of: layout, in: rawBuffer) { row, y, pass in
                        if y == pass.y0 { averager.setRowLayout(x0: pass.x0, dx: pass.dx, count: pass.width) }
                        let pixels = UnsafePointer(row.baseAddress!)
                        switch (layout.colorType, layout.bitDepth) {
                        case (.rgb, 8): averager.add(rgb: pixels, stride: 3, y: y)
                        case (.rgba, 8): averager.add(rgb: pixels, stride: 4, y: y)
                        case (.gray, 8): averager.add(luma: pixels, y: y)
                        default:
                            convertToLuma(row.baseAddress!, pixels: pass.width, layout: layout, palette: paletteBuffer, into: lumaBuffer)
                            averager.add(luma: lumaBuffer.baseAddress!, y: y)
                        }
                    }
                }
            }
        }
        if let badFilter { throw .corrupt(file: source, detail: "PNG row filter \(badFilter) is not 0-4") }
        return averager.image()
    }

    /// Unfilters `raw` in place and returns RGB shrunk by `factor`, each output pixel the mean of a `factor`²
    /// block (fewer at the right and bottom edges): the PNG counterpart of JPEG's DCT scaling. 8-bit gray or RGB,
    /// not interlaced (`PNGChunks.isPlain8BitGrayOrRGB`).
    static func shrunkRGB(raw: inout [UInt8], layout: PNGChunks, factor: Int, source: String) throws(ImagingError) -> PixelImage {
        precondition(layout.isPlain8BitGrayOrRGB, "shrunkRGB reads 8-bit gray or RGB rows")
        let width = layout.width, height = layout.height, channels = layout.colorType.samplesPerPixel
        let outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        var sums = [UInt32](repeating: 0, count: outWidth * 3)
        let badFilter: UInt8? = raw.withUnsafeMutableBufferPointer { rawBuffer in
            out.withUnsafeMutableBufferPointer { outBuffer in
                sums.withUnsafeMutableBufferPointer { sumBuffer in
                    let target = outBuffer.baseAddress!, sum = sumBuffer.baseAddress!
                    return eachRow(of: layout, in: rawBuffer) { rowBuffer, y, _ in
                        let row = rowBuffer.baseAddress!
                        for column in 0..<outWidth {
                            var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                            for x in (column * factor)..<min(column * factor + factor, width) {
                                let pixel = row + x * channels
                                r += UInt32(pixel[0])
                                g += UInt32(pixel[channels == 1 ? 0 : 1])
                                b += UInt32(pixel[channels == 1 ? 0 : 2])
                            }
                            sum[column * 3] += r
                            sum[column * 3 + 1] += g
                            sum[column * 3 + 2] += b
                        }
                        guard y % factor == factor - 1 || y == height - 1 else { return }
                        let blockRows = UInt32(y % factor + 1)
                        let outRow = target + (y / factor) * outWidth * 3
                        for column in 0..<outWidth {
                            let count = UInt32(min(column * factor + factor, width) - column * factor) * blockRows
                            for channel in 0..<3 {
                                outRow[column * 3 + channel] = UInt8((sum[column * 3 + channel] + count / 2) / count)
                            }
                        }
                        sum.update(repeating: 0, count: outWidth * 3)
                    }
                }
            }
        }
        if let badFilter { throw .corrupt(file: source, detail: "PNG row filter \(badFilter) is not 0-4") }
        return PixelImage(width: outWidth, height: outHeight, layout: .rgb, pixels: out)
    }

    /// Unfilters every row of every pass in order and hands each to `body` with its image row and its pass;
    /// returns the first unknown filter type met (and stops there), nil when all rows were good.
    @inline(__always)
    private static func eachRow(
        of layout: PNGChunks, in raw: UnsafeMutableBufferPointer<UInt8>,
        _ body: (UnsafeMutableBufferPointer<UInt8>, Int, PNGPass) -> Void
    ) -> UInt8? {
        let stride = layout.filterStride
        // One spare byte: a pass's first row reads a byte past the row above (see `PNGUnfilter.paethRGBPair`).
        let zeros = [UInt8](repeating: 0, count: layout.rowBytes(pixels: layout.width) + 1)
        let isRGB8 = stride == 3 && layout.bitDepth == 8
        return zeros.withUnsafeBufferPointer { zeroBuffer -> UInt8? in
            var offset = 0
            for pass in layout.passes {
                let rowBytes = layout.rowBytes(pixels: pass.width)
                var up = zeroBuffer.baseAddress!
                var j = 0
                while j < pass.height {
                    let filter = raw[offset]
                    let row = raw.baseAddress! + offset + 1
                    // Two Paeth RGB rows in a row (the usual choice of encoders for photos and art) go as a pair.
                    if isRGB8 && filter == 4 && pass.width > 0 && j + 1 < pass.height && raw[offset + rowBytes + 1] == 4 {
                        let next = row + rowBytes + 1
                        PNGUnfilter.paethRGBPair(row, next, up: up, pixels: pass.width)
                        body(UnsafeMutableBufferPointer(start: row, count: rowBytes), pass.y0 + j * pass.dy, pass)
                        body(UnsafeMutableBufferPointer(start: next, count: rowBytes), pass.y0 + (j + 1) * pass.dy, pass)
                        up = UnsafePointer(next)
                        offset += 2 * (rowBytes + 1)
                        j += 2
                        continue
                    }
                    guard PNGUnfilter.row(row, up: up, filter: filter, count: rowBytes, stride: stride) else { return filter }
                    body(UnsafeMutableBufferPointer(start: row, count: rowBytes), pass.y0 + j * pass.dy, pass)
                    up = UnsafePointer(row)
                    offset += rowBytes + 1
                    j += 1
                }
            }
            return nil
        }
    }

    /// One unfiltered row's luma, a byte per pixel.
    @inline(__always)
    private static func convertToLuma(
        _ row: UnsafeMutablePointer<UInt8>, pixels: Int, layout: PNGChunks, palette: UnsafeBufferPointer<UInt8>,
        into luma: UnsafeMutableBufferPointer<UInt8>
    ) {
        let depth = layout.bitDepth
        switch layout.colorType {
        case .rgb, .rgba:
            let sampleBytes = depth / 8
            rgbLuma(row, pixels: pixels, stride: layout.colorType.samplesPerPixel * sampleBytes, sampleBytes: sampleBytes, into: luma)
        case .gray where depth >= 8, .grayAlpha:
            // The first (high) byte of each pixel's gray sample.
            let stride = layout.filterStride
            for i in 0..<pixels { luma[i] = row[i * stride] }
        case .gray:
            // 1, 2 or 4 bits, first pixel in the high bits; scaled so the largest value is white.
            let scale = 255 / UInt8(1 << depth - 1)
            for i in 0..<pixels { luma[i] = packedSample(row, index: i, depth: depth) * scale }
        case .palette:
            for i in 0..<pixels { luma[i] = palette[Int(packedSample(row, index: i, depth: depth))] }
        }
    }

    /// Sample `index` of a row packed at `depth` (1, 2, 4 or 8) bits, the first in the high bits of each byte.
    @inline(__always)
    private static func packedSample(_ row: UnsafeMutablePointer<UInt8>, index: Int, depth: Int) -> UInt8 {
        let perByteShift = (8 / depth).trailingZeroBitCount, slot = index & (8 / depth - 1)
        return row[index >> perByteShift] >> (8 - depth * (slot + 1)) & UInt8(truncatingIfNeeded: 1 << depth - 1)
    }

    /// 601 luma of R, G, B at the start of each `stride`-byte pixel (high bytes when samples are 16-bit).
    @inline(__always)
    private static func rgbLuma(
        _ row: UnsafeMutablePointer<UInt8>, pixels: Int, stride: Int, sampleBytes: Int, into luma: UnsafeMutableBufferPointer<UInt8>
    ) {
        for i in 0..<pixels {
            let pixel = row + i * stride
            luma[i] = lumaOf(pixel[0], pixel[sampleBytes], pixel[2 * sampleBytes])
        }
    }

    @inline(__always)
    static func lumaOf(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (UInt32(r) * 19595 + UInt32(g) * 38470 + UInt32(b) * 7471 + 0x8000) >> 16)
    }

    /// The luma of each of 256 palette indices; indices past the palette are black.
    private static func paletteLuma(_ palette: [UInt8]) -> [UInt8] {
        (0..<256).map { index in
            index * 3 + 2 < palette.count ? lumaOf(palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2]) : 0
        }
    }
}
