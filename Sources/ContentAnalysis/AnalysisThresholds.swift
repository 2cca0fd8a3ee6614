/// The cut-offs that turn measured facts into tags; `analyze.*` in the config can change them.
public struct AnalysisThresholds: Codable, Equatable, Sendable {
    /// |width/height − 1| at or under this is square.
    public var squareTolerance = 0.1
    /// A side this many times the other makes a wide image or a tall strip.
    public var stripRatio = 2.5
    /// A pixel whose channels differ by at most this much counts as grey (lossy codecs add a little colour noise).
    public var greyTolerance = 12
    /// The share of grey pixels at or over which an image is greyscale.
    public var greyscaleShare = 0.99
    /// Hue concentration (0–1) at or over which a coloured image is monochrome: one tint throughout (sepia).
    public var monochromeHueConcentration = 0.9
    /// Hasler–Süsstrunk colourfulness at or over which an image is tagged colorful ("quite colourful" starts at 59).
    public var colorfulAt = 59.0
    /// Mean brightness (0–1) under which an image is dark, and over which it is bright.
    public var darkBelow = 0.2
    public var brightAbove = 0.8
    /// Photo signal (0–1) at or over which an image is tagged a photo, and at or under which a drawing.
    public var photoAt = 0.7
    public var drawingAt = 0.3

    public init() {}
}
