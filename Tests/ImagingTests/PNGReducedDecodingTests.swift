import Testing

@testable import Imaging

/// A PNG kind: colour type and bit depth as IHDR spells them.
struct PNGKind: CustomTestStringConvertible, Sendable {
    let colorType: UInt8
    let depth: Int

    var samples: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]! }
    var bitsPerPixel: Int { samples * depth }
    var testDescription: String { "type \(colorType) at \(depth) bits" }

    static let all: [PNGKind] = [
        .init(colorType: 0, depth: 1), .init(colorType: 0, depth: 2), .init(colorType: 0, depth: 4),
        .init(colorType: 0, depth: 8), .init(colorType: 0, depth: 16), .init(colorType: 2, depth: 8),
        .init(colorType: 2, depth: 16), .init(colorType: 3, depth: 1), .init(colorType: 3, depth: 2),
        .init(colorType: 3, depth: 4), .init(colorType: 3, depth: 8), .init(colorType: 4, depth: 8),
        .init(colorType: 4, depth: 16), .init(colorType: 6, depth: 8), .init(colorType: 6, depth: 16),
    ]
}

/// Writes PNGs of every kind the way an encoder does, independently of the decoder under test: samples packed
/// big-endian at the bit depth, Adam7 passes when interlaced, and each row's filter cycling through all five types.
struct PNGTestEncoder {
    let kind: PNGKind
    let width: Int
    let height: Int
    let interlaced: Bool
    /// RGB triples for palette images.
    var palette: [UInt8] = []
    /// Each row's filter type by its number in the data (all passes counted); cycles through all five by default.
    var filterOfRow: @Sendable (Int) -> UInt8 = { UInt8($0 % 5) }

    /// The file for pixels whose samples (`kind.samples` values below 2^depth each) `sample(x, y)` gives.
    func encode(_ sample: (Int, Int) -> [Int]) throws -> [UInt8] {
        try assemble(filteredData(sample))
    }

    /// A file around `filtered` image data (as `filteredData` makes it, or altered).
    func assemble(_ filtered: [UInt8]) throws -> [UInt8] {
        try Codecs.assemblePNG(
            width: width, height: height, depth: UInt8(kind.depth), colorType: kind.colorType, interlaced: interlaced,
            palette: palette, filtered: filtered)
    }

    /// The image data before compression: each row's filter byte and filtered bytes, pass after pass.
    func filteredData(_ sample: (Int, Int) -> [Int]) -> [UInt8] {
        let passes: [(Int, Int, Int, Int)] = interlaced ? PNGPass.adam7 : [(0, 0, 1, 1)]
        let filterStride = max(1, kind.bitsPerPixel / 8)
        var filtered: [UInt8] = []
        var rowNumber = 0
        for (x0, y0, dx, dy) in passes {
            let passWidth = width > x0 ? (width - x0 + dx - 1) / dx : 0
            let passHeight = height > y0 ? (height - y0 + dy - 1) / dy : 0
            guard passWidth > 0, passHeight > 0 else { continue }
            var previous = [UInt8](repeating: 0, count: (passWidth * kind.bitsPerPixel + 7) / 8)
            for j in 0..<passHeight {
                var row = [UInt8](repeating: 0, count: previous.count)
                var bit = 0
                for i in 0..<passWidth {
                    for value in sample(x0 + i * dx, y0 + j * dy) {
                        for b in stride(from: kind.depth - 1, through: 0, by: -1) {
                            if value >> b & 1 == 1 { row[bit / 8] |= 0x80 >> (bit % 8) }
                            bit += 1
                        }
                    }
                }
                let filter = filterOfRow(rowNumber)
                rowNumber += 1
                filtered.append(filter)
                filtered += Self.filter(row, previous: previous, type: filter, stride: filterStride)
                previous = row
            }
        }
        return filtered
    }

    static func filter(_ row: [UInt8], previous: [UInt8], type: UInt8, stride: Int) -> [UInt8] {
        (0..<row.count).map { i in
            let a = i >= stride ? Int(row[i - stride]) : 0, b = Int(previous[i]), c = i >= stride ? Int(previous[i - stride]) : 0
            let predicted: Int
            switch type {
            case 0: predicted = 0
            case 1: predicted = a
            case 2: predicted = b
            case 3: predicted = (a + b) / 2
            default:
                let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
            }
            return UInt8(truncatingIfNeeded: Int(row[i]) - predicted)
        }
    }
}

/// A picture of `kind` made from `PixelImage.pattern`, with the luma Pillow would read from it.
struct PNGTestPicture {
    let bytes: [UInt8]
    let luma: PixelImage
    /// The same pixels as 8-bit RGB (alpha, bit depth and palette resolved), for libpng cross-checks.
    let rgb: PixelImage

    init(
        kind: PNGKind, width: Int, height: Int, interlaced: Bool, seed: UInt64 = 17,
        filterOfRow: @escaping @Sendable (Int) -> UInt8 = { UInt8($0 % 5) }
    ) throws {
        let color = PixelImage.pattern(width: width, height: height, seed: seed)
        // A 256-colour palette: a ramp through the colour cube, so neighbouring indices look alike.
        var palette: [UInt8] = []
        for i in 0..<256 { palette += [UInt8(i), UInt8(i * 7 % 256), UInt8(255 - i)] }
        var encoder = PNGTestEncoder(kind: kind, width: width, height: height, interlaced: interlaced)
        encoder.filterOfRow = filterOfRow
        let paletteSize = 1 << kind.depth
        if kind.colorType == 3 { encoder.palette = Array(palette.prefix(paletteSize * 3)) }
        let maximum = (1 << kind.depth) - 1
        var rgbPixels = [UInt8](repeating: 0, count: width * height * 3)
        func samples(_ x: Int, _ y: Int) -> [Int] {
            let index = (y * width + x) * 3
            let (r, g, b) = (Int(color.pixels[index]), Int(color.pixels[index + 1]), Int(color.pixels[index + 2]))
            let gray = Int(PNGScanlines.lumaOf(UInt8(r), UInt8(g), UInt8(b)))
            let alpha = (x * 31 + y * 17) % (maximum + 1)
            func wide(_ v: Int) -> Int { kind.depth == 16 ? v << 8 | (x * 3 + y) % 256 : v }
            let resolved: (Int, Int, Int)
            let values: [Int]
            switch kind.colorType {
            case 0 where kind.depth < 8:
                let level = gray * maximum / 255
                let shown = level * 255 / maximum
                (resolved, values) = ((shown, shown, shown), [level])
            case 0: (resolved, values) = ((gray, gray, gray), [wide(gray)])
            case 2: (resolved, values) = ((r, g, b), [wide(r), wide(g), wide(b)])
            case 3:
                let entry = gray * (paletteSize - 1) / 255
                (resolved, values) = ((Int(palette[entry * 3]), Int(palette[entry * 3 + 1]), Int(palette[entry * 3 + 2])), [entry])
            case 4: (resolved, values) = ((gray, gray, gray), [wide(gray), alpha])
            default: (resolved, values) = ((r, g, b), [wide(r), wide(g), wide(b), alpha])
            }
            rgbPixels[index] = UInt8(resolved.0)
            rgbPixels[index + 1] = UInt8(resolved.1)
            rgbPixels[index + 2] = UInt8(resolved.2)
            return values
        }
        bytes = try encoder.encode(samples)
        rgb = PixelImage(width: width, height: height, layout: .rgb, pixels: rgbPixels)
        luma = rgb.grayscale()
    }
}

@Suite("PNG decoding without libpng, full and reduced")
struct PNGReducedDecodingTests {
    /// Every kind, plain and Adam7, at a size whose passes have ragged edges: the full-size luma is exact.
    @Test(arguments: PNGKind.all, [false, true])
    func lumaOfEveryKindIsExact(kind: PNGKind, interlaced: Bool) throws {
        let picture = try PNGTestPicture(kind: kind, width: 37, height: 23, interlaced: interlaced)
        let decoded = try #require(try Codecs.decodePNGLuma(picture.bytes, source: "k.png"))
        #expect(decoded == picture.luma)
    }

    /// The test encoder is checked against libpng wherever libpng's 8-bit output is the stored colour (no alpha to
    /// composite, no 16-bit linear conversion).
    @Test(arguments: PNGKind.all.filter { [0, 2, 3].contains($0.colorType) && $0.depth <= 8 }, [false, true])
    func testEncoderAgreesWithLibpng(kind: PNGKind, interlaced: Bool) throws {
        let picture = try PNGTestPicture(kind: kind, width: 37, height: 23, interlaced: interlaced)
        #expect(try ImageDecoder.decode(picture.bytes, source: "k.png", layout: .rgb) == picture.rgb)
    }

    /// Runs of Paeth rows in RGB (decoded two rows at a time) next to other filters: odd and even runs, one-pixel
    /// and ragged widths, plain and Adam7; the luma is exact.
    @Test(arguments: [(1, 1), (1, 4), (2, 2), (3, 5), (37, 23), (64, 9)], [false, true])
    func paethRowPairsDecodeExactly(size: (width: Int, height: Int), interlaced: Bool) throws {
        let (width, height) = size
        let rgb8 = PNGKind(colorType: 2, depth: 8)
        // All Paeth; then runs of 1, 2 and 3 Paeth rows between Sub and Up rows.
        let patterns: [@Sendable (Int) -> UInt8] = [{ _ in 4 }, { [4, 1, 4, 4, 2, 4, 4, 4, 0][$0 % 9] }]
        for pattern in patterns {
            let picture = try PNGTestPicture(kind: rgb8, width: width, height: height, interlaced: interlaced, seed: 9, filterOfRow: pattern)
            #expect(try Codecs.decodePNGLuma(picture.bytes, source: "p.png") == picture.luma)
            #expect(try ImageDecoder.decode(picture.bytes, source: "p.png", layout: .rgb) == picture.rgb, "the test file itself, read by libpng")
        }
    }

    /// A tiny image leaves some Adam7 passes empty; those have no rows in the data at all.
    @Test(arguments: [(1, 1), (2, 1), (1, 5), (3, 2), (9, 9)])
    func tinyAdam7ImagesDecode(width: Int, height: Int) throws {
        let picture = try PNGTestPicture(kind: PNGKind(colorType: 2, depth: 8), width: width, height: height, interlaced: true)
        #expect(try Codecs.decodePNGLuma(picture.bytes, source: "t.png") == picture.luma)
    }

    /// The reduced decode averages blocks: its hash stays within a few bits of the full-size image's, for every kind.
    @Test(arguments: PNGKind.all, [false, true])
    func reducedHashMatchesFullDecode(kind: PNGKind, interlaced: Bool) throws {
        let picture = try PNGTestPicture(kind: kind, width: 641, height: 479, interlaced: interlaced, seed: 5)
        let reduced = try ImageDecoder.decode(picture.bytes, source: "r.png", layout: .gray, minimumSide: 64)
        #expect(reduced.width == 86 && reduced.height == 64)
        let distance = PerceptualHash.compute(reduced).distance(to: PerceptualHash.compute(picture.luma))
        #expect(distance <= 4, "distance \(distance)")
    }

    @Test func reducedPixelsAreAreaMeans() throws {
        // 4x2 gray to 2x1: blocks {10, 20, 30, 40} and {50, 60, 70, 81}, rounded to nearest.
        let values = [10, 20, 50, 60, 30, 40, 70, 81]
        let bytes = try PNGTestEncoder(kind: PNGKind(colorType: 0, depth: 8), width: 4, height: 2, interlaced: false)
            .encode { x, y in [values[y * 4 + x]] }
        let reduced = try #require(try Codecs.decodePNGLuma(bytes, source: "m.png", minimumSide: 1))
        #expect(reduced.width == 2 && reduced.height == 1)
        #expect(reduced.pixels == [25, 65])
        // 3x1 to 2x1: the middle pixel is split half and half.
        let odd = try PNGTestEncoder(kind: PNGKind(colorType: 0, depth: 8), width: 3, height: 2, interlaced: true)
            .encode { x, _ in [[0, 100, 200][x]] }
        #expect(try Codecs.decodePNGLuma(odd, source: "o.png", minimumSide: 1)?.pixels == [33, 167])
    }

    /// Garbled image data (random bytes anywhere, filter bytes included) decodes to some pixels or is an error
    /// naming the file: never a crash or an out-of-bounds read, for every kind, plain and Adam7.
    @Test(arguments: PNGKind.all, [false, true])
    func garbledImageDataIsSafe(kind: PNGKind, interlaced: Bool) throws {
        var encoder = PNGTestEncoder(kind: kind, width: 29, height: 19, interlaced: interlaced)
        if kind.colorType == 3 { encoder.palette = [UInt8](repeating: 90, count: 3 << kind.depth) }
        let clean = encoder.filteredData { x, y in [Int](repeating: (x * 7 + y * 3) % (1 << kind.depth), count: kind.samples) }
        var random = SplitMix64(seed: UInt64(kind.colorType) << 8 | UInt64(kind.depth))
        for _ in 0..<40 {
            var garbled = clean
            for _ in 0..<(1 + Int(random.next() % 6)) {
                garbled[Int(random.next() % UInt64(garbled.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            let bytes = try encoder.assemble(garbled)
            do {
                let image = try ImageDecoder.decode(bytes, source: "g.png", layout: .gray, minimumSide: 8)
                #expect(image.width == 13 && image.height == 8)
            } catch {
                // Inflating still succeeds, so the only way to fail is a filter byte outside 0-4.
                guard case .corrupt(let file, let detail) = error else { throw error }
                #expect(file == "g.png" && detail.hasPrefix("PNG row filter "), "\(detail)")
            }
        }
    }

    @Test func unknownFilterTypeIsAnErrorNamingTheFile() throws {
        var filtered: [UInt8] = [0, 1, 2, 3, 7, 1, 2, 3]  // two 3-pixel gray rows; the second's filter is 7
        let bytes = try Codecs.assemblePNG(width: 3, height: 2, depth: 8, colorType: 0, filtered: filtered)
        #expect(throws: ImagingError.corrupt(file: "bad.png", detail: "PNG row filter 7 is not 0-4")) {
            try Codecs.decodePNGLuma(bytes, source: "bad.png")
        }
    }

    @Test func paletteImageWithoutPaletteIsAnError() throws {
        let bytes = try Codecs.assemblePNG(width: 2, height: 1, depth: 8, colorType: 3, filtered: [0, 0, 1])
        #expect(throws: ImagingError.corrupt(file: "p.png", detail: "PNG palette image without a PLTE chunk")) {
            try ImageDecoder.decode(bytes, source: "p.png", layout: .gray, minimumSide: 64)
        }
    }

    @Test func disallowedDepthIsAnError() throws {
        let bytes = try Codecs.assemblePNG(width: 2, height: 1, depth: 4, colorType: 2, filtered: [0, 0, 0, 0])
        #expect(throws: ImagingError.corrupt(file: "d.png", detail: "PNG colour type 2 at 4 bits is not allowed")) {
            try ImageDecoder.decode(bytes, source: "d.png", layout: .gray)
        }
    }

    /// Image data that inflates short of the header's size goes to libpng, which reports it naming the file.
    @Test func shortImageDataIsAnErrorNamingTheFile() throws {
        let bytes = try Codecs.assemblePNG(width: 40, height: 40, depth: 8, colorType: 2, filtered: [UInt8](repeating: 0, count: 500))
        #expect(try Codecs.decodePNGLuma(bytes, source: "s.png") == nil)
        do {
            _ = try ImageDecoder.decode(bytes, source: "s.png", layout: .gray, minimumSide: 64)
            Issue.record("decoded short image data")
        } catch {
            #expect(error.description.hasPrefix("s.png: corrupt image"), "\(error)")
        }
    }
}
