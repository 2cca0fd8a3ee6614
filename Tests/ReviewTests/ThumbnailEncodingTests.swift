import Foundation
import Imaging
import Testing
@testable import TerminalUI

/// The escape sequences decoded back to pixels, the way a terminal would, and compared with the downscaled source.
@Suite struct ThumbnailEncodingTests {
    static let source = ReviewFixtures.picture(width: 800, height: 600)
    static let size = TerminalSize(columns: 100, rows: 40, cellWidth: 10, cellHeight: 20)

    /// The largest per-channel difference between two images of the same size.
    static func maximumDifference(_ first: PixelImage, _ second: PixelImage) -> Int {
        zip(first.rgb().pixels, second.rgb().pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    @Test func kittySequenceDecodesToTheDownscaledImage() throws {
        let thumbnail = try Thumbnail.make(Self.source, mode: .kitty, columns: 30, rows: 10, size: Self.size)
        // 30×10 cells of 10×20 px is 300×200; the 4:3 picture fits as 267×200.
        #expect((thumbnail.pixelWidth, thumbnail.pixelHeight) == (267, 200))
        var base64 = ""
        var chunks = 0
        var rest = Substring(thumbnail.payload)
        while let start = rest.range(of: "\u{1B}_G"), let end = rest.range(of: "\u{1B}\\", range: start.upperBound..<rest.endIndex) {
            let body = rest[start.upperBound..<end.lowerBound]
            let parts = body.split(separator: ";", maxSplits: 1)
            if chunks == 0 { #expect(parts[0].contains("a=T") && parts[0].contains("f=100")) }
            #expect(parts[1].count <= 4096)
            base64 += parts[1]
            chunks += 1
            rest = rest[end.upperBound...]
        }
        #expect(chunks > 1)
        #expect(thumbnail.payload.hasSuffix("m=0;" + String(base64.suffix(base64.count % 4096 == 0 ? 4096 : base64.count % 4096)) + "\u{1B}\\"))
        let png = try #require(Data(base64Encoded: base64))
        let decoded = try ImageDecoder.decode([UInt8](png), source: "kitty payload")
        #expect((decoded.width, decoded.height) == (267, 200))
        #expect(Self.maximumDifference(decoded, Self.source.resized(width: 267, height: 200)) == 0)
    }

    @Test func itermSequenceDecodesToTheDownscaledImage() throws {
        let thumbnail = try Thumbnail.make(Self.source, mode: .iterm, columns: 30, rows: 10, size: Self.size)
        let payload = thumbnail.payload
        #expect(payload.hasPrefix("\u{1B}]1337;File=inline=1;"))
        #expect(payload.hasSuffix("\u{07}"))
        let arguments = payload.dropFirst("\u{1B}]1337;File=".count).prefix { $0 != ":" }
        #expect(arguments.contains("width=267px;height=200px"))
        let base64 = payload.drop { $0 != ":" }.dropFirst().dropLast()
        let png = try #require(Data(base64Encoded: String(base64)))
        #expect(arguments.contains("size=\(png.count)"))
        let decoded = try ImageDecoder.decode([UInt8](png), source: "iTerm2 payload")
        #expect(Self.maximumDifference(decoded, Self.source.resized(width: 267, height: 200)) == 0)
    }

    @Test func sixelSequenceDecodesToTheDownscaledImageWithinOnePaletteStep() throws {
        let thumbnail = try Thumbnail.make(Self.source, mode: .sixel, columns: 30, rows: 10, size: Self.size)
        let decoded = try SixelDecoder.decode(thumbnail.payload)
        #expect((decoded.width, decoded.height) == (267, 200))
        // The 6×6×6 cube's levels are 51 apart: the nearest level is at most 26 away (plus the 0–100 % rounding).
        #expect(Self.maximumDifference(decoded, Self.source.resized(width: 267, height: 200)) <= 28)
    }

    @Test func halfBlocksCarryTwoPixelsPerCell() throws {
        let thumbnail = try Thumbnail.make(Self.source, mode: .blocks, columns: 40, rows: 40, size: Self.size)
        // 40 columns by 80 half-cell rows: the 4:3 picture fits as 40×30, 15 rows of cells.
        #expect((thumbnail.pixelWidth, thumbnail.pixelHeight) == (40, 30))
        #expect(thumbnail.lines.count == 15)
        let expected = Self.source.resized(width: 40, height: 30)
        let first = thumbnail.lines[0]
        #expect(first.filter { $0 == "▀" }.count == 40)
        let p = expected.pixels
        #expect(first.hasPrefix("\u{1B}[38;2;\(p[0]);\(p[1]);\(p[2])m\u{1B}[48;2;\(p[120]);\(p[121]);\(p[122])m▀"))
    }

    @Test func keysDecodeFromRawBytes() {
        #expect(KeyDecoder.decode(Array("a\u{1B}[C\u{1B}[D\u{1B}OA \u{03}".utf8)) == [.character("a"), .right, .left, .up, .character(" "), .controlC])
        #expect(KeyDecoder.decode([0x1B]) == [.escape])
    }

    @Test func terminalAnswersPickTheProtocol() {
        #expect(ThumbnailMode.parse(queryAnswer: Array("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;22c".utf8)) == .kitty)
        #expect(ThumbnailMode.parse(queryAnswer: Array("\u{1B}[?62;4;22c".utf8)) == .sixel)
        #expect(ThumbnailMode.parse(queryAnswer: Array("\u{1B}[?1;2c".utf8)) == .blocks)
        #expect(ThumbnailMode.guess(environment: ["TMUX": "/tmp/x", "TERM": "screen"]) == .blocks)
        #expect(ThumbnailMode.guess(environment: ["TERM": "xterm-kitty"]) == .kitty)
        #expect(ThumbnailMode.guess(environment: ["TERM_PROGRAM": "iTerm.app", "TERM": "xterm-256color"]) == .iterm)
    }
}

/// Decodes a DCS sixel image the way a terminal does: raster size, palette, bands of six rows, run lengths.
enum SixelDecoder {
    struct Malformed: Error {}

    static func decode(_ sequence: String) throws -> PixelImage {
        let bytes = Array(sequence.utf8)
        guard let q = bytes.firstIndex(of: UInt8(ascii: "q")) else { throw Malformed() }
        var index = q + 1
        func number() -> Int {
            var value = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
            }
            return value
        }
        guard bytes[index] == UInt8(ascii: "\"") else { throw Malformed() }
        index += 1
        _ = number(); index += 1; _ = number(); index += 1
        let width = number(); index += 1
        let height = number()
        var palette = [[UInt8]](repeating: [0, 0, 0], count: 256)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var color = 0, x = 0, band = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "#"):
                index += 1
                color = number()
                if index < bytes.count, bytes[index] == UInt8(ascii: ";") {
                    index += 1; _ = number(); index += 1
                    let r = number(); index += 1
                    let g = number(); index += 1
                    let b = number()
                    palette[color] = [r, g, b].map { UInt8(($0 * 255 + 50) / 100) }
                }
                continue
            case UInt8(ascii: "$"): x = 0
            case UInt8(ascii: "-"): x = 0; band += 1
            case 0x1B: return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
            case UInt8(ascii: "!"):
                index += 1
                let count = number()
                paint(bytes[index], count: count)
            case 63...126: paint(byte, count: 1)
            default: throw Malformed()
            }
            index += 1
        }
        throw Malformed()

        func paint(_ character: UInt8, count: Int) {
            let bits = Int(character) - 63
            for _ in 0..<count {
                for row in 0..<6 where bits & (1 << row) != 0 {
                    let y = band * 6 + row
                    guard y < height, x < width else { continue }
                    let base = (y * width + x) * 3
                    pixels[base] = palette[color][0]; pixels[base + 1] = palette[color][1]; pixels[base + 2] = palette[color][2]
                }
                x += 1
            }
        }
    }
}
