import Configuration
import Foundation

/// A job's config as JSON text: written when the job starts (secrets removed), and read back over the defaults of
/// the running version, so a snapshot written before a key existed still decodes, that key taking its default.
public enum ConfigSnapshot {
    public struct Unreadable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "the job's config snapshot does not decode: \(reason)" }
    }

    public static func encode(_ config: SluiceConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(config.withoutSecrets)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The snapshot's values laid over today's defaults, section by section and key by key.
    public static func decode(_ text: String) throws(Unreadable) -> SluiceConfig {
        do {
            let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(SluiceConfig()))
            let snapshot = try JSONSerialization.jsonObject(with: Data(text.utf8))
            let merged = try JSONSerialization.data(withJSONObject: merge(snapshot, over: defaults))
            return try JSONDecoder().decode(SluiceConfig.self, from: merged)
        } catch {
            throw Unreadable(reason: "\(error)")
        }
    }

    /// `section.key: old → new` for every key that differs between two configs (secrets never shown).
    public static func changes(from old: SluiceConfig, to new: SluiceConfig) -> [String] {
        let before = flatten(jsonObject(old.withoutSecrets))
        let after = flatten(jsonObject(new.withoutSecrets))
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : "\(key): \(before[key] ?? "unset") → \(after[key] ?? "unset")"
        }
    }

    private static func merge(_ top: Any, over base: Any) -> Any {
        guard let top = top as? [String: Any], var base = base as? [String: Any] else { return top }
        for (key, value) in top { base[key] = base[key].map { merge(value, over: $0) } ?? value }
        return base
    }

    private static func jsonObject(_ config: SluiceConfig) -> Any {
        (try? JSONEncoder().encode(config)).flatMap { try? JSONSerialization.jsonObject(with: $0) } ?? [:]
    }

    /// Dotted keys to compact JSON texts of their values.
    private static func flatten(_ object: Any, prefix: String = "") -> [String: String] {
        guard let dictionary = object as? [String: Any] else {
            let data = try? JSONSerialization.data(withJSONObject: [object], options: [.sortedKeys, .fragmentsAllowed])
            let text = data.map { String(decoding: $0, as: UTF8.self) } ?? "?"
            return [prefix: String(text.dropFirst().dropLast())]
        }
        var flat: [String: String] = [:]
        for (key, value) in dictionary { flat.merge(flatten(value, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) { $1 } }
        return flat
    }
}
