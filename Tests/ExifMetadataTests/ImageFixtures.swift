import CExif
import CImageCodecs
import Foundation

/// One EXIF entry to write into a test block, as raw bytes so tests can also write lying entries.
struct FixtureEntry {
    var ifd: ExifIfd
    var tag: ExifTag
    var format: ExifFormat
    var components: Int
    var bytes: [UInt8]

    static func short(_ tag: ExifTag, _ value: UInt16, ifd: ExifIfd = EXIF_IFD_0, bigEndian: Bool) -> FixtureEntry {
        let bytes = bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
        return FixtureEntry(ifd: ifd, tag: tag, format: EXIF_FORMAT_SHORT, components: 1, bytes: bytes)
    }

    static func long(_ tag: ExifTag, _ value: UInt32, ifd: ExifIfd, bigEndian: Bool) -> FixtureEntry {
        let big = (0..<4).map { UInt8((value >> (8 * (3 - $0))) & 0xFF) }
        return FixtureEntry(ifd: ifd, tag: tag, format: EXIF_FORMAT_LONG, components: 1, bytes: bigEndian ? big : big.reversed())
    }

    static func ascii(_ tag: ExifTag, _ text: String, ifd: ExifIfd = EXIF_IFD_0) -> FixtureEntry {
        let bytes = Array(text.utf8) + [0]
        return FixtureEntry(ifd: ifd, tag: tag, format: EXIF_FORMAT_ASCII, components: bytes.count, bytes: bytes)
    }
}

/// Builds real images for the tests: EXIF blocks through libexif, JPEG through libturbojpeg, WebP through libwebp.
enum ImageFixtures {
    /// An EXIF block (with its `Exif\0\0` header) saved by libexif from `entries`.
    static func exifBlock(_ entries: [FixtureEntry], bigEndian: Bool = false) -> [UInt8] {
        let data = exif_data_new()!
        defer { exif_data_unref(data) }
        exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
        exif_data_set_byte_order(data, bigEndian ? EXIF_BYTE_ORDER_MOTOROLA : EXIF_BYTE_ORDER_INTEL)
        for fixture in entries {
            let entry = exif_entry_new()!
            let storage = malloc(fixture.bytes.count)!.assumingMemoryBound(to: UInt8.self)
            storage.initialize(from: fixture.bytes, count: fixture.bytes.count)
            entry.pointee.tag = fixture.tag
            entry.pointee.format = fixture.format
            entry.pointee.components = UInt(fixture.components)
            entry.pointee.size = UInt32(fixture.bytes.count)
            entry.pointee.data = storage
            exif_content_add_entry(cexif_data_ifd(data, fixture.ifd), entry)
            exif_entry_unref(entry)
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt32 = 0
        exif_data_save_data(data, &output, &size)
        defer { free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    /// A real baseline JPEG (a colour gradient) encoded by libturbojpeg.
    static func jpeg(width: Int = 16, height: Int = 8) -> [UInt8] {
        let pixels = gradient(width: width, height: height)
        let handle = tjInitCompress()!
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = pixels.withUnsafeBufferPointer { buffer in
            tjCompress2(
                handle, buffer.baseAddress, Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue),
                &output, &size, Int32(TJSAMP_444.rawValue), 90, 0)
        }
        precondition(status == 0, "tjCompress2 failed")
        defer { tjFree(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    /// `jpeg` with `exifBlock` spliced in as an APP1 segment right after SOI.
    static func jpeg(withExif block: [UInt8], width: Int = 16, height: Int = 8) -> [UInt8] {
        let plain = jpeg(width: width, height: height)
        let length = block.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + block
        return Array(plain[0..<2]) + segment + Array(plain[2...])
    }

    /// A 1×1 PNG with an `eXIf` chunk holding the bare TIFF data of `block` (PNG stores no `Exif\0\0` header).
    static func png(withExif block: [UInt8]) -> [UInt8] {
        let tiff = Array(block.dropFirst(6))
        let header: [UInt8] = be32(1) + be32(1) + [8, 2, 0, 0, 0]  // 1×1, 8-bit RGB
        let scanline: [UInt8] = [0, 200, 100, 50]  // filter byte + one RGB pixel
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF] + scanline + be32(adler32(scanline))
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + pngChunk("IHDR", header) + pngChunk("eXIf", tiff) + pngChunk("IDAT", idat) + pngChunk("IEND", [])
    }

    /// An extended WebP (VP8X) encoded by libwebp with an `EXIF` chunk holding `block` without its header.
    static func webp(withExif block: [UInt8], width: Int = 8, height: Int = 8) -> [UInt8] {
        let pixels = gradient(width: width, height: height)
        var output: UnsafeMutablePointer<UInt8>?
        let size = pixels.withUnsafeBufferPointer { buffer in
            WebPEncodeRGB(buffer.baseAddress, Int32(width), Int32(height), Int32(width * 3), 90, &output)
        }
        precondition(size > 0, "WebPEncodeRGB failed")
        defer { WebPFree(output) }
        let simple = Array(UnsafeBufferPointer(start: output, count: size))
        let bitstreamChunk = Array(simple[12...])  // the VP8 chunk after "RIFF....WEBP"
        let canvas = le24(width - 1) + le24(height - 1)
        let vp8x = riffChunk("VP8X", [0x08, 0, 0, 0] + canvas)  // flag: has EXIF
        let exif = riffChunk("EXIF", Array(block.dropFirst(6)))
        let body = Array("WEBP".utf8) + vp8x + bitstreamChunk + exif
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    private static func gradient(width: Int, height: Int) -> [UInt8] {
        (0..<(width * height)).flatMap { index -> [UInt8] in
            let x = index % width, y = index / width
            return [UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)), 128]
        }
    }

    private static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return be32(data.count) + typed + be32(crc32(typed))
    }

    private static func riffChunk(_ fourCC: String, _ data: [UInt8]) -> [UInt8] {
        Array(fourCC.utf8) + le32(data.count) + data + (data.count % 2 == 1 ? [0] : [])
    }

    private static func be32<T: BinaryInteger>(_ value: T) -> [UInt8] {
        let v = UInt32(truncatingIfNeeded: value)
        return [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    private static func le32(_ value: Int) -> [UInt8] { be32(value).reversed() }

    private static func le24(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF)] }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }
}
