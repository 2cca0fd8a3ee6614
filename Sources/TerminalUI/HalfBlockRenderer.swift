import Imaging

/// Two pixels per cell: the upper half block `▀` coloured with the top pixel, its background with the bottom one.
public enum HalfBlockRenderer {
    /// One string per cell row, each ending with a colour reset; `image` is `columns` wide and twice the rows high.
    public static func render(_ source: PixelImage) -> [String] {
        let image = source.rgb()
        let width = image.width
        var lines: [String] = []
        lines.reserveCapacity((image.height + 1) / 2)
        var y = 0
        while y < image.height {
            var line: [UInt8] = []
            line.reserveCapacity(width * 40)
            var lastTop: (UInt8, UInt8, UInt8)? = nil
            var lastBottom: (UInt8, UInt8, UInt8)? = nil
            for x in 0..<width {
                let top = pixel(image, x, y)
                let bottom = y + 1 < image.height ? pixel(image, x, y + 1) : (0, 0, 0)
                if lastTop.map({ $0 != top }) ?? true {
                    line += Array("\u{1B}[38;2;\(top.0);\(top.1);\(top.2)m".utf8)
                    lastTop = top
                }
                if lastBottom.map({ $0 != bottom }) ?? true {
                    line += Array("\u{1B}[48;2;\(bottom.0);\(bottom.1);\(bottom.2)m".utf8)
                    lastBottom = bottom
                }
                line += [0xE2, 0x96, 0x80]  // ▀
            }
            line += Array("\u{1B}[0m".utf8)
            lines.append(String(decoding: line, as: UTF8.self))
            y += 2
        }
        return lines
    }

    @inline(__always)
    private static func pixel(_ image: PixelImage, _ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let base = (y * image.width + x) * 3
        return (image.pixels[base], image.pixels[base + 1], image.pixels[base + 2])
    }
}
