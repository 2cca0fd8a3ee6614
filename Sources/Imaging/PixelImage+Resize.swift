extension PixelImage {
    /// The image resampled to `width`×`height`: area averaging when shrinking, linear interpolation when growing.
    public func resized(width newWidth: Int, height newHeight: Int) -> PixelImage {
        precondition(newWidth > 0 && newHeight > 0, "resize to an empty image")
        if newWidth == width && newHeight == height { return self }
        let channels = layout.channels
        let horizontal = ResampleTaps(from: width, to: newWidth)
        let vertical = ResampleTaps(from: height, to: newHeight)
        let rowLength = newWidth * channels
        // Horizontal pass into a float image, then a vertical pass that accumulates whole rows (contiguous, fast).
        var middle = [Float](repeating: 0, count: rowLength * height)
        var out = [UInt8](repeating: 0, count: rowLength * newHeight)
        var accumulator = [Float](repeating: 0, count: rowLength)
        pixels.withUnsafeBufferPointer { sourceBuffer in
            middle.withUnsafeMutableBufferPointer { middleBuffer in
                horizontal.weights.withUnsafeBufferPointer { weightBuffer in
                let source = sourceBuffer.baseAddress!, target = middleBuffer.baseAddress!
                for y in 0..<height {
                    let inRow = source + y * width * channels
                    let outRow = target + y * rowLength
                    for x in 0..<newWidth {
                        let first = horizontal.first[x], count = horizontal.count[x]
                        let weights = weightBuffer.baseAddress! + x * horizontal.stride
                        for channel in 0..<channels {
                            var sum: Float = 0
                            var pointer = inRow + first * channels + channel
                            for tap in 0..<count {
                                sum += Float(pointer.pointee) * weights[tap]
                                pointer += channels
                            }
                            outRow[x * channels + channel] = sum
                        }
                    }
                }
                }
            }
        }
        middle.withUnsafeBufferPointer { middleBuffer in
            out.withUnsafeMutableBufferPointer { outBuffer in
                accumulator.withUnsafeMutableBufferPointer { accumulatorBuffer in
                    vertical.weights.withUnsafeBufferPointer { weightBuffer in
                    let source = middleBuffer.baseAddress!, target = outBuffer.baseAddress!
                    let sum = accumulatorBuffer.baseAddress!
                    for y in 0..<newHeight {
                        sum.update(repeating: 0, count: rowLength)
                        let weights = weightBuffer.baseAddress! + y * vertical.stride
                        for tap in 0..<vertical.count[y] {
                            let row = source + (vertical.first[y] + tap) * rowLength
                            let weight = weights[tap]
                            for position in 0..<rowLength { sum[position] += row[position] * weight }
                        }
                        let outRow = target + y * rowLength
                        for position in 0..<rowLength { outRow[position] = UInt8(min(max(sum[position] + 0.5, 0), 255)) }
                    }
                    }
                }
            }
        }
        return PixelImage(width: newWidth, height: newHeight, layout: layout, pixels: out)
    }
}

/// For each output position: the first source pixel it reads, how many, and their normalized weights.
struct ResampleTaps {
    var first: [Int] = []
    var count: [Int] = []
    /// `stride` weights per output position, unused slots zero.
    var weights: [Float] = []
    var stride = 2

    init(from source: Int, to target: Int) {
        let scale = Double(source) / Double(target)
        stride = scale >= 1 ? Int(scale.rounded(.up)) + 2 : 2
        weights = [Float](repeating: 0, count: stride * target)
        for position in 0..<target {
            var taps: [(Int, Float)] = []
            if scale >= 1 {
                // Area averaging: each source pixel counts by how much of it the output pixel covers.
                let start = Double(position) * scale, end = start + scale
                var index = Int(start)
                while Double(index) < end && index < source {
                    let covered = min(end, Double(index + 1)) - max(start, Double(index))
                    if covered > 1e-9 { taps.append((index, Float(covered / scale))) }
                    index += 1
                }
            } else {
                let center = max(0, min(Double(source - 1), (Double(position) + 0.5) * scale - 0.5))
                let low = Int(center), high = min(Int(center) + 1, source - 1)
                let fraction = Float(center - Double(low))
                taps = high == low ? [(low, Float(1))] : [(low, 1 - fraction), (high, fraction)]
            }
            first.append(taps[0].0)
            count.append(taps.count)
            for (slot, tap) in taps.enumerated() { weights[position * stride + slot] = tap.1 }
        }
    }
}
