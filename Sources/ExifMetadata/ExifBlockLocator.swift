import Foundation

/// Finds the raw EXIF block inside a JPEG (APP1), PNG (`eXIf` chunk) or WebP (`EXIF` chunk), bounds-checked.
///
/// The block is returned with the `Exif\0\0` header libexif expects, whatever the container stored.
enum ExifBlockLocator {
    /// The container is damaged at a byte offset; the caller adds the file name.
    struct Damage: Error, Equatable {
        let detail: String
    }

    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// The EXIF block with its `Exif\0\0` header, nil when the image carries none or is not JPEG, PNG or WebP.
    static func exifBlock(in data: Data) throws(Damage) -> [UInt8]? {
        let bytes = ByteView(data: data)
        if bytes.starts(with: [0xFF, 0xD8]) { return try jpegBlock(bytes) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return try pngBlock(bytes) }
        if bytes.starts(with: Array("RIFF".utf8)), bytes.count >= 12, bytes.slice(8, 4) == Array("WEBP".utf8) {
            return try webpBlock(bytes)
        }
        return nil
    }

    /// Walks JPEG marker segments up to the start of scan, returning the first APP1 that starts with `Exif\0\0`.
    private static func jpegBlock(_ bytes: ByteView) throws(Damage) -> [UInt8]? {
        var offset = 2
        while offset < bytes.count {
            guard bytes[offset] == 0xFF else {
                throw Damage(detail: "JPEG marker expected at byte \(offset)")
            }
            var markerOffset = offset + 1
            while markerOffset < bytes.count, bytes[markerOffset] == 0xFF { markerOffset += 1 }  // fill bytes
            guard markerOffset < bytes.count else { break }
            let marker = bytes[markerOffset]
            offset = markerOffset + 1
            if marker == 0xD9 || marker == 0xDA { return nil }  // end of image, start of scan: no EXIF after here
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }  // markers without a length
            guard offset + 2 <= bytes.count else {
                throw Damage(detail: "JPEG segment length cut off at byte \(offset)")
            }
            let length = Int(bytes.bigEndian16(at: offset))
            guard length >= 2, offset + length <= bytes.count else {
                throw Damage(detail: "JPEG segment at byte \(offset - 2) claims \(length) bytes past the end of the file")
            }
            if marker == 0xE1, length - 2 >= exifHeader.count, bytes.slice(offset + 2, exifHeader.count) == exifHeader {
                return bytes.slice(offset + 2, length - 2)
            }
            offset += length
        }
        return nil
    }

    /// Walks PNG chunks up to IEND, returning the first `eXIf` chunk (raw TIFF data) with the EXIF header added.
    private static func pngBlock(_ bytes: ByteView) throws(Damage) -> [UInt8]? {
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(bytes.bigEndian32(at: offset))
            let type = bytes.slice(offset + 4, 4)
            let dataStart = offset + 8
            guard length <= bytes.count - dataStart else {
                throw Damage(detail: "PNG chunk at byte \(offset) claims \(length) bytes past the end of the file")
            }
            if type == Array("eXIf".utf8) { return withHeader(bytes.slice(dataStart, length)) }
            if type == Array("IEND".utf8) { return nil }
            offset = dataStart + length + 4  // data and CRC
        }
        return nil
    }

    /// Walks RIFF chunks of a WebP file, returning the `EXIF` chunk with the EXIF header added if it lacks one.
    private static func webpBlock(_ bytes: ByteView) throws(Damage) -> [UInt8]? {
        let riffEnd = min(bytes.count, 8 + Int(bytes.littleEndian32(at: 4)))
        var offset = 12
        while offset + 8 <= riffEnd {
            let fourCC = bytes.slice(offset, 4)
            let length = Int(bytes.littleEndian32(at: offset + 4))
            let dataStart = offset + 8
            guard length <= riffEnd - dataStart else {
                throw Damage(detail: "WebP chunk at byte \(offset) claims \(length) bytes past the end of the file")
            }
            if fourCC == Array("EXIF".utf8) { return withHeader(bytes.slice(dataStart, length)) }
            offset = dataStart + length + (length & 1)  // chunks are padded to an even size
        }
        return nil
    }

    /// Some writers store the `Exif\0\0` header in PNG/WebP chunks and some store bare TIFF data.
    private static func withHeader(_ block: [UInt8]) -> [UInt8] {
        block.starts(with: exifHeader) ? block : exifHeader + block
    }
}

/// Bounds-checked, zero-based reads from `Data` (whose own indices need not start at zero).
private struct ByteView {
    let data: Data

    var count: Int { data.count }

    subscript(offset: Int) -> UInt8 { data[data.startIndex + offset] }

    func starts(with prefix: [UInt8]) -> Bool {
        count >= prefix.count && slice(0, prefix.count) == prefix
    }

    /// `length` bytes from `offset`, clipped to the end of the data.
    func slice(_ offset: Int, _ length: Int) -> [UInt8] {
        let start = data.startIndex + min(offset, count)
        let end = data.startIndex + min(offset + length, count)
        return [UInt8](data[start..<end])
    }

    func bigEndian16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    func bigEndian32(at offset: Int) -> UInt32 {
        guard offset + 4 <= count else { return 0 }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(self[offset + $1]) }
    }

    func littleEndian32(at offset: Int) -> UInt32 {
        guard offset + 4 <= count else { return 0 }
        return (0..<4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32(self[offset + $1]) }
    }
}
