import Foundation

/// Finds presets by name: in folders, in search order, then among the presets built into the binary.
///
/// The standard order is `ROOT/presets`, `$SLUICE_PRESETS_DIR`, `$XDG_CONFIG_HOME/sluice/presets`,
/// `$XDG_DATA_HOME/sluice/presets`, each `$XDG_DATA_DIRS` entry's `sluice/presets`, then the built-ins. Nothing is
/// found by walking up from the binary or the current folder, so a stray `presets/` elsewhere is never picked up.
public struct PresetLibrary: Sendable, Equatable {
    /// Folders searched, first match wins.
    public var directories: [URL]
    /// Whether the presets compiled into the binary come last in the search.
    public var includesBuiltIns: Bool

    public init(directories: [URL], includesBuiltIns: Bool = true) {
        var unique: [URL] = []
        for directory in directories.map(\.standardizedFileURL) where !unique.contains(directory) {
            unique.append(directory)
        }
        self.directories = unique
        self.includesBuiltIns = includesBuiltIns
    }

    /// The standard search order (see the type's documentation); only folders that exist are kept.
    public static func standard(
        root: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> PresetLibrary {
        PresetLibrary(directories: searchFolders(root: root, environment: environment).filter(isDirectory))
    }

    /// Every folder of the standard order, existing or not.
    public static func searchFolders(root: URL?, environment: [String: String]) -> [URL] {
        // The XDG Base Directory spec: unset, empty or relative values are ignored and the default is used.
        func absolute(_ variable: String) -> String? {
            guard let value = environment[variable], value.hasPrefix("/") else { return nil }
            return value
        }
        let home = absolute("HOME")
        var folders: [URL] = []
        if let root { folders.append(root.appendingPathComponent("presets")) }
        if let configured = absolute("SLUICE_PRESETS_DIR") { folders.append(URL(fileURLWithPath: configured)) }
        if let config = absolute("XDG_CONFIG_HOME") ?? home.map({ $0 + "/.config" }) {
            folders.append(URL(fileURLWithPath: config).appendingPathComponent("sluice/presets"))
        }
        if let data = absolute("XDG_DATA_HOME") ?? home.map({ $0 + "/.local/share" }) {
            folders.append(URL(fileURLWithPath: data).appendingPathComponent("sluice/presets"))
        }
        let dataDirectories = environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/share:/usr/share"
        for entry in dataDirectories.split(separator: ":") where entry.hasPrefix("/") {
            folders.append(URL(fileURLWithPath: String(entry)).appendingPathComponent("sluice/presets"))
        }
        return folders
    }

    /// Every source holding a preset of this name, in search order (the first one is used).
    public func sources(forName name: String) -> [PresetSource] {
        var found: [PresetSource] = []
        for directory in directories {
            let file = directory.appendingPathComponent(name + ".json")
            if FileManager.default.fileExists(atPath: file.path) { found.append(.file(file.standardizedFileURL)) }
        }
        if includesBuiltIns && BuiltInPresets.files[name] != nil { found.append(.builtIn(name: name)) }
        return found
    }

    /// Preset names (file names without `.json`) from every folder and the built-ins, sorted.
    public func names() -> [String] {
        var names: Set<String> = includesBuiltIns ? Set(BuiltInPresets.files.keys) : []
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".json") && !file.hasPrefix(".") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }

    /// The source of the preset with this name.
    /// - Throws: `PresetError.notFound` listing the folders searched.
    public func source(forName name: String) throws(PresetError) -> PresetSource {
        guard let first = sources(forName: name).first else {
            throw PresetError.notFound(name: name, searched: directories.map(\.path) + (includesBuiltIns ? ["the built-in presets"] : []))
        }
        return first
    }

    /// A name (`anime`) or a path (anything with a `/` or ending in `.json`) to a preset file.
    public func locate(_ nameOrPath: String) throws(PresetError) -> PresetSource {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") {
            let url = URL(fileURLWithPath: nameOrPath).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw PresetError.unreadable(file: url.path, reason: "no such file")
            }
            return .file(url)
        }
        return try source(forName: nameOrPath)
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
