/// What a preset says about one tag key, worked out once per distinct key. The yes/no facts the per-tag loop
/// needs live beside it in `TagRules` as plain values.
struct TagFacts: Sendable {
    /// This key's number in its `TagRules` (dense, so per-tag state lives in arrays, not hash tables).
    let id: Int
    /// The number of the canonical key's facts (equal to `id` when the key is canonical).
    let canonicalID: Int
    /// The key as read from the caption.
    let key: String
    /// The key after the replace map (the key itself when it is no alias).
    let canonical: String
    /// The canonical key in the preset's output form.
    let rendered: String
    /// Numbers of the general tags this one makes redundant.
    var implies: [Int]
    /// Where the tag goes in a caption: its group, then its place in the group's table; ungrouped tags last.
    let orderRank: Int
}
