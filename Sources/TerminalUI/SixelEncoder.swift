import Imaging

/// DEC sixel graphics: pixels quantized to a fixed 6×6×6 colour cube, written in bands of six rows with run lengths.
public enum SixelEncoder {
    /// The 216 palette levels per channel, 0–255.
    static let levels: [Int] = [0, 51, 102, 153, 204, 255]

    /// The palette index of an RGB pixel (the nearest cube corner).
    @inline(__always)
    static func index(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Int {
        ((Int(red) + 25) / 51) * 36 + ((Int(green) + 25) / 51) * 6 + (Int(blue) + 25) / 51
    }

    public static func encode(_ source: PixelImage) -> String {
        let image = source.rgb()
        let width = image.width, height = image.height
        var indices = [UInt8](repeating: 0, count: width * height)
        image.pixels.withUnsafeBufferPointer { pixels in
            for pixel in 0..<width * height {
                indices[pixel] = UInt8(index(pixels[pixel * 3], pixels[pixel * 3 + 1], pixels[pixel * 3 + 2]))
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(width * height)
        out += Array("\u{1B}P0;1;0q\"1;1;\(width);\(height)".utf8)
        for color in 0..<216 {
            let red = levels[color / 36] * 100 / 255, green = levels[color / 6 % 6] * 100 / 255, blue = levels[color % 6] * 100 / 255
            out += Array("#\(color);2;\(red);\(green);\(blue)".utf8)
        }
        // One bit row per colour, filled in a single pass over the band (not one pass per colour used).
        var planes = [UInt8](repeating: 0, count: 216 * width)
        var used = [Bool](repeating: false, count: 216)
        var bandTop = 0
        planes.withUnsafeMutableBufferPointer { planeBuffer in
            let plane = planeBuffer.baseAddress!
            while bandTop < height {
                let bandRows = min(6, height - bandTop)
                for row in 0..<bandRows {
                    let base = (bandTop + row) * width
                    let bit = UInt8(1 << row)
                    for x in 0..<width {
                        let color = Int(indices[base + x])
                        plane[color * width + x] |= bit
                        used[color] = true
                    }
                }
                var firstColor = true
                for color in 0..<216 where used[color] {
                    if !firstColor { out.append(UInt8(ascii: "$")) }
                    firstColor = false
                    out += Array("#\(color)".utf8)
                    let bits = UnsafeMutableBufferPointer(start: plane + color * width, count: width)
                    appendRuns(UnsafeBufferPointer(bits), to: &out)
                    bits.update(repeating: 0)
                    used[color] = false
                }
                out.append(UInt8(ascii: "-"))
                bandTop += 6
            }
        }
        out += [0x1B, UInt8(ascii: "\\")]
        return String(decoding: out, as: UTF8.self)
    }

    /// One colour's sixel row, repeated characters as `!<count><char>`.
    private static func appendRuns(_ bits: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var x = 0
        while x < bits.count {
            let value = bits[x]
            var run = 1
            while x + run < bits.count, bits[x + run] == value { run += 1 }
            let character = 63 + value
            if run > 3 {
                out.append(UInt8(ascii: "!"))
                out += Array(String(run).utf8)
                out.append(character)
            } else {
                for _ in 0..<run { out.append(character) }
            }
            x += run
        }
    }
}
