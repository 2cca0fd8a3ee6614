import Configuration
import TagNormalization

/// One rule of `library.categories`: conditions that must all hold, and the folder template (pure).
public struct CategoryRule: Sendable, Equatable {
    public var config: SluiceConfig.CategoryRuleConfig

    public init(_ config: SluiceConfig.CategoryRuleConfig) { self.config = config }

    /// Placeholders a folder template may use.
    public static let placeholders = ["character", "copyright", "artist", "rating", "format", "orientation", "origin"]

    /// The folder and why when the rule matches, else why not.
    public func evaluate(_ input: CategorizationInput) -> Result<(folder: String, why: String), Mismatch> {
        var why: [String] = []
        let keys = Set(input.tags.map(\.key))
        let names = Set(input.tags.map { $0.name.lowercased() })
        func has(_ wanted: String) -> Bool {
            let key = Self.key(wanted)
            return Self.isCategorized(key) ? keys.contains(key) : names.contains(key)
        }
        if !config.tagsAny.isEmpty {
            guard let found = config.tagsAny.first(where: has) else { return .failure(Mismatch("none of tags_any")) }
            why.append("has \(found)")
        }
        if let missing = config.tagsAll.first(where: { !has($0) }) { return .failure(Mismatch("lacks \(missing)")) }
        if !config.tagsAll.isEmpty { why.append("has all of \(config.tagsAll.joined(separator: ", "))") }
        if let present = config.tagsNone.first(where: has) { return .failure(Mismatch("has \(present) (tags_none)")) }
        for category in config.has {
            guard input.first(category.lowercased()) != nil else { return .failure(Mismatch("no \(category) tag")) }
            why.append("has a \(category) tag")
        }
        if !config.rating.isEmpty {
            guard config.rating.map({ $0.lowercased() }).contains(input.rating) else {
                return .failure(Mismatch("rating \(input.rating) not in \(config.rating.joined(separator: ", "))"))
            }
            why.append("rating \(input.rating)")
        }
        let facts = input.facts
        if !config.format.isEmpty {
            let format = facts?.format ?? "unknown"
            let wanted = config.format.map { $0.lowercased() == "jpg" ? "jpeg" : $0.lowercased() }
            guard wanted.contains(format) else { return .failure(Mismatch("format \(format)")) }
            why.append("format \(format)")
        }
        if !config.orientation.isEmpty {
            let orientation = facts?.orientation ?? "unknown"
            guard config.orientation.map({ $0.lowercased() }).contains(orientation) else {
                return .failure(Mismatch("orientation \(orientation)"))
            }
            why.append(orientation)
        }
        if !config.origin.isEmpty {
            guard config.origin.map({ $0.lowercased() }).contains(input.origin) else { return .failure(Mismatch("origin \(input.origin)")) }
            why.append("found by \(input.origin)")
        }
        if let minWidth = config.minWidth {
            guard let width = facts?.width, width >= minWidth else { return .failure(Mismatch("narrower than \(minWidth)")) }
            why.append("width ≥ \(minWidth)")
        }
        if let minHeight = config.minHeight {
            guard let height = facts?.height, height >= minHeight else { return .failure(Mismatch("shorter than \(minHeight)")) }
            why.append("height ≥ \(minHeight)")
        }
        switch Self.fill(config.folder, input) {
        case .failure(let mismatch): return .failure(mismatch)
        case .success(let (folder, filled)):
            why += filled
            return .success((folder, why.isEmpty ? "matches everything" : why.joined(separator: "; ")))
        }
    }

    /// The template with its placeholders filled and every component made folder-safe.
    static func fill(_ template: String, _ input: CategorizationInput) -> Result<(String, [String]), Mismatch> {
        var components: [String] = []
        var filled: [String] = []
        for part in template.split(separator: "/") {
            var text = String(part)
            while let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") {
                let name = String(text[text.index(after: open)..<close]).lowercased()
                let value: String?
                switch name {
                case "rating": value = input.rating
                case "format": value = input.facts?.format
                case "orientation": value = input.facts?.orientation
                case "origin": value = input.origin
                case "character", "copyright", "artist", "general", "meta", "sluice": value = input.first(name)
                default: return .failure(Mismatch("unknown placeholder {\(name)}"))
                }
                guard let value else { return .failure(Mismatch("no \(name) to fill {\(name)}")) }
                filled.append("{\(name)} = \(value)")
                text.replaceSubrange(open...close, with: value)
            }
            if let safe = FolderName.safe(text) { components.append(safe) }
        }
        guard !components.isEmpty else { return .failure(Mismatch("the folder template gives an empty name")) }
        return .success((components.joined(separator: "/"), filled))
    }

    static func isCategorized(_ key: String) -> Bool {
        guard let colon = key.firstIndex(of: ":") else { return false }
        return LibraryTag.categories.contains(String(key[..<colon]))
    }

    /// A configured tag as a comparison key: `category:tag` or `tag`, lowercased, underscores as spaces.
    static func key(_ tag: String) -> String {
        if let colon = tag.firstIndex(of: ":"), LibraryTag.categories.contains(tag[..<colon].lowercased()) {
            return tag[..<colon].lowercased() + ":" + TagKey.of(tag[tag.index(after: colon)...])
        }
        return TagKey.of(tag)
    }

    /// Why a rule did not match.
    public struct Mismatch: Error, Equatable, Sendable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
