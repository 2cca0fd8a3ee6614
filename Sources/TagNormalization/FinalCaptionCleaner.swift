/// The final step's rules (pipeline step H): the `#optional` marker removed and its tags kept after the main
/// ones or dropped, duplicates and empty tags dropped, `, ` separators, one line, and optionally the group order.
/// Tags keep the form the user wrote them in (whitespace collapsed); pure String → String, and idempotent.
public struct FinalCaptionCleaner: Sendable {
    /// What the final step does; a preset's `final` section supplies defaults.
    public struct Options: Sendable, Equatable {
        public var optionalTags: Preset.OptionalTags
        public var enforceGroupOrder: Bool

        public init(optionalTags: Preset.OptionalTags = .keep, enforceGroupOrder: Bool = false) {
            self.optionalTags = optionalTags
            self.enforceGroupOrder = enforceGroupOrder
        }

        /// The options a preset ships with.
        public init(preset: Preset) {
            self.init(optionalTags: preset.final.optionalTags, enforceGroupOrder: preset.final.enforceGroupOrder)
        }
    }

    public let options: Options
    private let groups: [String: TagGroup]
    private let positions: [String: Int]
    private let aliases: [String: String]
    private let triggerKey: String?

    /// - Parameters:
    ///   - preset: supplies the group tables for `enforceGroupOrder` (no groups without one).
    ///   - triggerWord: kept first when ordering; defaults to the preset's.
    public init(options: Options, preset: Preset? = nil, triggerWord: String? = nil) {
        self.options = options
        self.groups = preset?.groups ?? [:]
        self.positions = preset?.groupPositions ?? [:]
        self.aliases = preset?.replaceMap ?? [:]
        let trigger = triggerWord ?? preset?.triggerWord
        self.triggerKey = trigger.map { TagKey.of($0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The caption as trainers should read it.
    public func clean(_ text: String) -> String {
        var warnings: [String] = []
        var main: [(written: String, key: String)] = []
        var optional: [(written: String, key: String)] = []
        var seen: Set<String> = []
        var isOptional = false
        for raw in CaptionText.rawTokens(of: text, warnings: &warnings) {
            guard let tag = CaptionTag.parse(raw) else { continue }
            if CaptionText.isMarker(tag) {
                isOptional = true
                continue
            }
            guard seen.insert(tag.key).inserted else { continue }
            let written = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if isOptional { optional.append((written, tag.key)) } else { main.append((written, tag.key)) }
        }
        // Kept optional tags follow the main ones; with group order enforced they are ordered together with them,
        // because the marker is gone and the step must give the same line when it runs again.
        var tags = options.optionalTags == .keep ? main + optional : main
        if options.enforceGroupOrder { tags = ordered(tags) }
        return tags.map(\.written).joined(separator: ", ")
    }

    /// Trigger word first, then the groups in order (each in its table's order), then ungrouped tags, stable.
    private func ordered(_ tags: [(written: String, key: String)]) -> [(written: String, key: String)] {
        func rank(_ key: String) -> Int {
            if key == triggerKey { return -1 }
            let groupKey = groups[key] != nil ? key : (aliases[key] ?? key)
            return TagRules.orderRank(group: groups[groupKey], position: positions[groupKey] ?? 0)
        }
        let ranks = tags.map { rank($0.key) }
        return tags.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }.map { tags[$0] }
    }
}
