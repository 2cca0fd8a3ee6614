/// Reverses PNG row filters (spec §9) in place. RGB and RGBA rows go a pixel at a time in SIMD lanes, as libpng's
/// SSE2 `png_read_filter_row_paeth3/4` do: the left pixel stays in a register and all channels are predicted at once.
enum PNGUnfilter {
    /// Unfilters one row in place; false for an unknown filter type.
    /// - Parameters:
    ///   - row: the row's bytes after its filter byte; must be readable 4 bytes past `count`.
    ///   - up: the row above, already unfiltered (zeros for the first row of a pass); readable 4 bytes past `count`.
    ///   - stride: bytes per pixel, at least 1 (`PNGChunks.filterStride`).
    @inline(__always)
    static func row(
        _ row: UnsafeMutablePointer<UInt8>, up: UnsafePointer<UInt8>, filter: UInt8, count: Int, stride: Int
    ) -> Bool {
        switch filter {
        case 0:
            return true
        case 2:
            for i in 0..<count { row[i] &+= up[i] }
            return true
        case 1, 3, 4:
            if stride == 3 {
                pixels(row, up: up, filter: filter, count: count, stride: 3)
            } else if stride == 4 {
                pixels(row, up: up, filter: filter, count: count, stride: 4)
            } else {
                bytes(row, up: up, filter: filter, count: count, stride: stride)
            }
            return true
        default:
            return false
        }
    }

    typealias Lanes = SIMD4<Int16>

    /// Sub, Average or Paeth over 3- or 4-byte pixels, one pixel per step in 16-bit lanes. A 3-byte pixel is read
    /// and written as 4 bytes whose last lane carries the next pixel's (still filtered) first byte through unchanged.
    @inline(__always)
    private static func pixels(
        _ row: UnsafeMutablePointer<UInt8>, up: UnsafePointer<UInt8>, filter: UInt8, count: Int, stride: Int
    ) {
        let keep: SIMDMask<SIMD4<Int8>> = stride == 3 ? [false, false, false, true] : [false, false, false, false]
        let rawRow = UnsafeMutableRawPointer(row), rawUp = UnsafeRawPointer(up)
        var left = Lanes.zero, upLeft = Lanes.zero
        var offset = 0
        // One loop per filter: the switch stays out of the per-pixel path.
        switch filter {
        case 1:
            while offset < count {
                let bytes = rawRow.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self)
                left = (Lanes(truncatingIfNeeded: bytes) &+ left) & 0xFF
                store(left, keeping: bytes, where: keep, at: rawRow + offset)
                offset &+= stride
            }
        case 3:
            while offset < count {
                let bytes = rawRow.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self)
                let above = Lanes(truncatingIfNeeded: rawUp.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self))
                left = (Lanes(truncatingIfNeeded: bytes) &+ ((left &+ above) &>> 1)) & 0xFF
                store(left, keeping: bytes, where: keep, at: rawRow + offset)
                offset &+= stride
            }
        default:
            while offset < count {
                let bytes = rawRow.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self)
                let above = Lanes(truncatingIfNeeded: rawUp.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt8>.self))
                left = (Lanes(truncatingIfNeeded: bytes) &+ paeth(left: left, above: above, upLeft: upLeft)) & 0xFF
                upLeft = above
                store(left, keeping: bytes, where: keep, at: rawRow + offset)
                offset &+= stride
            }
        }
    }

    @inline(__always)
    private static func store(
        _ value: Lanes, keeping original: SIMD4<UInt8>, where keep: SIMDMask<SIMD4<Int8>>, at target: UnsafeMutableRawPointer
    ) {
        let narrowed = SIMD4<UInt8>(truncatingIfNeeded: value).replacing(with: original, where: keep)
        target.storeBytes(of: narrowed, as: SIMD4<UInt8>.self)
    }

    /// The Paeth predictor on every lane at once (spec §9.4): the neighbour nearest to left + above − upper-left,
    /// ties going to left, then above.
    @inline(__always)
    private static func paeth(left: Lanes, above: Lanes, upLeft: Lanes) -> Lanes {
        let towardAbove = above &- upLeft, towardLeft = left &- upLeft
        let distanceLeft = magnitude(towardAbove), distanceAbove = magnitude(towardLeft)
        let distanceUpLeft = magnitude(towardAbove &+ towardLeft)
        let aboveOrUpLeft = upLeft.replacing(with: above, where: distanceAbove .<= distanceUpLeft)
        return aboveOrUpLeft.replacing(
            with: left, where: (distanceLeft .<= distanceAbove) .& (distanceLeft .<= distanceUpLeft))
    }

    @inline(__always)
    private static func magnitude(_ lanes: Lanes) -> Lanes { lanes.replacing(with: 0 &- lanes, where: lanes .< 0) }

    /// Sub, Average or Paeth a byte at a time, for 1-, 2-, 6- and 8-byte pixels (gray, gray+alpha, 16-bit).
    @inline(__always)
    private static func bytes(
        _ row: UnsafeMutablePointer<UInt8>, up: UnsafePointer<UInt8>, filter: UInt8, count: Int, stride: Int
    ) {
        let head = min(stride, count)
        switch filter {
        case 1:
            for i in stride..<max(stride, count) { row[i] &+= row[i - stride] }
        case 3:
            for i in 0..<head { row[i] &+= up[i] >> 1 }
            for i in stride..<max(stride, count) { row[i] &+= UInt8((Int(row[i - stride]) + Int(up[i])) >> 1) }
        default:
            for i in 0..<head { row[i] &+= up[i] }
            for i in stride..<max(stride, count) {
                row[i] &+= UInt8(truncatingIfNeeded: paeth(Int(row[i - stride]), Int(up[i]), Int(up[i - stride])))
            }
        }
    }

    /// The Paeth predictor on one byte, without branches: noisy rows make the spec's if/else chain mispredict.
    @inline(__always)
    private static func paeth(_ left: Int, _ above: Int, _ upLeft: Int) -> Int {
        let toLeft = abs(above - upLeft), toUp = abs(left - upLeft), toUpLeft = abs(left + above - 2 * upLeft)
        let aboveOrUpLeft = toUp <= toUpLeft ? above : upLeft
        return toLeft <= min(toUp, toUpLeft) ? left : aboveOrUpLeft
    }
}
