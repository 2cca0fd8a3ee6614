import Foundation

/// A loaded preset: `extends` merged, every tag written as its comparison key, alias chains resolved,
/// implications closed transitively, and cycles rejected.
public struct Preset: Sendable, Equatable {
    /// Where the frequency rule looks: background tags only (the default), or every tag.
    public enum FrequencyScope: String, Sendable, CaseIterable { case background, all }

    /// What the background policy does (DESIGN §3).
    public struct BackgroundPolicy: Sendable, Equatable {
        /// Tags such as indoors, outdoors, day, night: always kept where they are.
        public var general: Set<String> = []
        /// Overly specific background tags: moved to the optional section.
        public var specific: Set<String> = []
        /// A tag in scope seen in fewer than this share (percent) of the dataset's captions goes to optional; 0 is off.
        public var minSharePercent: Double = 0
        public var frequencyScope: FrequencyScope = .background

        public init() {}
    }

    /// What the final step (pipeline step H) does with the optional section.
    public enum OptionalTags: String, Sendable, CaseIterable { case keep, drop }

    /// The final-step rules the preset ships with; the pipeline's config may override them.
    public struct FinalRules: Sendable, Equatable {
        public var optionalTags: OptionalTags = .keep
        public var enforceGroupOrder: Bool = true

        public init(optionalTags: OptionalTags = .keep, enforceGroupOrder: Bool = true) {
            self.optionalTags = optionalTags
            self.enforceGroupOrder = enforceGroupOrder
        }
    }

    public var name: String
    public var description: String
    /// The files this preset was loaded from, the base of its `extends` chain first.
    public var files: [String]
    public var output: OutputForm
    public var triggerWord: String?
    /// Exact tags to delete (keys).
    public var removeTags: Set<String>
    /// Glob patterns (`*`, `?`) over keys to delete, such as `* request` or `bad *`.
    public var removePatterns: [String]
    /// Alias key → final canonical key (chains already followed).
    public var replaceMap: [String: String]
    /// Specific tag → the general tags it makes redundant (transitively closed, sorted).
    public var implications: [String: [String]]
    /// Tags never removed, replaced or moved.
    public var protectedTags: Set<String>
    public var background: BackgroundPolicy
    /// Tag key → its ordering group.
    public var groups: [String: TagGroup]
    /// Tag key → its position in its group's table (base preset's tables first), the order within a group.
    public var groupPositions: [String: Int]
    public var final: FinalRules

    public init(
        name: String, description: String = "", files: [String] = [], output: OutputForm = OutputForm(),
        triggerWord: String? = nil, removeTags: Set<String> = [], removePatterns: [String] = [],
        replaceMap: [String: String] = [:], implications: [String: [String]] = [:], protectedTags: Set<String> = [],
        background: BackgroundPolicy = BackgroundPolicy(), groups: [String: TagGroup] = [:],
        groupPositions: [String: Int] = [:], final: FinalRules = FinalRules()
    ) {
        self.name = name
        self.description = description
        self.files = files
        self.output = output
        self.triggerWord = triggerWord
        self.removeTags = removeTags
        self.removePatterns = removePatterns
        self.replaceMap = replaceMap
        self.implications = implications
        self.protectedTags = protectedTags
        self.background = background
        self.groups = groups
        self.groupPositions = groupPositions
        self.final = final
    }
}
