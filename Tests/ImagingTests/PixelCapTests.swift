import Foundation
import Testing

@testable import Imaging

/// CRC-32 (PNG's polynomial), to keep a patched IHDR chunk valid.
private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func bigEndian(_ value: Int) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

@Suite("Pixel cap")
struct PixelCapTests {
    /// A small valid PNG whose IHDR (with a correct CRC) declares `width`×`height`: what a decompression bomb
    /// looks like before its IDAT is inflated.
    private func pngDeclaring(width: Int, height: Int) throws -> [UInt8] {
        var bytes = try ImageEncoder.encode(PixelImage.pattern(width: 8, height: 8, seed: 1), as: .png)
        bytes.replaceSubrange(16..<20, with: bigEndian(width))
        bytes.replaceSubrange(20..<24, with: bigEndian(height))
        bytes.replaceSubrange(29..<33, with: bigEndian(Int(crc32(bytes[12..<29]))))
        return bytes
    }

    @Test func pngDeclaringThirtyThousandSquaredIsRefusedBeforeDecoding() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("bomb.png", pngDeclaring(width: 30_000, height: 30_000))
        #expect(throws: ImagingError.tooManyPixels(file: path, width: 30_000, height: 30_000, limit: 100_000_000)) {
            try ImageDecoder.decode(path: path)
        }
        #expect(throws: ImagingError.tooManyPixels(file: path, width: 30_000, height: 30_000, limit: 100_000_000)) {
            try PerceptualHash.compute(path: path)
        }
        let message = ImagingError.tooManyPixels(file: path, width: 30_000, height: 30_000, limit: 100_000_000).description
        #expect(message.contains(path) && message.contains("30000x30000") && message.contains("index.max_pixels"))
    }

    @Test(arguments: ImageFormat.allCases)
    func capIsConfigurableForEveryFormat(format: ImageFormat) throws {
        let bytes = try ImageEncoder.encode(PixelImage.pattern(width: 100, height: 50, seed: 2), as: format)
        #expect(throws: ImagingError.tooManyPixels(file: "m", width: 100, height: 50, limit: 4_999)) {
            try ImageDecoder.decode(bytes, source: "m", maxPixels: 4_999)
        }
        let image = try ImageDecoder.decode(bytes, source: "m", maxPixels: 5_000)
        #expect(image.width == 100 && image.height == 50)
    }
}
