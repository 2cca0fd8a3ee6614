import Foundation

/// Where a preset's JSON comes from: a file, or one of the presets compiled into the binary.
public enum PresetSource: Sendable, Hashable {
    case file(URL)
    case builtIn(name: String)

    /// The name errors and `Preset.files` use: the file's path, or `<built-in>/NAME.json` for a built-in.
    public var path: String {
        switch self {
        case .file(let url): url.path
        case .builtIn(let name): "<built-in>/\(name).json"
        }
    }

    /// The preset's name as a search would find it (the file name without `.json`).
    public var name: String {
        switch self {
        case .file(let url): url.deletingPathExtension().lastPathComponent
        case .builtIn(let name): name
        }
    }

    public var isBuiltIn: Bool {
        if case .builtIn = self { true } else { false }
    }

    /// The preset's bytes.
    /// - Throws: `PresetError.unreadable` naming the file.
    func bytes() throws(PresetError) -> [UInt8] {
        switch self {
        case .builtIn(let name):
            guard let text = BuiltInPresets.files[name] else { throw PresetError.unreadable(file: path, reason: "no such built-in preset") }
            return Array(text.utf8)
        case .file(let url):
            do {
                return Array(try Data(contentsOf: url))
            } catch {
                throw PresetError.unreadable(file: url.path, reason: (error as NSError).localizedDescription)
            }
        }
    }
}
