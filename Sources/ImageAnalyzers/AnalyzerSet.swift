import Configuration
import ContentAnalysis

/// The analyzers of one run (`analyze.analyzers`), each a long-lived process, asked in order about every image.
public struct AnalyzerSet: Sendable {
    public let processes: [AnalyzerProcess]
    /// Tags under this confidence are dropped from answers.
    public let minimumConfidence: Double

    public init(_ commands: [AnalyzerCommand], minimumConfidence: Double = 0) {
        processes = commands.map(AnalyzerProcess.init)
        self.minimumConfidence = minimumConfidence
    }

    /// The analyzers the config names, with its timeouts and restart limit; `workingDirectory` is where relative
    /// paths in the commands are resolved (the root, or the checkout for the shipped analyzers).
    public init(config: SluiceConfig.AnalyzeSection, workingDirectory: String? = nil) {
        let commands = config.analyzers.map { entry in
            AnalyzerCommand(
                name: entry.name, arguments: entry.command, startupTimeout: .milliseconds(Int(config.startupTimeoutSeconds * 1000)),
                imageTimeout: .milliseconds(Int(config.timeoutSeconds * 1000)), maximumRestarts: config.maxRestarts,
                workingDirectory: workingDirectory)
        }
        self.init(commands, minimumConfidence: config.minConfidence)
    }

    /// Every analyzer's outcome for one image, by analyzer name, in configured order.
    public func analyze(_ request: AnalysisRequest) async -> [(analyzer: String, outcome: AnalyzerOutcome)] {
        var results: [(String, AnalyzerOutcome)] = []
        for process in processes {
            var outcome = await process.analyze(request)
            if case .analyzed(var answer) = outcome, minimumConfidence > 0 {
                answer.tags.removeAll { $0.confidence < minimumConfidence }
                outcome = .analyzed(answer)
            }
            results.append((process.command.name, outcome))
        }
        return results
    }

    /// Stops every analyzer (end of the run).
    public func shutdown() async {
        for process in processes { await process.shutdown() }
    }
}
