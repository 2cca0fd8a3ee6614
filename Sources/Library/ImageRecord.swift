import Foundation

/// Everything known about one image of a drop: its facts, each stage's outcome and what each stage produced.
/// The checkpoint journal stores one of these per image after every stage, so a restart resumes each image.
public struct ImageRecord: Codable, Equatable, Sendable {
    /// The image's path relative to the drop.
    public var path: String
    /// The batch (0-based) the image belongs to: its position in the drop's sorted listing divided by the batch size.
    public var batch: Int
    public var facts: ImageFacts?
    /// What the analyze stage found: built-in facts and the external analyzers' tags.
    public var analysis: AnalysisRecord?
    public var lookup: LookupRecord?
    /// The tags approved for the sidecar, nil until review decides.
    public var approvedTags: [LibraryTag]?
    public var category: CategoryDecision?
    /// Where the image went in final/.
    public var destination: String?
    /// Outcomes keyed by stage name.
    public var outcomes: [String: StageOutcome]

    public init(path: String, batch: Int) {
        self.path = path
        self.batch = batch
        outcomes = [:]
    }

    public func outcome(_ stage: LibraryStage) -> StageOutcome? { outcomes[stage.rawValue] }

    public mutating func record(_ stage: LibraryStage, _ outcome: StageOutcome) {
        outcomes[stage.rawValue] = outcome
    }

    /// The first stage this image still has to pass, or nil when it is finished (or stopped for good).
    public var nextStage: LibraryStage? {
        for stage in LibraryStage.imageStages {
            guard let outcome = outcome(stage) else { return stage }
            if outcome.status == .skipped || outcome.status == .refused { return nil }
            if !outcome.letsImageGoOn(after: stage) { return stage }
        }
        return nil
    }

    /// True when every stage is behind the image (organized, or stopped for good by a skip or refusal).
    public var isFinished: Bool { nextStage == nil }

    /// The post URL the tags came from.
    public var source: String? { lookup?.source }

    /// The tags offered for approval: the lookup's (or, without a lookup, `known`), then the analysis tags not
    /// already among them.
    public func candidateTags(known: [LibraryTag]? = nil) -> [LibraryTag] {
        var tags = lookup?.tags ?? known ?? []
        var seen = Set(tags.map(\.line))
        for tag in analysis?.tags ?? [] where seen.insert(tag.line).inserted { tags.append(tag) }
        return tags
    }
}

/// What the lookup stage found for one image.
public struct LookupRecord: Codable, Equatable, Sendable {
    /// `md5`, `saucenao`, `iqdb` or `none`.
    public var origin: String
    public var similarity: Double?
    public var source: String?
    public var rating: String?
    /// Most confident first; the rating as a `rating` tag.
    public var tags: [LibraryTag]
    public var fromCache: Bool
    /// Failures and notes of the services on the way, for the report.
    public var remarks: [String]

    public init(origin: String, similarity: Double?, source: String?, rating: String?, tags: [LibraryTag], fromCache: Bool, remarks: [String]) {
        self.origin = origin
        self.similarity = similarity
        self.source = source
        self.rating = rating
        self.tags = tags
        self.fromCache = fromCache
        self.remarks = remarks
    }
}

/// The folder an image is filed under and why.
public struct CategoryDecision: Codable, Equatable, Sendable {
    public enum DecidedBy: String, Codable, Sendable {
        /// A learned suggestion in front of the rules.
        case suggestion
        case rule
        /// No rule matched: the default category.
        case fallback
    }

    /// Relative to final/, `/`-separated, every component safe for a folder.
    public var folder: String
    public var decidedBy: DecidedBy
    /// The rule's position in `library.categories` (0-based), when a rule decided.
    public var ruleIndex: Int?
    public var ruleName: String?
    /// A sentence saying why, such as "rule 2 (characters): has character tags; {character} = hatsune miku".
    public var reason: String
    /// The folder the learner proposed, used or not (recorded with the placement, so a later move teaches).
    public var suggested: String?

    public init(
        folder: String, decidedBy: DecidedBy, ruleIndex: Int? = nil, ruleName: String? = nil, reason: String, suggested: String? = nil
    ) {
        self.suggested = suggested
        self.folder = folder
        self.decidedBy = decidedBy
        self.ruleIndex = ruleIndex
        self.ruleName = ruleName
        self.reason = reason
    }
}
