/// A shell-style pattern over tag keys: `*` matches any run of characters, `?` exactly one.
public struct GlobPattern: Sendable, Equatable {
    public let pattern: String
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.scalars = Array(pattern.unicodeScalars)
    }

    /// Whether a text counts as a pattern rather than an exact tag.
    public static func isPattern(_ text: String) -> Bool { text.contains("*") || text.contains("?") }

    /// Whether the whole key matches (iterative matcher with single backtracking point, linear in practice).
    public func matches(_ key: String) -> Bool {
        let text = Array(key.unicodeScalars)
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < scalars.count, scalars[p] == "?" || (scalars[p] != "*" && scalars[p] == text[t]) {
                p += 1
                t += 1
            } else if p < scalars.count, scalars[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < scalars.count, scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }
}
