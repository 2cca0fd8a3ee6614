import Configuration

extension AnalysisThresholds {
    /// The thresholds `analyze.thresholds` sets.
    public init(_ config: SluiceConfig.Thresholds) {
        self.init()
        squareTolerance = config.squareTolerance
        stripRatio = config.stripRatio
        monochromeHueConcentration = config.monochromeHueConcentration
        colorfulAt = config.colorfulAt
        darkBelow = config.darkBelow
        brightAbove = config.brightAbove
        photoAt = config.photoAt
        drawingAt = config.drawingAt
    }
}
