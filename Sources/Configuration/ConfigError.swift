/// A problem with a config file, located by file, line and column so the user can fix it.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case syntax(String)
        case unknownKey(String, known: [String])
        case wrongType(key: String, expected: String)
        case invalidValue(key: String, message: String)
        case unreadable(String)
        case secretsReadableByOthers(mode: String)
    }

    public let file: String
    public let line: Int?
    public let column: Int?
    public let kind: Kind

    public init(file: String, line: Int? = nil, column: Int? = nil, kind: Kind) {
        self.file = file
        self.line = line
        self.column = column
        self.kind = kind
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        switch kind {
        case .syntax(let problem):
            return "\(location): YAML syntax error: \(problem)"
        case .unknownKey(let key, let known):
            return "\(location): unknown key '\(key)' (known keys here: \(known.joined(separator: ", ")))"
        case .wrongType(let key, let expected):
            return "\(location): '\(key)' must be \(expected)"
        case .invalidValue(let key, let message):
            return "\(location): '\(key)' \(message)"
        case .unreadable(let reason):
            return "\(location): cannot read config: \(reason)"
        case .secretsReadableByOthers(let mode):
            return "\(location): holds API keys but is readable by group or others (mode \(mode)); run: chmod 600 \(file)"
        }
    }
}
