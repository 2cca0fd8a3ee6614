import Configuration

/// Chooses an image's folder under final/ (pure): learned suggestions first, then the ordered rules (first match
/// wins), then the default category; the decision says which and why.
public struct Categorizer: Sendable {
    public var rules: [CategoryRule]
    public var defaultCategory: String
    /// Consulted in order before the rules; the learning branch plugs its model in here.
    public var suggesters: [any CategorySuggester]

    public init(rules: [CategoryRule], defaultCategory: String, suggesters: [any CategorySuggester] = []) {
        self.rules = rules
        self.defaultCategory = FolderName.safePath(defaultCategory) ?? "Uncategorized"
        self.suggesters = suggesters
    }

    public init(_ section: SluiceConfig.LibrarySection, suggesters: [any CategorySuggester] = []) {
        self.init(rules: section.categories.map(CategoryRule.init), defaultCategory: section.defaultCategory, suggesters: suggesters)
    }

    public func decide(_ input: CategorizationInput) -> CategoryDecision {
        var proposal: CategorySuggestion?
        for suggester in suggesters {
            guard let suggestion = suggester.suggest(for: input), let folder = FolderName.safePath(suggestion.folder) else { continue }
            if suggestion.isUsed {
                return CategoryDecision(folder: folder, decidedBy: .suggestion, reason: "learned: \(suggestion.explanation)", suggested: folder)
            }
            if proposal == nil { proposal = CategorySuggestion(folder: folder, explanation: suggestion.explanation, isUsed: false) }
        }
        var decision = decideByRules(input)
        if let proposal {
            decision.suggested = proposal.folder
            decision.reason += " (learned, not used: \(proposal.explanation))"
        }
        return decision
    }

    /// The ordered rules' decision, or the default category's.
    private func decideByRules(_ input: CategorizationInput) -> CategoryDecision {
        var passed: [String] = []
        for (index, rule) in rules.enumerated() {
            let label = "rule \(index + 1)" + (rule.config.name.map { " (\($0))" } ?? "")
            switch rule.evaluate(input) {
            case .success(let (folder, why)):
                return CategoryDecision(folder: folder, decidedBy: .rule, ruleIndex: index, ruleName: rule.config.name, reason: "\(label): \(why)")
            case .failure(let mismatch):
                passed.append("\(label): \(mismatch.reason)")
            }
        }
        let reason = passed.isEmpty ? "no rules configured" : "no rule matched (" + passed.joined(separator: "; ") + ")"
        return CategoryDecision(folder: defaultCategory, decidedBy: .fallback, reason: reason)
    }
}
