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
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let t = height > 1 ? Double(y) / Double(height - 1) : 0
                let base = (
                    Int(Double(top.0) * (1 - t) + Double(bottom.0) * t),
                    Int(Double(top.1) * (1 - t) + Double(bottom.1) * t),
                    Int(Double(top.2) * (1 - t) + Double(bottom.2) * t)
                )
                for x in 0..<width {
                    var (r, g, b) = base
                    for shape in shapes where x >= shape.x0 && x <= shape.x1 && y >= shape.y0 && y <= shape.y1 {
                        if shape.isCircle {
                            let dx = Double(2 * x - shape.x0 - shape.x1) / Double(max(1, shape.x1 - shape.x0))
                            let dy = Double(2 * y - shape.y0 - shape.y1) / Double(max(1, shape.y1 - shape.y0))
                            if dx * dx + dy * dy > 1 { continue }
                        }
                        (r, g, b) = shape.color
                    }
                    let jitter = grain > 0 ? Int(noise.next() % UInt64(2 * grain + 1)) - grain : 0
                    let index = (y * width + x) * 3
                    out[index] = UInt8(clamping: r + jitter)
                    out[index + 1] = UInt8(clamping: g + jitter)
                    out[index + 2] = UInt8(clamping: b + jitter)
                }
            }
        }
        return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }
}

/// A tiny, fast, seedable generator (SplitMix64), so synthetic images are the same on every machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
