/// How the bytes of a pixel are laid out.
public enum PixelLayout: Int, Sendable {
    case gray = 1
    case rgb = 3
    case rgba = 4

    public var channels: Int { rawValue }
}

/// 8-bit pixels in rows, top to bottom, without padding.
public struct PixelImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let layout: PixelLayout
    public var pixels: [UInt8]

    public init(width: Int, height: Int, layout: PixelLayout, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * layout.channels, "pixel count mismatch")
        self.width = width
        self.height = height
        self.layout = layout
        self.pixels = pixels
    }

    /// The image as luma (ITU-R 601: 299/587/114, as Pillow's `convert("L")`); alpha is dropped.
    public func grayscale() -> PixelImage {
        guard layout != .gray else { return self }
        let channels = layout.channels
        var gray = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { source in
            gray.withUnsafeMutableBufferPointer { target in
                for index in 0..<target.count {
                    let base = index * channels
                    let luma = UInt32(source[base]) * 19595 + UInt32(source[base + 1]) * 38470
                        + UInt32(source[base + 2]) * 7471 + 0x8000
                    target[index] = UInt8(luma >> 16)
                }
            }
        }
        return PixelImage(width: width, height: height, layout: .gray, pixels: gray)
    }

    /// The image as RGB: gray is spread to three channels, alpha is dropped.
    public func rgb() -> PixelImage {
        switch layout {
        case .rgb: return self
        case .gray:
            var out = [UInt8](repeating: 0, count: width * height * 3)
            for index in 0..<width * height {
                let value = pixels[index]
                out[index * 3] = value
                out[index * 3 + 1] = value
                out[index * 3 + 2] = value
            }
            return PixelImage(width: width, height: height, layout: .rgb, pixels: out)
        case .rgba:
            var out = [UInt8](repeating: 0, count: width * height * 3)
            for index in 0..<width * height {
                out[index * 3] = pixels[index * 4]
                out[index * 3 + 1] = pixels[index * 4 + 1]
                out[index * 3 + 2] = pixels[index * 4 + 2]
            }
            return PixelImage(width: width, height: height, layout: .rgb, pixels: out)
        }
    }
}
