/// The ordering groups of DESIGN §3, in caption order: who, how it is framed, light, where, what is worn.
public enum TagGroup: String, CaseIterable, Sendable, Comparable {
    case identity, composition, lighting, environment, outfit

    /// Position in the caption: identity first, ungrouped tags (rank `allCases.count`) last.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: TagGroup, rhs: TagGroup) -> Bool { lhs.rank < rhs.rank }
}
