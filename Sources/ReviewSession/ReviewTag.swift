/// One suggested tag as the screen shows it: its category, confidence and whether it stays when approved.
public struct ReviewTag: Sendable, Equatable {
    /// The booru category (`general`, `character`, …) for library tags; nil for dataset caption tags.
    public var category: String?
    public var name: String
    /// The match similarity or analyzer confidence (0–100); nil when unknown (dataset captions, hand-added tags).
    public var confidence: Double?
    public var source: String?
    /// False once the user toggled the tag off: approving leaves it out.
    public var isEnabled: Bool

    public init(category: String?, name: String, confidence: Double? = nil, source: String? = nil, isEnabled: Bool = true) {
        self.category = category
        self.name = name
        self.confidence = confidence
        self.source = source
        self.isEnabled = isEnabled
    }

    /// The categories of the batch contract, in the order the screen groups them.
    public static let categoryOrder = ["character", "copyright", "artist", "general", "meta", "rating", "sluice"]

    /// Parses one `.tags.txt` line (`category:tag`); a line without a known category is a general tag.
    public static func parseLine(_ line: Substring) -> ReviewTag? {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if let colon = text.firstIndex(of: ":") {
            let category = String(text[..<colon]).lowercased()
            if categoryOrder.contains(category) {
                let name = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                return name.isEmpty ? nil : ReviewTag(category: category, name: name)
            }
        }
        return ReviewTag(category: "general", name: text)
    }
}
