extension PixelImage {
    /// A deterministic synthetic picture (gradient, flat shapes, fine grain), distinct for each seed.
    ///
    /// Tests, benchmarks and example generators use it to make real images with the project's own encoders;
    /// different seeds give perceptually different pictures, the grain gives lossy codecs realistic work.
    public static func pattern(width: Int, height: Int, seed: UInt64, grain: Int = 6) -> PixelImage {
        var random = SplitMix64(seed: seed)
        func color() -> (Int, Int, Int) {
            (Int(random.next() % 256), Int(random.next() % 256), Int(random.next() % 256))
        }
        let top = color(), bottom = color()
        struct Shape {
            var isCircle: Bool
            var x0, y0, x1, y1: Int
            var color: (Int, Int, Int)
        }
        let shapes: [Shape] = (0..<(6 + Int(random.next() % 7))).map { _ in
            let cx = Int(random.next() % UInt64(width)), cy = Int(random.next() % UInt64(height))
            let rx = width / 12 + Int(random.next() % UInt64(max(1, width / 4)))
            let ry = height / 12 + Int(random.next() % UInt64(max(1, height / 4)))
            return Shape(isCircle: random.next() % 2 == 0, x0: cx - rx, y0: cy - ry, x1: cx + rx, y1: cy + ry, color: color())
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var noise = SplitMix64(seed: seed ^ 0xA5A5_A5A5)
        var row = [Int](repeating: 0, count: width * 3)
        pixels.withUnsafeMutableBufferPointer { outBuffer in
            row.withUnsafeMutableBufferPointer { rowBuffer in
                let out = outBuffer.baseAddress!, line = rowBuffer.baseAddress!
                for y in 0..<height {
                    let t = height > 1 ? Double(y) / Double(height - 1) : 0
                    let base = [top.0, top.1, top.2].enumerated().map { channel, start in
                        Int(Double(start) * (1 - t) + Double([bottom.0, bottom.1, bottom.2][channel]) * t)
                    }
                    for x in 0..<width {
                        line[x * 3] = base[0]
                        line[x * 3 + 1] = base[1]
                        line[x * 3 + 2] = base[2]
                    }
                    // Paint each shape's span on this row, later shapes over earlier ones.
                    for shape in shapes where y >= shape.y0 && y <= shape.y1 {
                        var from = shape.x0, to = shape.x1
                        if shape.isCircle {
                            let dy = Double(2 * y - shape.y0 - shape.y1) / Double(max(1, shape.y1 - shape.y0))
                            let half = (1 - dy * dy).squareRoot() * Double(shape.x1 - shape.x0) / 2
                            let center = Double(shape.x0 + shape.x1) / 2
                            from = Int((center - half).rounded(.up))
                            to = Int((center + half).rounded(.down))
                        }
                        from = max(from, 0)
                        to = min(to, width - 1)
                        guard from <= to else { continue }
                        for x in from...to {
                            line[x * 3] = shape.color.0
                            line[x * 3 + 1] = shape.color.1
                            line[x * 3 + 2] = shape.color.2
                        }
                    }
                    let target = out + y * width * 3
                    for x in 0..<width {
                        let jitter = grain > 0 ? Int(noise.next() % UInt64(2 * grain + 1)) - grain : 0
                        target[x * 3] = UInt8(clamping: line[x * 3] + jitter)
                        target[x * 3 + 1] = UInt8(clamping: line[x * 3 + 1] + jitter)
                        target[x * 3 + 2] = UInt8(clamping: line[x * 3 + 2] + jitter)
                    }
                }
            }
        }
        return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }
}

/// A tiny, fast, seedable generator (SplitMix64), so synthetic images (and test shuffles) are the same on every machine.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
