import Foundation

/// The three formats Sluice reads and writes.
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case jpeg
    case png
    case webp

    /// The usual file extension (CivitAI returns `.jpeg` as `.jpg`).
    public var fileExtension: String {
        switch self {
        case .jpeg: return "jpg"
        case .png: return "png"
        case .webp: return "webp"
        }
    }

    /// The format whose magic bytes start `bytes`, if any.
    public static func sniff(_ bytes: some Collection<UInt8>) -> ImageFormat? {
        let head = Array(bytes.prefix(16))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        return nil
    }
}

/// An image's format and stored dimensions, read from its header without decoding pixels.
public struct ImageHeader: Sendable, Equatable {
    public let format: ImageFormat
    public let width: Int
    public let height: Int

    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    /// Width and height as displayed: EXIF orientations 5–8 turn the image a quarter, swapping the stored sides.
    public func uprightSize(orientation: Int) -> (width: Int, height: Int) {
        (5...8).contains(orientation) ? (height, width) : (width, height)
    }

    /// Reads only as much of the file as the header needs (JPEG segments are skipped by seeking).
    public static func read(path: String) throws(ImagingError) -> ImageHeader {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(file: path, detail: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let head: [UInt8]
        do {
            head = Array(try handle.read(upToCount: 64 << 10) ?? Data())
        } catch {
            throw .unreadable(file: path, detail: "\(error.localizedDescription)")
        }
        guard let format = ImageFormat.sniff(head) else { throw .unknownFormat(file: path) }
        switch format {
        case .png:
            return try parsePNG(head, path: path)
        case .webp:
            return try parseWebP(head, path: path)
        case .jpeg:
            if let header = try parseJPEG(head, path: path, allowMore: true) { return header }
            // The frame header lies beyond the first 64 KiB (large EXIF or ICC segments): read the rest.
            let rest: Data
            do {
                try handle.seek(toOffset: 0)
                rest = try handle.readToEnd() ?? Data()
            } catch {
                throw .unreadable(file: path, detail: "\(error.localizedDescription)")
            }
            guard let header = try parseJPEG(Array(rest), path: path, allowMore: false) else {
                throw .corrupt(file: path, detail: "no JPEG frame header")
            }
            return header
        }
    }

    /// Parses a header from bytes already in memory (`source` names them in errors).
    public static func parse(_ bytes: [UInt8], source: String) throws(ImagingError) -> ImageHeader {
        switch ImageFormat.sniff(bytes) {
        case .png: return try parsePNG(bytes, path: source)
        case .webp: return try parseWebP(bytes, path: source)
        case .jpeg:
            guard let header = try parseJPEG(bytes, path: source, allowMore: false) else {
                throw .corrupt(file: source, detail: "no JPEG frame header")
            }
            return header
        case nil: throw .unknownFormat(file: source)
        }
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int {
        (0..<count).reduce(0) { $0 << 8 | Int(bytes[at + $1]) }
    }

    private static func littleEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int {
        (0..<count).reversed().reduce(0) { $0 << 8 | Int(bytes[at + $1]) }
    }

    private static func checked(_ format: ImageFormat, _ width: Int, _ height: Int, _ path: String) throws(ImagingError)
        -> ImageHeader
    {
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16 else {
            throw .corrupt(file: path, detail: "impossible dimensions \(width)x\(height)")
        }
        return ImageHeader(format: format, width: width, height: height)
    }

    private static func parsePNG(_ bytes: [UInt8], path: String) throws(ImagingError) -> ImageHeader {
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw .corrupt(file: path, detail: "PNG without an IHDR chunk")
        }
        return try checked(.png, bigEndian(bytes, 16, 4), bigEndian(bytes, 20, 4), path)
    }

    private static func parseWebP(_ bytes: [UInt8], path: String) throws(ImagingError) -> ImageHeader {
        guard bytes.count >= 30 else { throw .corrupt(file: path, detail: "WebP header cut short") }
        let chunk = String(decoding: bytes[12..<16], as: UTF8.self)
        switch chunk {
        case "VP8 ":
            guard bytes[23] == 0x9D, bytes[24] == 0x01, bytes[25] == 0x2A else {
                throw .corrupt(file: path, detail: "VP8 frame without its start code")
            }
            return try checked(.webp, littleEndian(bytes, 26, 2) & 0x3FFF, littleEndian(bytes, 28, 2) & 0x3FFF, path)
        case "VP8L":
            guard bytes[20] == 0x2F else { throw .corrupt(file: path, detail: "VP8L without its signature") }
            let bits = littleEndian(bytes, 21, 4)
            return try checked(.webp, bits & 0x3FFF + 1, (bits >> 14) & 0x3FFF + 1, path)
        case "VP8X":
            return try checked(.webp, littleEndian(bytes, 24, 3) + 1, littleEndian(bytes, 27, 3) + 1, path)
        default:
            throw .corrupt(file: path, detail: "unknown WebP chunk \"\(chunk)\"")
        }
    }

    /// Walks JPEG segments to the first frame header; nil when the bytes end first and `allowMore` says more exist.
    private static func parseJPEG(_ bytes: [UInt8], path: String, allowMore: Bool) throws(ImagingError) -> ImageHeader? {
        var position = 2
        while true {
            while position < bytes.count, bytes[position] == 0xFF, position + 1 < bytes.count, bytes[position + 1] == 0xFF {
                position += 1
            }
            guard position + 4 <= bytes.count else {
                if allowMore { return nil }
                throw .corrupt(file: path, detail: "JPEG ends before its frame header")
            }
            guard bytes[position] == 0xFF else { throw .corrupt(file: path, detail: "JPEG marker expected at byte \(position)") }
            let marker = bytes[position + 1]
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 {
                position += 2
                continue
            }
            if marker == 0xD9 || marker == 0xDA { throw .corrupt(file: path, detail: "JPEG has no frame header") }
            let length = bigEndian(bytes, position + 2, 2)
            guard length >= 2 else { throw .corrupt(file: path, detail: "JPEG segment with length \(length)") }
            let isFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame {
                guard position + 9 <= bytes.count else {
                    if allowMore { return nil }
                    throw .corrupt(file: path, detail: "JPEG frame header cut short")
                }
                return try checked(.jpeg, bigEndian(bytes, position + 7, 2), bigEndian(bytes, position + 5, 2), path)
            }
            position += 2 + length
        }
    }
}
