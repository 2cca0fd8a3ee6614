/// One step of the dataset profile (DESIGN §2), in pipeline order.
public enum Step: String, Codable, CaseIterable, Sendable {
    /// Take the drop out of inbox/ (or reviewed/) into the job's folder under .sluice/.
    case adopt
    /// A: validate, collect and hash the images.
    case index
    /// B: zip the images for the external auto-tagger.
    case autotagZip = "autotag_zip"
    /// C+D: the user uploads the zip; wait for the result zip to arrive.
    case waitForResult = "wait_for_result"
    /// E: safe extraction; map returned files to the originals.
    case extract
    /// B (`pipeline.autotag: local`): caption every image with the configured analyzer, instead of B–E.
    case localCaption = "local_caption"
    /// F: apply the preset to every caption.
    case normalize
    /// G: the dataset waits in review/ for the user's retagging.
    case review
    /// H: final caption rules.
    case finalCleanup = "final_cleanup"
    /// I: the training zip and its manifest.
    case finalZip = "final_zip"
    /// J: completed.
    case done
    /// Library profile: every batch of the drop through scan → lookup → review → sidecar → categorize → organize,
    /// then the manifest and the error report. Waits for review batches and for SauceNAO's quota without blocking
    /// the batches that can go on.
    case libraryStages = "library_stages"

    public enum Kind: String, Codable, Sendable {
        case auto = "AUTO"
        case manualWait = "MANUAL_WAIT"
        case externalWait = "EXTERNAL_WAIT"
    }

    public var kind: Kind {
        switch self {
        case .review: .manualWait
        case .waitForResult: .externalWait
        default: .auto
        }
    }

    /// The letter DESIGN §2 gives the step, for logs and status.
    public var label: String {
        switch self {
        case .adopt: "adopt"
        case .index: "A index"
        case .autotagZip: "B autotag zip"
        case .waitForResult: "C/D upload and wait for result"
        case .extract: "E extract"
        case .localCaption: "B local caption"
        case .normalize: "F normalize"
        case .review: "G manual retag"
        case .finalCleanup: "H final cleanup"
        case .finalZip: "I final zip"
        case .done: "J done"
        case .libraryStages: "library stages"
        }
    }
}

/// The ordered steps a job runs, from where it entered the pipeline.
public struct StepPlan: Codable, Equatable, Sendable {
    public let steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    /// Where a dataset job's captions come from before normalization (`pipeline.autotag`).
    public enum CaptionSource: Sendable {
        /// B–E: the external auto-tagger's round trip (`civitai`).
        case autotagger
        /// The configured analyzer, on this machine (`local`).
        case analyzer
        /// The captions that came with the drop (`off`).
        case drop
    }

    /// The dataset profile from inbox/, with the caption steps `captions` needs.
    public static func dataset(captions: CaptionSource) -> StepPlan {
        let captionSteps: [Step] = switch captions {
        case .autotagger: [.autotagZip, .waitForResult, .extract]
        case .analyzer: [.localCaption]
        case .drop: []
        }
        return StepPlan(steps: [.adopt, .index] + captionSteps + [.normalize, .review, .finalCleanup, .finalZip, .done])
    }

    /// The dataset profile from inbox/: B–E only when the auto-tagger round trip is on.
    public static func dataset(autotag: Bool) -> StepPlan { dataset(captions: autotag ? .autotagger : .drop) }

    /// A folder dropped straight into reviewed/ enters at final cleanup.
    public static let fromReviewed = StepPlan(steps: [.adopt, .index, .finalCleanup, .finalZip, .done])

    /// Whether a job at `current` has finished `step` (false when the plan does not have it).
    public func hasPassed(_ step: Step, at current: Step) -> Bool {
        guard let target = steps.firstIndex(of: step), let position = steps.firstIndex(of: current) else { return false }
        return position > target
    }

    public func step(after step: Step) -> Step? {
        guard let position = steps.firstIndex(of: step), position + 1 < steps.count else { return nil }
        return steps[position + 1]
    }
}
