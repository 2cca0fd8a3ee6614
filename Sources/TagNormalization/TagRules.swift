import Foundation

/// A preset compiled for fast lookups: caches the facts of every distinct tag and token it meets.
/// Not thread-safe: each worker uses its own.
final class TagRules {
    let preset: Preset
    /// The trigger word as written (kept first in every caption), and its key.
    let triggerWord: String?
    let triggerKey: String?
    private let removePatterns: [GlobPattern]
    private var factsByKey: [String: TagFacts] = [:]
    private var tokens: [Substring: Token] = [:]

    /// One comma-separated token, read once.
    enum Token {
        case empty
        case marker
        case tag(TagFacts, weight: String?)
    }

    init(preset: Preset, triggerWord: String?) {
        self.preset = preset
        let trigger = (triggerWord ?? preset.triggerWord)?.trimmingCharacters(in: .whitespaces)
        let key = trigger.map { TagKey.of($0) }
        self.triggerWord = key?.isEmpty == false ? trigger : nil
        self.triggerKey = key?.isEmpty == false ? key : nil
        self.removePatterns = preset.removePatterns.map(GlobPattern.init)
    }

    /// Reads a raw token (cached).
    func token(_ raw: Substring) -> Token {
        if let known = tokens[raw] { return known }
        let token: Token
        if let tag = CaptionTag.parse(raw) {
            token = CaptionText.isMarker(tag) ? .marker : .tag(facts(for: tag.key), weight: tag.weight)
        } else {
            token = .empty
        }
        tokens[raw] = token
        return token
    }

    /// The facts of a key (cached).
    func facts(for key: String) -> TagFacts {
        if let known = factsByKey[key] { return known }
        let isTrigger = key == triggerKey
        let isProtectedKey = isTrigger || preset.protectedTags.contains(key)
        let canonical = isProtectedKey ? key : (preset.replaceMap[key] ?? key)
        let isTriggerCanonical = canonical == triggerKey
        let isProtected = isProtectedKey || isTriggerCanonical || preset.protectedTags.contains(canonical)
        let isRemoved = !isProtected && (matchesRemove(key) || matchesRemove(canonical))
        let groupKey = preset.groups[canonical] != nil ? canonical : key
        let group = preset.groups[groupKey]
        let orderRank = Self.orderRank(group: group, position: preset.groupPositions[groupKey] ?? 0)
        let isGeneral = preset.background.general.contains(canonical)
        let isSpecific = preset.background.specific.contains(canonical)
        let inScope: Bool
        switch preset.background.frequencyScope {
        case .background: inScope = !isGeneral && (isSpecific || group == .environment)
        case .all: inScope = !isGeneral
        }
        let facts = TagFacts(
            key: key, canonical: canonical, rendered: preset.output.render(key: canonical), isRemoved: isRemoved,
            isProtected: isProtected, isTrigger: isTriggerCanonical, implies: preset.implications[canonical] ?? [],
            group: group, orderRank: orderRank, isGeneralBackground: isGeneral, isSpecificBackground: isSpecific,
            isInFrequencyScope: inScope && !isProtected)
        factsByKey[key] = facts
        return facts
    }

    /// Group first, then the position in the group's table; ungrouped tags after every group.
    static func orderRank(group: TagGroup?, position: Int) -> Int {
        guard let group else { return TagGroup.allCases.count << 32 }
        return group.rank << 32 | position
    }

    private func matchesRemove(_ key: String) -> Bool {
        preset.removeTags.contains(key) || removePatterns.contains { $0.matches(key) }
    }
}
