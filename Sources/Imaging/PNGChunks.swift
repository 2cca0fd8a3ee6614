/// The facts a PNG's chunks give for decoding it without libpng: geometry, pixel format, palette and the
/// concatenated image data. Every kind of PNG the spec allows is read (palette, 1–16 bits, alpha, Adam7).
struct PNGChunks {
    /// The IHDR colour type (PNG spec §11.2.2).
    enum ColorType: UInt8 {
        case gray = 0
        case rgb = 2
        case palette = 3
        case grayAlpha = 4
        case rgba = 6

        var samplesPerPixel: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        /// The bit depths the spec allows for this colour type.
        var allowedDepths: Set<Int> {
            switch self {
            case .gray: [1, 2, 4, 8, 16]
            case .palette: [1, 2, 4, 8]
            case .rgb, .grayAlpha, .rgba: [8, 16]
            }
        }
    }

    let width: Int
    let height: Int
    let bitDepth: Int
    let colorType: ColorType
    let isInterlaced: Bool
    /// PLTE's RGB triples; empty unless the image is a palette image.
    let palette: [UInt8]
    /// The zlib stream spread over the IDAT chunks.
    let compressed: [UInt8]

    var bitsPerPixel: Int { bitDepth * colorType.samplesPerPixel }
    /// The distance in bytes between a byte and the one its filter predicts from (at least 1; spec §9.2).
    var filterStride: Int { max(1, bitsPerPixel / 8) }
    /// 8-bit gray or RGB without interlacing: the kinds whose bytes are pixels as they stand.
    var isPlain8BitGrayOrRGB: Bool { bitDepth == 8 && !isInterlaced && (colorType == .gray || colorType == .rgb) }

    /// The bytes of one row of `pixels` pixels, without its filter byte.
    func rowBytes(pixels: Int) -> Int { (pixels * bitsPerPixel + 7) / 8 }

    /// The sub-images the image data holds, in order: one for a plain image, the non-empty Adam7 passes otherwise.
    var passes: [PNGPass] {
        guard isInterlaced else { return [PNGPass(x0: 0, y0: 0, dx: 1, dy: 1, imageWidth: width, imageHeight: height)] }
        return PNGPass.adam7.map { PNGPass(x0: $0.0, y0: $0.1, dx: $0.2, dy: $0.3, imageWidth: width, imageHeight: height) }
            .filter { $0.width > 0 && $0.height > 0 }
    }

    /// How many bytes the image data inflates to: each pass's rows, each with its filter byte.
    var inflatedCount: Int { passes.reduce(0) { $0 + $1.height * (1 + rowBytes(pixels: $1.width)) } }

    /// Reads the chunks; throws naming `source` when the chunk structure or the header is broken.
    init(_ data: [UInt8], source: String) throws(ImagingError) {
        func u32(_ at: Int) -> Int { Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3]) }
        var position = 8
        var header: (width: Int, height: Int, depth: Int, colorType: ColorType, interlaced: Bool)?
        var palette: [UInt8] = []
        var compressed: [UInt8] = []
        // The image data is at most the file: one allocation instead of a regrowth per (often 8 KiB) IDAT chunk.
        compressed.reserveCapacity(data.count)
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
                let width = u32(body), height = u32(body + 4), depth = Int(data[body + 8])
                guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16 else {
                    throw .corrupt(file: source, detail: "impossible dimensions \(width)x\(height)")
                }
                guard let colorType = ColorType(rawValue: data[body + 9]), colorType.allowedDepths.contains(depth) else {
                    throw .corrupt(file: source, detail: "PNG colour type \(data[body + 9]) at \(depth) bits is not allowed")
                }
                guard data[body + 10] == 0, data[body + 11] == 0, data[body + 12] <= 1 else {
                    throw .corrupt(file: source, detail: "PNG compression, filter or interlace method is unknown")
                }
                header = (width, height, depth, colorType, data[body + 12] == 1)
            case "PLTE":
                guard length % 3 == 0, (3...768).contains(length) else {
                    throw .corrupt(file: source, detail: "PNG palette of \(length) bytes is not 1-256 colours")
                }
                palette = Array(data[body..<(body + length)])
            case "IDAT":
                guard header != nil else { throw .corrupt(file: source, detail: "PNG image data before IHDR") }
                compressed.append(contentsOf: data[body..<(body + length)])
            case "IEND":
                guard let header else { throw .corrupt(file: source, detail: "PNG without IHDR") }
                guard header.colorType != .palette || !palette.isEmpty else {
                    throw .corrupt(file: source, detail: "PNG palette image without a PLTE chunk")
                }
                width = header.width
                height = header.height
                bitDepth = header.depth
                colorType = header.colorType
                isInterlaced = header.interlaced
                self.palette = header.colorType == .palette ? palette : []
                self.compressed = compressed
                return
            default:
                break
            }
            position = body + length + 4
        }
    }
}

/// One sub-image of a PNG's data: every pixel at (x0 + i·dx, y0 + j·dy); the whole image when not interlaced.
struct PNGPass {
    /// Adam7's seven passes (x0, y0, dx, dy), PNG spec §8.2.
    static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    let x0: Int
    let y0: Int
    let dx: Int
    let dy: Int
    let width: Int
    let height: Int

    init(x0: Int, y0: Int, dx: Int, dy: Int, imageWidth: Int, imageHeight: Int) {
        (self.x0, self.y0, self.dx, self.dy) = (x0, y0, dx, dy)
        width = imageWidth > x0 ? (imageWidth - x0 + dx - 1) / dx : 0
        height = imageHeight > y0 ? (imageHeight - y0 + dy - 1) / dy : 0
    }
}
