/// One preset file as written: every field optional, each tag kept with its offset for error messages.
struct PresetDefinition: Sendable {
    /// A string as written in the file and where.
    struct Entry: Sendable {
        var text: String
        var offset: Int
    }

    static let topLevelKeys = [
        "name", "description", "extends", "output", "trigger_word", "remove_tags", "replace_map", "implications",
        "protected_tags", "background", "groups", "final",
    ]
    static let outputKeys = ["words", "parentheses"]
    static let backgroundKeys = ["general", "specific", "min_share_percent", "frequency_scope"]
    static let finalKeys = ["optional_tags", "enforce_group_order"]

    var file: String
    var bytes: [UInt8]
    var name: String?
    var description: String?
    var extends: Entry?
    var words: OutputForm.WordSeparator?
    var parentheses: OutputForm.Parentheses?
    var triggerWord: String?
    var removeTags: [Entry] = []
    var replaceMap: [(alias: Entry, canonical: Entry)] = []
    var implications: [(tag: Entry, implied: [Entry])] = []
    var protectedTags: [Entry] = []
    var generalBackground: [Entry] = []
    var specificBackground: [Entry] = []
    var minSharePercent: Double?
    var frequencyScope: Preset.FrequencyScope?
    var groups: [(group: TagGroup, tags: [Entry])] = []
    var optionalTags: Preset.OptionalTags?
    var enforceGroupOrder: Bool?

    /// Parses one preset file, rejecting syntax errors, unknown keys and wrongly typed values by position.
    static func parse(_ bytes: [UInt8], file: String) throws(PresetError) -> PresetDefinition {
        var parser = JSONParser(bytes)
        let root: JSONValue
        do {
            root = try parser.parseDocument()
        } catch {
            let (line, column) = JSONParser.position(of: error.offset, in: bytes)
            throw PresetError.syntax(file: file, line: line, column: column, message: error.message)
        }
        var definition = PresetDefinition(file: file, bytes: bytes)
        let reader = Reader(file: file, bytes: bytes)
        for member in try reader.members(root, key: "(preset)", allowed: topLevelKeys) {
            let key = member.key, value = member.value
            switch key {
            case "name": definition.name = try reader.string(value, key: key)
            case "description": definition.description = try reader.string(value, key: key)
            case "extends": definition.extends = Entry(text: try reader.string(value, key: key), offset: value.offset)
            case "trigger_word":
                if case .null = value.kind { break }
                definition.triggerWord = try reader.string(value, key: key)
            case "remove_tags": definition.removeTags = try reader.entries(value, key: key)
            case "protected_tags": definition.protectedTags = try reader.entries(value, key: key)
            case "replace_map":
                for pair in try reader.members(value, key: key, allowed: nil) {
                    let alias = Entry(text: pair.key, offset: pair.keyOffset)
                    let canonical = Entry(text: try reader.string(pair.value, key: pair.key), offset: pair.value.offset)
                    definition.replaceMap.append((alias, canonical))
                }
            case "implications":
                for pair in try reader.members(value, key: key, allowed: nil) {
                    let tag = Entry(text: pair.key, offset: pair.keyOffset)
                    definition.implications.append((tag, try reader.entries(pair.value, key: pair.key)))
                }
            case "output":
                for option in try reader.members(value, key: key, allowed: outputKeys) {
                    switch option.key {
                    case "words": definition.words = try reader.choice(option.value, key: option.key)
                    default: definition.parentheses = try reader.choice(option.value, key: option.key)
                    }
                }
            case "background":
                for option in try reader.members(value, key: key, allowed: backgroundKeys) {
                    switch option.key {
                    case "general": definition.generalBackground = try reader.entries(option.value, key: option.key)
                    case "specific": definition.specificBackground = try reader.entries(option.value, key: option.key)
                    case "frequency_scope": definition.frequencyScope = try reader.choice(option.value, key: option.key)
                    default:
                        let share = try reader.number(option.value, key: option.key)
                        guard (0...100).contains(share) else {
                            throw reader.invalid(option.value, key: option.key, "must be a percentage from 0 to 100")
                        }
                        definition.minSharePercent = share
                    }
                }
            case "groups":
                var seen: [String: TagGroup] = [:]
                for groupMember in try reader.members(value, key: key, allowed: TagGroup.allCases.map(\.rawValue)) {
                    let group = TagGroup(rawValue: groupMember.key)!
                    let tags = try reader.entries(groupMember.value, key: groupMember.key)
                    for tag in tags {
                        let tagKey = TagKey.of(tag.text)
                        if let earlier = seen[tagKey] {
                            let (line, column) = JSONParser.position(of: tag.offset, in: bytes)
                            throw PresetError.tagInTwoGroups(
                                file: file, tag: tagKey, groups: [earlier.rawValue, group.rawValue], line: line, column: column)
                        }
                        seen[tagKey] = group
                    }
                    definition.groups.append((group, tags))
                }
            case "final":
                for option in try reader.members(value, key: key, allowed: finalKeys) {
                    switch option.key {
                    case "optional_tags": definition.optionalTags = try reader.choice(option.value, key: option.key)
                    default: definition.enforceGroupOrder = try reader.bool(option.value, key: option.key)
                    }
                }
            default: break
            }
        }
        return definition
    }

    /// The line and column of an offset in this file.
    func position(of offset: Int) -> (line: Int, column: Int) { JSONParser.position(of: offset, in: bytes) }
}

/// Typed access to JSON values that throws `PresetError`s pointing at the value.
private struct Reader {
    var file: String
    var bytes: [UInt8]

    func members(_ value: JSONValue, key: String, allowed: [String]?) throws(PresetError) -> [JSONValue.Member] {
        guard case .object(let members) = value.kind else { throw wrongType(value, key: key, expected: "an object") }
        if let allowed {
            for member in members where !allowed.contains(member.key) {
                let (line, column) = JSONParser.position(of: member.keyOffset, in: bytes)
                throw PresetError.unknownKey(file: file, key: member.key, line: line, column: column, allowed: allowed)
            }
        }
        return members
    }

    func string(_ value: JSONValue, key: String) throws(PresetError) -> String {
        guard case .string(let text) = value.kind else { throw wrongType(value, key: key, expected: "a string") }
        return text
    }

    func number(_ value: JSONValue, key: String) throws(PresetError) -> Double {
        guard case .number(let number) = value.kind else { throw wrongType(value, key: key, expected: "a number") }
        return number
    }

    func bool(_ value: JSONValue, key: String) throws(PresetError) -> Bool {
        guard case .bool(let flag) = value.kind else { throw wrongType(value, key: key, expected: "true or false") }
        return flag
    }

    func entries(_ value: JSONValue, key: String) throws(PresetError) -> [PresetDefinition.Entry] {
        guard case .array(let values) = value.kind else { throw wrongType(value, key: key, expected: "an array of strings") }
        var entries: [PresetDefinition.Entry] = []
        for element in values {
            let text = try string(element, key: key)
            guard !TagKey.of(text).isEmpty else { throw invalid(element, key: key, "an empty tag") }
            entries.append(PresetDefinition.Entry(text: text, offset: element.offset))
        }
        return entries
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ value: JSONValue, key: String) throws(PresetError) -> Choice
    where Choice.RawValue == String {
        let text = try string(value, key: key)
        guard let choice = Choice(rawValue: text) else {
            let names = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            throw invalid(value, key: key, "\"\(text)\" is not one of \(names)")
        }
        return choice
    }

    func wrongType(_ value: JSONValue, key: String, expected: String) -> PresetError {
        let (line, column) = JSONParser.position(of: value.offset, in: bytes)
        return .wrongType(file: file, key: key, expected: expected, found: value.kindName, line: line, column: column)
    }

    func invalid(_ value: JSONValue, key: String, _ message: String) -> PresetError {
        let (line, column) = JSONParser.position(of: value.offset, in: bytes)
        return .invalidValue(file: file, key: key, message: message, line: line, column: column)
    }
}
