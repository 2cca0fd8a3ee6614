/// How a preset writes tags back: words joined by spaces or underscores, parentheses raw or escaped.
public struct OutputForm: Sendable, Equatable {
    /// The character between the words of a tag.
    public enum WordSeparator: String, Sendable, CaseIterable { case spaces, underscores }
    /// Whether parentheses are written as is or as `\(` `\)` for prompt-style use.
    public enum Parentheses: String, Sendable, CaseIterable { case raw, escaped }

    public var words: WordSeparator
    public var parentheses: Parentheses

    public init(words: WordSeparator = .spaces, parentheses: Parentheses = .raw) {
        self.words = words
        self.parentheses = parentheses
    }

    /// The written form of a tag key.
    public func render(key: String) -> String {
        var text = key
        // A key such as "x x" written with underscores would read back as the kaomoji "x_x", so keep its spaces.
        if words == .underscores, key.utf8.contains(0x20) {
            let underscored = key.replacingOccurrences(of: " ", with: "_")
            if !TagKey.kaomoji.contains(underscored) { text = underscored }
        }
        if parentheses == .escaped, text.utf8.contains(where: { $0 == 0x28 || $0 == 0x29 }) {
            text = text.replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
        }
        return text
    }
}
