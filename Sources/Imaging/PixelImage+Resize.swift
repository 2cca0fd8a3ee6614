extension PixelImage {
    /// The image resampled to `width`×`height`: area averaging when shrinking, linear interpolation when growing.
    public func resized(width newWidth: Int, height newHeight: Int) -> PixelImage {
        precondition(newWidth > 0 && newHeight > 0, "resize to an empty image")
        if newWidth == width && newHeight == height { return self }
        let channels = layout.channels
        let horizontal = Self.weights(from: width, to: newWidth)
        let vertical = Self.weights(from: height, to: newHeight)
        // Horizontal pass into floats, then vertical pass into bytes.
        var middle = [Float](repeating: 0, count: newWidth * height * channels)
        pixels.withUnsafeBufferPointer { source in
            middle.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = y * width * channels
                    let outRow = y * newWidth * channels
                    for x in 0..<newWidth {
                        let taps = horizontal[x]
                        for channel in 0..<channels {
                            var sum: Float = 0
                            for tap in taps { sum += Float(source[row + tap.index * channels + channel]) * tap.weight }
                            target[outRow + x * channels + channel] = sum
                        }
                    }
                }
            }
        }
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * channels)
        let rowLength = newWidth * channels
        middle.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<newHeight {
                    let taps = vertical[y]
                    for position in 0..<rowLength {
                        var sum: Float = 0
                        for tap in taps { sum += source[tap.index * rowLength + position] * tap.weight }
                        target[y * rowLength + position] = UInt8(min(max(sum + 0.5, 0), 255))
                    }
                }
            }
        }
        return PixelImage(width: newWidth, height: newHeight, layout: layout, pixels: out)
    }

    /// A source pixel and how much it contributes to one output pixel.
    struct Tap {
        var index: Int
        var weight: Float
    }

    /// For each output position, the source pixels it covers and their normalized weights.
    static func weights(from source: Int, to target: Int) -> [[Tap]] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { position in
            if scale >= 1 {
                let start = Double(position) * scale
                let end = start + scale
                var taps: [Tap] = []
                var index = Int(start)
                while Double(index) < end && index < source {
                    let covered = min(end, Double(index + 1)) - max(start, Double(index))
                    if covered > 1e-9 { taps.append(Tap(index: index, weight: Float(covered / scale))) }
                    index += 1
                }
                return taps
            }
            let center = max(0, min(Double(source - 1), (Double(position) + 0.5) * scale - 0.5))
            let low = Int(center)
            let high = min(low + 1, source - 1)
            let fraction = Float(center - Double(low))
            return high == low ? [Tap(index: low, weight: 1)] : [Tap(index: low, weight: 1 - fraction), Tap(index: high, weight: fraction)]
        }
    }
}
