/// `pipeline.autotag`: where a dataset's captions come from before normalization.
public enum AutotagMode: String, Codable, CaseIterable, Sendable {
    /// Steps B–E: the zip for CivitAI's auto-tagger and the wait for its result (`true` in older configs).
    case civitai
    /// Caption every image with the configured analyzer (`analyze.analyzers`), no upload.
    case local
    /// Keep the captions that came with the drop (`false` in older configs).
    case off

    /// Also reads the YAML booleans older configs used: true/yes/on mean civitai, false/no mean off.
    public init?(rawValue: String) {
        switch rawValue.lowercased() {
        case "civitai", "true", "yes", "on": self = .civitai
        case "local": self = .local
        case "off", "false", "no": self = .off
        default: return nil
        }
    }

    public var rawValue: String {
        switch self {
        case .civitai: "civitai"
        case .local: "local"
        case .off: "off"
        }
    }

    /// Job config snapshots written before the modes existed hold a JSON boolean.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = flag ? .civitai : .off
            return
        }
        let text = try container.decode(String.self)
        guard let mode = AutotagMode(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown autotag mode \(text)")
        }
        self = mode
    }
}
