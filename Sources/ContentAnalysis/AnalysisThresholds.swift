import Configuration

/// The cut-offs that turn measured facts into tags: the config's `analyze.thresholds` section, used as is.
public typealias AnalysisThresholds = SluiceConfig.Thresholds
