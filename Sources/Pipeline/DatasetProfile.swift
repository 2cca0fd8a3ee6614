import Configuration
import Jobs

/// The dataset profile (DESIGN §2): adopt → A index → (B–E, the auto-tagger round trip, or B local caption) → F normalize → G review →
/// H final cleanup → I final zip → J done; a folder dropped into reviewed/ goes from A straight to H.
public struct DatasetProfile: Profile {
    public init() {}

    public var name: String { "dataset" }

    public func plan(for entry: DropEntry, config: SluiceConfig) -> StepPlan {
        switch entry {
        case .inbox:
            switch config.pipeline.autotagMode {
            case .civitai: StepPlan.dataset(captions: .autotagger)
            case .local: StepPlan.dataset(captions: .analyzer)
            case .off: StepPlan.dataset(captions: .drop)
            }
        case .reviewed: StepPlan.fromReviewed
        }
    }

    public func worker(for step: Step, tools: StepTools) -> (any PipelineStep)? {
        switch step {
        case .adopt: AdoptStep()
        case .index: IndexStep(inspect: tools.inspectImage)
        case .autotagZip: AutotagZipStep(stripMetadata: tools.stripMetadata)
        case .waitForResult: WaitForResultStep()
        case .extract: MapResultStep()
        case .localCaption: LocalCaptionStep()
        case .normalize: NormalizeStep()
        case .review: ReviewStep()
        case .finalCleanup: FinalCleanupStep()
        case .finalZip: FinalZipStep()
        case .done, .libraryStages: nil
        }
    }
}
