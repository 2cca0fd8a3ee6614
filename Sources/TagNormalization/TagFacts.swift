/// What a preset says about one tag key, worked out once per distinct key.
final class TagFacts: Sendable {
    /// The key as read from the caption.
    let key: String
    /// The key after the replace map (the key itself when it is no alias).
    let canonical: String
    /// The canonical key in the preset's output form.
    let rendered: String
    let isRemoved: Bool
    let isProtected: Bool
    let isTrigger: Bool
    /// General tags this one makes redundant.
    let implies: [String]
    let group: TagGroup?
    /// Where the tag goes in a caption: its group, then its place in the group's table; ungrouped tags last.
    let orderRank: Int
    let isGeneralBackground: Bool
    let isSpecificBackground: Bool
    /// Whether the frequency rule may move this tag.
    let isInFrequencyScope: Bool

    var isReplaced: Bool { canonical != key }

    init(
        key: String, canonical: String, rendered: String, isRemoved: Bool, isProtected: Bool, isTrigger: Bool,
        implies: [String], group: TagGroup?, orderRank: Int, isGeneralBackground: Bool, isSpecificBackground: Bool,
        isInFrequencyScope: Bool
    ) {
        self.key = key
        self.canonical = canonical
        self.rendered = rendered
        self.isRemoved = isRemoved
        self.isProtected = isProtected
        self.isTrigger = isTrigger
        self.implies = implies
        self.group = group
        self.orderRank = orderRank
        self.isGeneralBackground = isGeneralBackground
        self.isSpecificBackground = isSpecificBackground
        self.isInFrequencyScope = isInFrequencyScope
    }
}
