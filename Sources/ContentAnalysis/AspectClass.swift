import Configuration

/// The shape of an image as people sort by it: square, portrait, landscape, or the extremes (panoramas, webtoon strips).
public enum AspectClass: String, Codable, CaseIterable, Sendable {
    case square
    case portrait
    case landscape
    /// Width at least `AnalysisThresholds.stripRatio` times the height (panoramas, banners).
    case wide
    /// Height at least `AnalysisThresholds.stripRatio` times the width (webtoon and manhwa strips).
    case tallStrip = "tall-strip"

    /// The class of a `width`×`height` image (both sides as displayed).
    public init(width: Int, height: Int, thresholds: AnalysisThresholds = AnalysisThresholds()) {
        let ratio = Double(max(width, 1)) / Double(max(height, 1))
        if ratio >= thresholds.stripRatio {
            self = .wide
        } else if ratio <= 1 / thresholds.stripRatio {
            self = .tallStrip
        } else if abs(ratio - 1) <= thresholds.squareTolerance {
            self = .square
        } else {
            self = ratio > 1 ? .landscape : .portrait
        }
    }
}
