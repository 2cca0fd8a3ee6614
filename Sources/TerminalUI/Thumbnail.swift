import Imaging

/// A picture ready to write into a box of cells: escape payload (kitty, iTerm2, sixel) or half-block rows.
public struct Thumbnail: Sendable {
    public let mode: ThumbnailMode
    /// Cells the picture covers.
    public let columns: Int
    public let rows: Int
    /// Pixel size of the picture sent (half blocks: one pixel per column, two per row).
    public let pixelWidth: Int
    public let pixelHeight: Int
    /// kitty/iTerm2/sixel: one escape sequence written at the box's top-left cell.
    public let payload: String
    /// Half blocks: one string per cell row.
    public let lines: [String]

    /// The pixel box a picture of `imageWidth`×`imageHeight` gets inside `columns`×`rows` cells (aspect kept).
    public static func fit(
        imageWidth: Int, imageHeight: Int, columns: Int, rows: Int, mode: ThumbnailMode, size: TerminalSize
    ) -> (width: Int, height: Int) {
        let boxWidth = mode == .blocks ? columns : columns * size.cellWidth
        let boxHeight = mode == .blocks ? rows * 2 : rows * size.cellHeight
        let scale = min(Double(boxWidth) / Double(max(imageWidth, 1)), Double(boxHeight) / Double(max(imageHeight, 1)), 1)
        return (max(1, Int((Double(imageWidth) * scale).rounded())), max(1, Int((Double(imageHeight) * scale).rounded())))
    }

    /// Shrinks `image` to fit `columns`×`rows` cells and encodes it for `mode`.
    public static func make(
        _ image: PixelImage, mode: ThumbnailMode, columns: Int, rows: Int, size: TerminalSize
    ) throws(ImagingError) -> Thumbnail {
        let box = fit(imageWidth: image.width, imageHeight: image.height, columns: columns, rows: rows, mode: mode, size: size)
        let small = image.rgb().resized(width: box.width, height: box.height)
        let cellColumns = mode == .blocks ? box.width : (box.width + size.cellWidth - 1) / size.cellWidth
        let cellRows = mode == .blocks ? (box.height + 1) / 2 : (box.height + size.cellHeight - 1) / size.cellHeight
        var payload = ""
        var lines: [String] = []
        switch mode {
        case .kitty: payload = KittyGraphics.encode(png: try ImageEncoder.encodeQuickPNG(small))
        case .iterm: payload = ITermInlineImage.encode(png: try ImageEncoder.encodeQuickPNG(small), width: box.width, height: box.height)
        case .sixel: payload = SixelEncoder.encode(small)
        case .blocks: lines = HalfBlockRenderer.render(small)
        case .none: break
        }
        return Thumbnail(
            mode: mode, columns: cellColumns, rows: cellRows, pixelWidth: box.width, pixelHeight: box.height,
            payload: payload, lines: lines)
    }
}
