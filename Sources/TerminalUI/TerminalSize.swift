/// The terminal's size in cells and, when the terminal reports it, in pixels.
public struct TerminalSize: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    /// One cell's size in pixels (8×16 when the terminal does not say).
    public var cellWidth: Int
    public var cellHeight: Int

    public init(columns: Int, rows: Int, cellWidth: Int = 8, cellHeight: Int = 16) {
        self.columns = columns
        self.rows = rows
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }
}
