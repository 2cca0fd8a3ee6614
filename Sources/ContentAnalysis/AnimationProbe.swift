/// Counts the frames of GIF, PNG (APNG) and WebP files from their block and chunk structure, without decoding.
public enum AnimationProbe {
    /// Stop counting here: the answer is "animated" long before, and a hostile file cannot keep us walking.
    public static let frameCountCap = 100_000

    /// What the container says about frames, or nil when the bytes are not a GIF, PNG or WebP.
    public static func probe(_ bytes: [UInt8]) -> Animation? {
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return gif(bytes) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return png(bytes) }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return webp(bytes)
        }
        return nil
    }

    /// A GIF's logical screen size (bytes 6–9, little-endian), or nil when the bytes are not a GIF header.
    public static func gifSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard bytes.count >= 10, bytes.starts(with: Array("GIF".utf8)) else { return nil }
        let width = Int(bytes[6]) | Int(bytes[7]) << 8, height = Int(bytes[8]) | Int(bytes[9]) << 8
        return width > 0 && height > 0 ? (width, height) : nil
    }

    /// Frames as counted; `isComplete` is false when the structure ended early or broke, so the count is a minimum.
    public struct Animation: Equatable, Sendable {
        public var frames: Int
        public var isComplete: Bool
        public var isAnimated: Bool { frames > 1 }
    }

    /// Walks GIF blocks: each image descriptor (0x2C) is a frame; extensions and image data are sub-block chains.
    static func gif(_ bytes: [UInt8]) -> Animation {
        guard bytes.count >= 13 else { return Animation(frames: 0, isComplete: false) }
        var position = 13
        if bytes[10] & 0x80 != 0 { position += 3 << (Int(bytes[10] & 0x07) + 1) }
        var frames = 0
        /// Skips a chain of sub-blocks (length byte, data) up to its zero terminator; false when the bytes end first.
        func skipSubBlocks() -> Bool {
            while position < bytes.count {
                let length = Int(bytes[position])
                position += 1 + length
                if length == 0 { return true }
            }
            return false
        }
        while position < bytes.count, frames < frameCountCap {
            switch bytes[position] {
            case 0x3B:
                return Animation(frames: frames, isComplete: true)
            case 0x21:
                position += 2
                guard skipSubBlocks() else { return Animation(frames: frames, isComplete: false) }
            case 0x2C:
                guard position + 10 <= bytes.count else { return Animation(frames: frames, isComplete: false) }
                let flags = bytes[position + 9]
                position += 10
                if flags & 0x80 != 0 { position += 3 << (Int(flags & 0x07) + 1) }
                position += 1  // LZW minimum code size
                guard skipSubBlocks() else { return Animation(frames: frames + 1, isComplete: false) }
                frames += 1
            default:
                return Animation(frames: frames, isComplete: false)
            }
        }
        return Animation(frames: frames, isComplete: false)
    }

    /// An APNG carries an `acTL` chunk before its image data, with the frame count; a plain PNG is one frame.
    static func png(_ bytes: [UInt8]) -> Animation {
        var position = 8
        while position + 8 <= bytes.count {
            let length = bigEndian32(bytes, position)
            let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
            if type == "acTL", position + 12 <= bytes.count {
                return Animation(frames: min(bigEndian32(bytes, position + 8), frameCountCap), isComplete: true)
            }
            if type == "IDAT" || type == "IEND" { return Animation(frames: 1, isComplete: true) }
            guard length <= bytes.count else { break }
            position += 12 + length
        }
        return Animation(frames: 1, isComplete: false)
    }

    /// A WebP with the VP8X animation flag has one `ANMF` chunk per frame.
    static func webp(_ bytes: [UInt8]) -> Animation {
        guard bytes.count >= 21, String(decoding: bytes[12..<16], as: UTF8.self) == "VP8X", bytes[20] & 0x02 != 0 else {
            return Animation(frames: 1, isComplete: true)
        }
        var frames = 0
        var position = 12
        while position + 8 <= bytes.count, frames < frameCountCap {
            let type = String(decoding: bytes[position..<(position + 4)], as: UTF8.self)
            let length = littleEndian32(bytes, position + 4)
            if type == "ANMF" { frames += 1 }
            guard length <= bytes.count else { return Animation(frames: frames, isComplete: false) }
            position += 8 + length + (length & 1)
        }
        return Animation(frames: frames, isComplete: position == bytes.count)
    }

    private static func bigEndian32(_ bytes: [UInt8], _ at: Int) -> Int {
        (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) }
    }

    private static func littleEndian32(_ bytes: [UInt8], _ at: Int) -> Int {
        (0..<4).reversed().reduce(0) { $0 << 8 | Int(bytes[at + $1]) }
    }
}
