/// Why a preset cannot be used; each message names the file (and line and column where there is one).
public enum PresetError: Error, Equatable, CustomStringConvertible {
    case notFound(name: String, searched: [String])
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, message: String)
    case unknownKey(file: String, key: String, line: Int, column: Int, allowed: [String])
    case wrongType(file: String, key: String, expected: String, found: String, line: Int, column: Int)
    case invalidValue(file: String, key: String, message: String, line: Int, column: Int)
    case tagInTwoGroups(file: String, tag: String, groups: [String], line: Int, column: Int)
    case replaceCycle(file: String, tags: [String])
    case implicationCycle(file: String, tags: [String])
    case extendsCycle(files: [String])

    public var description: String {
        switch self {
        case .notFound(let name, let searched):
            let places = searched.isEmpty ? "no presets folder was searched" : "looked in " + searched.joined(separator: ", ")
            return "preset '\(name)' not found (\(places)); pass a path to a .json file, or put \(name).json into "
                + "~/.config/sluice/presets/ or the root's presets/ folder."
        case .unreadable(let file, let reason):
            return "\(file): cannot read the preset (\(reason))."
        case .syntax(let file, let line, let column, let message):
            return "\(file):\(line):\(column): JSON syntax error: \(message)."
        case .unknownKey(let file, let key, let line, let column, let allowed):
            return "\(file):\(line):\(column): unknown key \"\(key)\"; allowed here: \(allowed.joined(separator: ", "))."
        case .wrongType(let file, let key, let expected, let found, let line, let column):
            return "\(file):\(line):\(column): \"\(key)\" must be \(expected), found \(found)."
        case .invalidValue(let file, let key, let message, let line, let column):
            return "\(file):\(line):\(column): \"\(key)\": \(message)."
        case .tagInTwoGroups(let file, let tag, let groups, let line, let column):
            return "\(file):\(line):\(column): tag \"\(tag)\" is listed in two groups (\(groups.joined(separator: " and "))); keep it in one."
        case .replaceCycle(let file, let tags):
            return "\(file): replace_map has a cycle: \(tags.joined(separator: " → ")); remove one of these aliases."
        case .implicationCycle(let file, let tags):
            return "\(file): implications have a cycle: \(tags.joined(separator: " → ")); a tag cannot imply itself."
        case .extendsCycle(let files):
            return "presets extend each other in a cycle: \(files.joined(separator: " → "))."
        }
    }
}
