import Foundation

/// Step A's look at one image: format and dimensions from the header (decoders replace this once Imaging lands).
public enum ImageInspection {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func facts(ofImageAt path: String) throws -> ImageFacts {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "\(path): cannot open") }
        defer { try? handle.close() }
        let bytes = [UInt8](handle.readData(ofLength: 64 * 1024))
        if bytes.count >= 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            return ImageFacts(width: be32(bytes, 16), height: be32(bytes, 20), format: "png", perceptualHash: nil)
        }
        if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 {
            var index = 2
            while index + 9 < bytes.count {
                guard bytes[index] == 0xFF else { break }
                let marker = bytes[index + 1]
                let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                    let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
                    let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
                    return ImageFacts(width: width, height: height, format: "jpeg", perceptualHash: nil)
                }
                index += 2 + length
            }
        }
        throw Failure(description: "\(path): not a readable JPEG, PNG or WebP image")
    }

    private static func be32(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }
}
