import Foundation

/// Finds presets by name in `presets/` folders, in search order: `$SLUICE_PRESETS_DIR`, `<root>/presets`, then
/// the `presets/` (or `share/sluice/presets/`) folder found walking up from the executable and from the current
/// directory.
public struct PresetLibrary: Sendable, Equatable {
    /// Folders searched, first match wins.
    public var directories: [URL]

    public init(directories: [URL]) {
        var unique: [URL] = []
        for directory in directories.map(\.standardizedFileURL) where !unique.contains(directory) {
            unique.append(directory)
        }
        self.directories = unique
    }

    /// The standard search order; only folders that exist are kept.
    public static func standard(
        root: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) -> PresetLibrary {
        var candidates: [URL] = []
        if let configured = environment["SLUICE_PRESETS_DIR"], !configured.isEmpty {
            candidates.append(URL(fileURLWithPath: configured))
        }
        if let root { candidates.append(root.appendingPathComponent("presets")) }
        if let executable {
            if let found = presetsFolder(above: executable.resolvingSymlinksInPath().deletingLastPathComponent()) {
                candidates.append(found)
            }
        }
        if let found = presetsFolder(above: currentDirectory) { candidates.append(found) }
        return PresetLibrary(directories: candidates.filter(isDirectory))
    }

    /// The nearest `presets/` or `share/sluice/presets/` folder in `start` or one of its ancestors.
    public static func presetsFolder(above start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            for candidate in [folder.appendingPathComponent("presets"), folder.appendingPathComponent("share/sluice/presets")]
            where isDirectory(candidate) {
                return candidate
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// Preset names (file names without `.json`), sorted; a name in an earlier folder hides a later one.
    public func names() -> [String] {
        var names: Set<String> = []
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".json") && !file.hasPrefix(".") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }

    /// The file of the preset with this name.
    /// - Throws: `PresetError.notFound` listing the folders searched.
    public func url(forName name: String) throws(PresetError) -> URL {
        for directory in directories {
            let file = directory.appendingPathComponent(name + ".json")
            if FileManager.default.fileExists(atPath: file.path) { return file }
        }
        throw PresetError.notFound(name: name, searched: directories.map(\.path))
    }

    /// A name (`anime`) or a path (anything with a `/` or ending in `.json`) to a preset file.
    public func locate(_ nameOrPath: String) throws(PresetError) -> URL {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") {
            let url = URL(fileURLWithPath: nameOrPath).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw PresetError.unreadable(file: url.path, reason: "no such file")
            }
            return url
        }
        return try url(forName: nameOrPath)
    }

    /// Finds and loads a preset by name or path, resolving `extends` through this library.
    public func load(_ nameOrPath: String) throws(PresetError) -> Preset {
        try Preset.load(from: try locate(nameOrPath), library: self)
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
