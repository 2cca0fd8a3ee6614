/// Shrinks luma by area averaging while rows stream in (in any order, as Adam7 passes deliver them): each output
/// pixel is the mean of the source area it covers, pixels on a cell boundary split by how much of them falls on each
/// side. The same filter `PixelImage.resized` applies, so a hash of the small image matches one of the full image.
struct LumaAreaAverager {
    let sourceWidth: Int
    let sourceHeight: Int
    let width: Int
    let height: Int
    /// Weights are in 1/256ths of a pixel per axis.
    private static let unit: UInt64 = 256
    /// For the current row layout, per output column: the pixels wholly inside it (`runStart..<runEnd`), and the
    /// pixel it shares with the next column (-1 when none) with the share (of 256) that falls in this one.
    private var runStart: [Int32]
    private var runEnd: [Int32]
    private var split: [Int32]
    private var splitShare: [UInt16]
    /// One source row's column sums, luma × 256 (one spare slot for a last boundary).
    private var rowSums: [UInt64]
    /// Sums per output pixel, luma × 256² (one spare row for a last boundary).
    private var sums: [UInt64]

    /// The output size for shrinking `width`×`height` until its shorter side is `minimumSide` (both sides rounded up),
    /// as libwebp's scaled decoding sizes it; the source size when it is already that small.
    static func size(width: Int, height: Int, minimumSide: Int) -> (width: Int, height: Int) {
        let shortSide = min(width, height)
        guard shortSide > minimumSide, minimumSide > 0 else { return (width, height) }
        return ((width * minimumSide + shortSide - 1) / shortSide, (height * minimumSide + shortSide - 1) / shortSide)
    }

    init(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        precondition(width >= 1 && height >= 1 && width <= sourceWidth && height <= sourceHeight, "area averaging only shrinks")
        (self.sourceWidth, self.sourceHeight, self.width, self.height) = (sourceWidth, sourceHeight, width, height)
        runStart = [Int32](repeating: 0, count: width)
        runEnd = [Int32](repeating: 0, count: width)
        split = [Int32](repeating: -1, count: width)
        splitShare = [UInt16](repeating: 0, count: width)
        rowSums = [UInt64](repeating: 0, count: width + 1)
        sums = [UInt64](repeating: 0, count: (height + 1) * width)
    }

    /// Sets the layout of the rows that follow: `count` pixels at columns `x0`, `x0 + dx`, …
    mutating func setRowLayout(x0: Int, dx: Int, count: Int) {
        let cellWidth = Double(sourceWidth) / Double(width)
        for column in 0..<width { (runStart[column], runEnd[column], split[column]) = (-1, -1, -1) }
        // Pixels go left to right, so each column's whole pixels are consecutive.
        for i in 0..<count {
            let x = x0 + i * dx
            let column = min(width - 1, Int(Double(x) / cellWidth))
            let boundary = Double(column + 1) * cellWidth
            let share = Double(x + 1) <= boundary ? Self.unit : UInt64((Double(Self.unit) * (boundary - Double(x))).rounded())
            if share == Self.unit {
                if runStart[column] < 0 { runStart[column] = Int32(i) }
                runEnd[column] = Int32(i + 1)
            } else {
                (split[column], splitShare[column]) = (Int32(i), UInt16(share))
            }
        }
        for column in 0..<width where runStart[column] < 0 { (runStart[column], runEnd[column]) = (0, 0) }
    }

    /// Adds one row of luma bytes (laid out as the last `setRowLayout` said) lying at source row `y`.
    mutating func add(luma: UnsafePointer<UInt8>, y: Int) {
        accumulate(y: y) { start, end in
            var total: UInt32 = 0
            for i in start..<end { total &+= UInt32(luma[i]) }
            return UInt64(total)
        } pixel: { UInt64(luma[$0]) }
    }

    /// Adds one row of 8-bit RGB at the start of each `stride`-byte pixel: runs sum each channel and take the
    /// sums' luma, a multiply per run instead of three per pixel.
    mutating func add(rgb row: UnsafePointer<UInt8>, stride: Int, y: Int) {
        accumulate(y: y) { start, end in
            var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
            var pixel = row + start * stride
            for _ in start..<end {
                r &+= UInt32(pixel[0])
                g &+= UInt32(pixel[1])
                b &+= UInt32(pixel[2])
                pixel += stride
            }
            return (UInt64(r) * 19595 + UInt64(g) * 38470 + UInt64(b) * 7471 + 0x8000) >> 16
        } pixel: { i in
            let pixel = row + i * stride
            return UInt64(PNGScanlines.lumaOf(pixel[0], pixel[1], pixel[2]))
        }
    }

    /// Sums each column's run (`run`) and shared pixel (`pixel`) into the row sums, then spreads the row over the
    /// one or two output rows it covers.
    @inline(__always)
    private mutating func accumulate(y: Int, run: (Int, Int) -> UInt64, pixel: (Int) -> UInt64) {
        let cellHeight = Double(sourceHeight) / Double(height)
        let row = min(height - 1, Int(Double(y) / cellHeight))
        let boundary = Double(row + 1) * cellHeight
        let upper = Double(y + 1) <= boundary ? Self.unit : UInt64((Double(Self.unit) * (boundary - Double(y))).rounded())
        let width = width
        for column in 0..<width { rowSums[column] = 0 }
        rowSums[width] = 0
        for column in 0..<width {
            rowSums[column] &+= run(Int(runStart[column]), Int(runEnd[column])) &* Self.unit
            let shared = Int(split[column])
            if shared >= 0 {
                let value = pixel(shared), share = UInt64(splitShare[column])
                rowSums[column] &+= value &* share
                rowSums[column + 1] &+= value &* (Self.unit &- share)
            }
        }
        let top = row * width, below = top + width
        for column in 0..<width {
            sums[top + column] &+= rowSums[column] &* upper
            sums[below + column] &+= rowSums[column] &* (Self.unit &- upper)
        }
    }

    /// The averaged image.
    func image() -> PixelImage {
        let area = Double(sourceWidth) * Double(sourceHeight) / Double(width * height) * Double(Self.unit * Self.unit)
        let pixels = (0..<(width * height)).map { UInt8(min(255, (Double(sums[$0]) / area).rounded())) }
        return PixelImage(width: width, height: height, layout: .gray, pixels: pixels)
    }
}
