import Foundation

extension Preset {
    /// The resolved rules as a preset file (no `extends`; chains and implications already followed), which loads
    /// back to an equal preset. Keys and lists are sorted so the text diffs well.
    public func resolvedJSON() -> String {
        var root: [String: Any] = [
            "name": name,
            "description": description,
            "output": ["words": output.words.rawValue, "parentheses": output.parentheses.rawValue],
            "remove_tags": removeTags.sorted() + removePatterns,
            "replace_map": replaceMap,
            "implications": implications,
            "protected_tags": protectedTags.sorted(),
            "background": [
                "general": background.general.sorted(),
                "specific": background.specific.sorted(),
                "min_share_percent": background.minSharePercent,
                "frequency_scope": background.frequencyScope.rawValue,
            ] as [String: Any],
            "groups": Dictionary(uniqueKeysWithValues: TagGroup.allCases.map { group in
                (group.rawValue, groups.filter { $0.value == group }.map(\.key)
                    .sorted { (groupPositions[$0] ?? 0, $0) < (groupPositions[$1] ?? 0, $1) })
            }),
            "final": ["optional_tags": final.optionalTags.rawValue, "enforce_group_order": final.enforceGroupOrder] as [String: Any],
        ]
        root["trigger_word"] = triggerWord ?? NSNull()
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// A one-line description of the preset's size, for `presets list` and `presets check`.
    public var statistics: String {
        "\(removeTags.count + removePatterns.count) remove rules, \(replaceMap.count) aliases, "
            + "\(implications.count) implications, \(groups.count) grouped tags, "
            + "\(background.general.count) general and \(background.specific.count) specific background tags"
    }
}
