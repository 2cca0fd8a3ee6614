import Yams

/// Walks one YAML mapping of the config, reading known keys with their types and rejecting unknown ones.
struct ConfigReader {
    let file: String
    let path: String
    private let entries: [(key: String, keyNode: Node, value: Node)]
    private var consumed: Set<String> = []
    let mark: Mark?

    init(file: String, path: String, node: Node?) throws(ConfigError) {
        self.file = file
        self.path = path
        self.mark = node?.mark
        guard let node else {
            entries = []
            return
        }
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag == .implicit && scalar.string == "~" {
            entries = []
            return
        }
        guard case .mapping(let mapping) = node else {
            throw ConfigError(
                file: file, line: node.mark?.line, column: node.mark?.column,
                kind: .wrongType(key: path.isEmpty ? "the config" : path, expected: "a mapping of keys"))
        }
        var collected: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            collected.append((keyNode.string ?? "", keyNode, value))
        }
        entries = collected
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func error(at node: Node, _ kind: ConfigError.Kind) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, column: node.mark?.column, kind: kind)
    }

    private mutating func node(_ key: String) -> Node? {
        consumed.insert(key)
        guard let entry = entries.last(where: { $0.key == key }) else { return nil }
        if case .scalar(let scalar) = entry.value, scalar.string == "~" || scalar.string == "null" { return nil }
        return entry.value
    }

    mutating func section(_ key: String) throws(ConfigError) -> ConfigReader {
        try ConfigReader(file: file, path: qualified(key), node: node(key))
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let value = node(key) else { return fallback }
        switch value.string?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(at: value, .wrongType(key: qualified(key), expected: "true or false"))
        }
    }

    mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let value = node(key) else { return fallback }
        guard case .scalar = value, let number = Int(value.string ?? "") else {
            throw error(at: value, .wrongType(key: qualified(key), expected: "a whole number"))
        }
        guard range.contains(number) else {
            throw error(at: value, .invalidValue(key: qualified(key), message: "must be from \(range.lowerBound) to \(range.upperBound), not \(number)"))
        }
        return number
    }

    mutating func double(_ key: String, default fallback: Double, range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let value = node(key) else { return fallback }
        guard case .scalar = value, let number = Double(value.string ?? "") else {
            throw error(at: value, .wrongType(key: qualified(key), expected: "a number"))
        }
        guard range.contains(number) else {
            throw error(at: value, .invalidValue(key: qualified(key), message: "must be from \(range.lowerBound) to \(range.upperBound), not \(number)"))
        }
        return number
    }

    mutating func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        guard let value = node(key) else { return fallback }
        guard case .scalar(let scalar) = value else {
            throw error(at: value, .wrongType(key: qualified(key), expected: "a string"))
        }
        return scalar.string
    }

    mutating func optionalString(_ key: String) throws(ConfigError) -> String? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value else {
            throw error(at: value, .wrongType(key: qualified(key), expected: "a string"))
        }
        return scalar.string.isEmpty ? nil : scalar.string
    }

    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default fallback: Choice
    ) throws(ConfigError) -> Choice where Choice.RawValue == String {
        guard let value = node(key) else { return fallback }
        let allowed = Choice.allCases.map(\.rawValue)
        guard case .scalar(let scalar) = value, let choice = Choice(rawValue: scalar.string) else {
            throw error(at: value, .invalidValue(key: qualified(key), message: "must be one of: \(allowed.joined(separator: ", "))"))
        }
        return choice
    }

    mutating func strings(_ key: String, default fallback: [String]) throws(ConfigError) -> [String] {
        guard let value = node(key) else { return fallback }
        guard case .sequence(let sequence) = value else {
            throw error(at: value, .wrongType(key: qualified(key), expected: "a list of strings"))
        }
        var result: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item else {
                throw error(at: item, .wrongType(key: qualified(key), expected: "a list of strings"))
            }
            result.append(scalar.string)
        }
        return result
    }

    /// A list of mappings (such as `library.categories` or `analyze.analyzers`), one reader per item, each named
    /// `key[index]` in errors; empty when the key is absent.
    mutating func sectionList(_ key: String) throws(ConfigError) -> [ConfigReader] {
        guard let value = node(key) else { return [] }
        guard case .sequence(let sequence) = value else {
            throw error(at: value, .wrongType(key: qualified(key), expected: "a list of mappings"))
        }
        var readers: [ConfigReader] = []
        for (index, item) in sequence.enumerated() {
            readers.append(try ConfigReader(file: file, path: "\(qualified(key))[\(index)]", node: item))
        }
        return readers
    }

    /// A string the section must give.
    mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let text = try optionalString(key) else {
            throw ConfigError(
                file: file, line: mark?.line, column: mark?.column,
                kind: .invalidValue(key: qualified(key), message: "is required"))
        }
        return text
    }

    /// Fails on the first key this section did not ask for, naming the keys it knows.
    func rejectUnknownKeys() throws(ConfigError) {
        for entry in entries where !consumed.contains(entry.key) {
            throw error(at: entry.keyNode, .unknownKey(qualified(entry.key), known: consumed.sorted()))
        }
    }
}
