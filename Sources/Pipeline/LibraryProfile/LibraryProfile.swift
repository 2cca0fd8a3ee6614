import Configuration
import Foundation
import HTTPClient
import ImageLookup
import Jobs
import Library

/// The library profile (DESIGN §2, issue 12): adopt the drop → the library stages over every batch (scan, lookup,
/// review, sidecar, categorize, organize) → done. One job per drop; its batches wait in review/ on their own while
/// later batches go on, and SauceNAO's spent daily quota makes the job wait (WAITING_EXTERNAL) until it resets.
public struct LibraryProfile: Profile {
    /// Builds the lookup chain a job's stages use; nil when the lookup stage does not run.
    public typealias MakeLookup = @Sendable (SluiceConfig, RootLayout, any TimeSource) throws -> LookupSession?

    private let time: any TimeSource
    private let makeLookup: MakeLookup

    /// - Parameters:
    ///   - time: the clock of the lookup pacing and the quota (the engine's clock in tests).
    ///   - makeLookup: the lookup chain; by default from the job's `lookup:` section, with the secrets read from
    ///     sluice.yaml and the environment at run time (job snapshots hold none).
    public init(time: any TimeSource = SystemTime(), makeLookup: @escaping MakeLookup = LibraryProfile.standardLookup(version: nil)) {
        self.time = time
        self.makeLookup = makeLookup
    }

    public var name: String { "library" }

    public func plan(for entry: DropEntry, config: SluiceConfig) -> StepPlan {
        StepPlan(steps: [.adopt, .libraryStages, .done])
    }

    public func worker(for step: Step, tools: StepTools) -> (any PipelineStep)? {
        switch step {
        case .adopt: LibraryAdoptStep()
        case .libraryStages: LibraryStagesStep(time: time, makeLookup: makeLookup, logger: tools.logger)
        default: nil
        }
    }

    /// The lookup chain from the job's config: the secrets (removed from job snapshots) come from sluice.yaml as it
    /// is now and from `SLUICE_*` environment variables; the cache is the root's `.sluice/lookup.sqlite`.
    public static func standardLookup(version: String?) -> MakeLookup {
        { config, layout, time in
            guard config.library.stages.lookup else { return nil }
            var section = config.lookup
            if let live = try? SluiceConfig.load(from: layout.configFile) {
                section.saucenaoAPIKey = live.lookup.saucenaoAPIKey
                section.danbooruLogin = live.lookup.danbooruLogin
                section.danbooruAPIKey = live.lookup.danbooruAPIKey
                section.gelbooruAPIKey = live.lookup.gelbooruAPIKey
                section.gelbooruUserID = live.lookup.gelbooruUserID
            }
            var settings = LookupSettings(section)
            if let version { settings.version = version }
            let cache = try LookupCache(path: layout.state.appendingPathComponent("lookup.sqlite").path)
            return try LookupSession(settings: settings.applyingEnvironment(), cache: cache, time: time)
        }
    }
}
