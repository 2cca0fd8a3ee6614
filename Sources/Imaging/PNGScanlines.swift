/// The facts a PNG's chunks give for the fast luma path: size, channels and the concatenated image data.
struct PNGChunks {
    let width: Int
    let height: Int
    /// 1 (gray), 3 (RGB) or 4 (RGBA), 8 bits each.
    let channels: Int
    /// The zlib stream spread over the IDAT chunks.
    let compressed: [UInt8]

    var rowBytes: Int { width * channels }

    /// Reads the chunks; nil when the PNG is of a kind the fast path leaves to libpng (palette, 16-bit, interlaced,
    /// gray+alpha, transparency key); throws when the chunk structure itself is broken.
    init?(_ data: [UInt8], source: String) throws(ImagingError) {
        func u32(_ at: Int) -> Int { Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3]) }
        var position = 8
        var header: (width: Int, height: Int, channels: Int)?
        var compressed: [UInt8] = []
        while true {
            guard position + 8 <= data.count else { throw .corrupt(file: source, detail: "PNG ends before its IEND chunk") }
            let length = u32(position)
            let type = String(decoding: data[(position + 4)..<(position + 8)], as: UTF8.self)
            let body = position + 8
            guard length <= data.count - body - 4 else {
                throw .corrupt(file: source, detail: "PNG chunk \(type) runs past the end of the file")
            }
            switch type {
            case "IHDR":
                guard length == 13 else { throw .corrupt(file: source, detail: "PNG IHDR has length \(length)") }
                let width = u32(body), height = u32(body + 4)
                let depth = data[body + 8], colorType = data[body + 9], interlace = data[body + 12]
                guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16 else {
                    throw .corrupt(file: source, detail: "impossible dimensions \(width)x\(height)")
                }
                let channels: [UInt8: Int] = [0: 1, 2: 3, 6: 4]
                guard depth == 8, interlace == 0, let count = channels[colorType] else { return nil }
                header = (width, height, count)
            case "tRNS", "PLTE":
                return nil
            case "IDAT":
                guard header != nil else { throw .corrupt(file: source, detail: "PNG image data before IHDR") }
                compressed.append(contentsOf: data[body..<(body + length)])
            case "IEND":
                guard let header else { throw .corrupt(file: source, detail: "PNG without IHDR") }
                width = header.width
                height = header.height
                channels = header.channels
                self.compressed = compressed
                return
            default:
                break
            }
            position = body + length + 4
        }
    }
}

/// PNG row unfiltering (filter types 0–4) fused with the conversion to luma.
enum PNGScanlines {
    /// Unfilters `raw` (one filter byte, then the row's bytes, per row) in place and returns its luma.
    static func luma(raw: inout [UInt8], layout: PNGChunks, source: String) throws(ImagingError) -> PixelImage {
        let width = layout.width, height = layout.height, channels = layout.channels, rowBytes = layout.rowBytes
        var gray = [UInt8](repeating: 0, count: width * height)
        var badFilter: UInt8?
        // The row above the first is all zeros, so every filter reads a real row.
        var zeros = [UInt8](repeating: 0, count: rowBytes)
        raw.withUnsafeMutableBufferPointer { rawBuffer in
            gray.withUnsafeMutableBufferPointer { grayBuffer in
                zeros.withUnsafeMutableBufferPointer { zeroBuffer in
                    let base = rawBuffer.baseAddress!, out = grayBuffer.baseAddress!
                    for y in 0..<height {
                        let filter = base[y * (rowBytes + 1)]
                        let row = base + y * (rowBytes + 1) + 1
                        let up = y > 0 ? row - (rowBytes + 1) : zeroBuffer.baseAddress!
                        guard unfilter(row, up: up, filter: filter, count: rowBytes, channels: channels) else {
                            badFilter = filter
                            return
                        }
                        let target = out + y * width
                        if channels == 1 {
                            target.update(from: row, count: width)
                        } else {
                            for x in 0..<width {
                                let pixel = row + x * channels
                                let luma = UInt32(pixel[0]) * 19595 + UInt32(pixel[1]) * 38470 + UInt32(pixel[2]) * 7471 + 0x8000
                                target[x] = UInt8(luma >> 16)
                            }
                        }
                    }
                }
            }
        }
        if let badFilter { throw .corrupt(file: source, detail: "PNG row filter \(badFilter) is not 0-4") }
        return PixelImage(width: width, height: height, layout: .gray, pixels: gray)
    }

    /// Unfilters `raw` in place and returns RGB shrunk by `factor`, each output pixel the mean of a `factor`²
    /// block (fewer at the right and bottom edges): the PNG counterpart of JPEG's DCT scaling. Gray or RGB only.
    static func shrunkRGB(raw: inout [UInt8], layout: PNGChunks, factor: Int, source: String) throws(ImagingError) -> PixelImage {
        precondition(layout.channels == 1 || layout.channels == 3, "shrunkRGB reads gray or RGB rows")
        let width = layout.width, height = layout.height, channels = layout.channels, rowBytes = layout.rowBytes
        let outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        var sums = [UInt32](repeating: 0, count: outWidth * 3)
        var badFilter: UInt8?
        var zeros = [UInt8](repeating: 0, count: rowBytes)
        raw.withUnsafeMutableBufferPointer { rawBuffer in
            out.withUnsafeMutableBufferPointer { outBuffer in
                sums.withUnsafeMutableBufferPointer { sumBuffer in
                    zeros.withUnsafeMutableBufferPointer { zeroBuffer in
                        let base = rawBuffer.baseAddress!, target = outBuffer.baseAddress!, sum = sumBuffer.baseAddress!
                        for y in 0..<height {
                            let filter = base[y * (rowBytes + 1)]
                            let row = base + y * (rowBytes + 1) + 1
                            let up = y > 0 ? row - (rowBytes + 1) : zeroBuffer.baseAddress!
                            guard unfilter(row, up: up, filter: filter, count: rowBytes, channels: channels) else {
                                badFilter = filter
                                return
                            }
                            for column in 0..<outWidth {
                                var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                                for x in (column * factor)..<min(column * factor + factor, width) {
                                    let pixel = row + x * channels
                                    if channels == 1 {
                                        r += UInt32(pixel[0])
                                    } else {
                                        r += UInt32(pixel[0])
                                        g += UInt32(pixel[1])
                                        b += UInt32(pixel[2])
                                    }
                                }
                                sum[column * 3] += r
                                sum[column * 3 + 1] += channels == 1 ? r : g
                                sum[column * 3 + 2] += channels == 1 ? r : b
                            }
                            guard y % factor == factor - 1 || y == height - 1 else { continue }
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
        }
        if let badFilter { throw .corrupt(file: source, detail: "PNG row filter \(badFilter) is not 0-4") }
        return PixelImage(width: outWidth, height: outHeight, layout: .rgb, pixels: out)
    }

    /// Reverses one row's filter in place (PNG spec §9); false for an unknown filter type.
    @inline(__always)
    private static func unfilter(
        _ row: UnsafeMutablePointer<UInt8>, up: UnsafeMutablePointer<UInt8>, filter: UInt8, count: Int, channels: Int
    ) -> Bool {
        switch filter {
        case 0:
            return true
        case 2:
            for i in 0..<count { row[i] &+= up[i] }
            return true
        case 1, 3, 4:
            if channels == 3 {
                unfilterRGB(row, up: up, filter: filter, pixels: count / 3)
                return true
            }
            if filter == 1 {
                for i in channels..<count { row[i] &+= row[i - channels] }
            } else if filter == 3 {
                for i in 0..<channels { row[i] &+= up[i] >> 1 }
                for i in channels..<count { row[i] &+= UInt8((Int(row[i - channels]) + Int(up[i])) >> 1) }
            } else {
                for i in 0..<channels { row[i] &+= up[i] }
                for i in channels..<count {
                    row[i] &+= UInt8(truncatingIfNeeded: paeth(Int(row[i - channels]), Int(up[i]), Int(up[i - channels])))
                }
            }
            return true
        default:
            return false
        }
    }

    /// Sub, Average and Paeth for RGB rows, with the left pixel kept in registers: a byte loop would wait on its
    /// own store three bytes back for every byte.
    @inline(__always)
    private static func unfilterRGB(_ row: UnsafeMutablePointer<UInt8>, up: UnsafeMutablePointer<UInt8>, filter: UInt8, pixels: Int) {
        var r = 0, g = 0, b = 0
        switch filter {
        case 1:
            for x in 0..<pixels {
                let pixel = row + 3 * x
                r = (Int(pixel[0]) + r) & 0xFF
                g = (Int(pixel[1]) + g) & 0xFF
                b = (Int(pixel[2]) + b) & 0xFF
                pixel[0] = UInt8(truncatingIfNeeded: r)
                pixel[1] = UInt8(truncatingIfNeeded: g)
                pixel[2] = UInt8(truncatingIfNeeded: b)
            }
        case 3:
            for x in 0..<pixels {
                let pixel = row + 3 * x, above = up + 3 * x
                r = (Int(pixel[0]) + (r + Int(above[0])) >> 1) & 0xFF
                g = (Int(pixel[1]) + (g + Int(above[1])) >> 1) & 0xFF
                b = (Int(pixel[2]) + (b + Int(above[2])) >> 1) & 0xFF
                pixel[0] = UInt8(truncatingIfNeeded: r)
                pixel[1] = UInt8(truncatingIfNeeded: g)
                pixel[2] = UInt8(truncatingIfNeeded: b)
            }
        default:
            var upR = 0, upG = 0, upB = 0
            for x in 0..<pixels {
                let pixel = row + 3 * x, above = up + 3 * x
                let aboveR = Int(above[0]), aboveG = Int(above[1]), aboveB = Int(above[2])
                r = (Int(pixel[0]) + paeth(r, aboveR, upR)) & 0xFF
                g = (Int(pixel[1]) + paeth(g, aboveG, upG)) & 0xFF
                b = (Int(pixel[2]) + paeth(b, aboveB, upB)) & 0xFF
                (upR, upG, upB) = (aboveR, aboveG, aboveB)
                pixel[0] = UInt8(truncatingIfNeeded: r)
                pixel[1] = UInt8(truncatingIfNeeded: g)
                pixel[2] = UInt8(truncatingIfNeeded: b)
            }
        }
    }

    /// The Paeth predictor, written without branches: noisy rows make the spec's if/else chain mispredict.
    @inline(__always)
    private static func paeth(_ left: Int, _ above: Int, _ upLeft: Int) -> Int {
        let toLeft = abs(above - upLeft), toUp = abs(left - upLeft), toUpLeft = abs(left + above - 2 * upLeft)
        let aboveOrUpLeft = toUp <= toUpLeft ? above : upLeft
        return toLeft <= min(toUp, toUpLeft) ? left : aboveOrUpLeft
    }
}
