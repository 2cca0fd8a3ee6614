import Foundation

extension Preset {
    /// Loads a preset file, following `extends` (a name looked up beside the file, then in `library` and the
    /// built-ins, or a path relative to the file).
    /// - Throws: `PresetError` naming the file, with line and column for syntax errors and unknown keys.
    public static func load(from url: URL, library: PresetLibrary? = nil) throws(PresetError) -> Preset {
        try load(from: .file(url.standardizedFileURL), library: library)
    }

    /// Loads a preset from a file or a built-in, following `extends`.
    public static func load(from source: PresetSource, library: PresetLibrary? = nil) throws(PresetError) -> Preset {
        try resolve(try loadChain(from: source, library: library, visited: []))
    }

    /// Parses a preset from bytes; an `extends` is looked up beside `file`, then in `library` and the built-ins.
    public static func parse(_ bytes: [UInt8], file: String, library: PresetLibrary? = nil) throws(PresetError) -> Preset {
        let definition = try PresetDefinition.parse(bytes, file: file)
        guard let extends = definition.extends else { return try resolve([definition]) }
        let here = PresetSource.file(URL(fileURLWithPath: file).standardizedFileURL)
        let base = try locateBase(extends, of: definition, in: here, library: library)
        return try resolve(try loadChain(from: base, library: library, visited: [here.path]) + [definition])
    }

    /// The definitions of a preset and its `extends` chain, base first.
    private static func loadChain(from source: PresetSource, library: PresetLibrary?, visited: [String]) throws(PresetError)
        -> [PresetDefinition]
    {
        var chain: [PresetDefinition] = []
        var visited = visited
        var next: PresetSource? = source
        while let current = next {
            let path = current.path
            if visited.contains(path) { throw PresetError.extendsCycle(files: visited + [path]) }
            visited.append(path)
            let definition = try PresetDefinition.parse(try current.bytes(), file: path)
            chain.insert(definition, at: 0)
            if let extends = definition.extends {
                next = try locateBase(extends, of: definition, in: current, library: library)
            } else {
                next = nil
            }
        }
        return chain
    }

    /// The preset an `extends` names. A path is relative to the extending file. A name is looked up beside the
    /// file, then in the library, then among the built-ins; a preset extending its own name (a user's
    /// `anime.json` with `"extends": "anime"`) gets the next one in search order, so it can refine a built-in.
    private static func locateBase(
        _ extends: PresetDefinition.Entry, of definition: PresetDefinition, in source: PresetSource, library: PresetLibrary?
    ) throws(PresetError) -> PresetSource {
        let text = extends.text
        if text.contains("/") || text.hasSuffix(".json") {
            guard case .file(let file) = source else {
                let (line, column) = definition.position(of: extends.offset)
                throw PresetError.invalidValue(
                    file: definition.file, key: "extends", message: "a built-in preset extends by name only", line: line, column: column)
            }
            return .file(URL(fileURLWithPath: text, relativeTo: file.deletingLastPathComponent()).standardizedFileURL)
        }
        var candidates: [PresetSource] = []
        if case .file(let file) = source {
            let sibling = file.deletingLastPathComponent().appendingPathComponent(text + ".json").standardizedFileURL
            if FileManager.default.fileExists(atPath: sibling.path) { candidates.append(.file(sibling)) }
        }
        for found in (library ?? PresetLibrary(directories: [])).sources(forName: text) where !candidates.contains(found) {
            candidates.append(found)
        }
        if text == source.name, let own = candidates.firstIndex(of: source) {
            candidates.removeSubrange(...own)
        }
        guard let base = candidates.first else {
            let (line, column) = definition.position(of: extends.offset)
            throw PresetError.invalidValue(
                file: definition.file, key: "extends",
                message: "no preset named '\(text)' beside this file, in the presets folders or built in", line: line, column: column)
        }
        return base
    }

    /// Merges a chain of definitions (base first) and compiles it: keys, chains, closures, cycle checks.
    static func resolve(_ chain: [PresetDefinition]) throws(PresetError) -> Preset {
        let top = chain.last!
        var preset = Preset(name: top.name ?? URL(fileURLWithPath: top.file).deletingPathExtension().lastPathComponent)
        preset.files = chain.map(\.file)
        var aliases: [String: String] = [:]
        var implications: [String: Set<String>] = [:]
        for definition in chain {
            if let description = definition.description { preset.description = description }
            if let words = definition.words { preset.output.words = words }
            if let parentheses = definition.parentheses { preset.output.parentheses = parentheses }
            if let trigger = definition.triggerWord { preset.triggerWord = trigger.isEmpty ? nil : trigger }
            for entry in definition.removeTags {
                let key = TagKey.of(entry.text)
                if GlobPattern.isPattern(key) {
                    if !preset.removePatterns.contains(key) { preset.removePatterns.append(key) }
                } else {
                    preset.removeTags.insert(key)
                }
            }
            for (alias, canonical) in definition.replaceMap {
                let aliasKey = TagKey.of(alias.text), canonicalKey = TagKey.of(canonical.text)
                guard !canonicalKey.isEmpty else {
                    let (line, column) = definition.position(of: canonical.offset)
                    throw PresetError.invalidValue(
                        file: definition.file, key: alias.text, message: "replacement is empty", line: line, column: column)
                }
                if aliasKey != canonicalKey { aliases[aliasKey] = canonicalKey }
            }
            for (tag, implied) in definition.implications {
                implications[TagKey.of(tag.text), default: []].formUnion(implied.map { TagKey.of($0.text) })
            }
            preset.protectedTags.formUnion(definition.protectedTags.map { TagKey.of($0.text) })
            preset.background.general.formUnion(definition.generalBackground.map { TagKey.of($0.text) })
            preset.background.specific.formUnion(definition.specificBackground.map { TagKey.of($0.text) })
            if let share = definition.minSharePercent { preset.background.minSharePercent = share }
            if let scope = definition.frequencyScope { preset.background.frequencyScope = scope }
            for (group, tags) in definition.groups {
                for tag in tags {
                    let key = TagKey.of(tag.text)
                    if preset.groupPositions[key] == nil { preset.groupPositions[key] = preset.groupPositions.count }
                    preset.groups[key] = group
                }
            }
            if let optional = definition.optionalTags { preset.final.optionalTags = optional }
            if let enforce = definition.enforceGroupOrder { preset.final.enforceGroupOrder = enforce }
        }
        // Positions count within each group, so a resolved preset written out and loaded again is equal.
        for group in TagGroup.allCases {
            let keys = preset.groups.filter { $0.value == group }.map(\.key)
            for (position, key) in keys.sorted(by: { preset.groupPositions[$0]! < preset.groupPositions[$1]! }).enumerated() {
                preset.groupPositions[key] = position
            }
        }
        preset.replaceMap = try resolveChains(aliases, file: top.file)
        preset.implications = try closeImplications(implications, aliases: preset.replaceMap, file: top.file)
        return preset
    }

    /// Follows every alias to its final canonical form; a cycle is an error naming its tags.
    static func resolveChains(_ aliases: [String: String], file: String) throws(PresetError) -> [String: String] {
        var resolved: [String: String] = [:]
        for alias in aliases.keys.sorted() {
            var path = [alias]
            var current = alias
            while let next = aliases[current] {
                if let start = path.firstIndex(of: next) {
                    throw PresetError.replaceCycle(file: file, tags: Array(path[start...]) + [next])
                }
                path.append(next)
                current = next
            }
            resolved[alias] = current
        }
        return resolved
    }

    /// Closes implications transitively (written in canonical form); a tag that implies itself is an error.
    static func closeImplications(
        _ direct: [String: Set<String>], aliases: [String: String], file: String
    ) throws(PresetError) -> [String: [String]] {
        var graph: [String: Set<String>] = [:]
        for (tag, implied) in direct {
            let canonical = aliases[tag] ?? tag
            graph[canonical, default: []].formUnion(implied.map { aliases[$0] ?? $0 }.filter { $0 != canonical })
        }
        var closed: [String: [String]] = [:]
        for tag in graph.keys.sorted() {
            var reached: Set<String> = []
            var stack: [(tag: String, path: [String])] = [(tag, [tag])]
            while let (current, path) = stack.popLast() {
                for next in (graph[current] ?? []).sorted() {
                    if next == tag { throw PresetError.implicationCycle(file: file, tags: path + [next]) }
                    if reached.insert(next).inserted { stack.append((next, path + [next])) }
                }
            }
            closed[tag] = reached.sorted()
        }
        return closed
    }
}
