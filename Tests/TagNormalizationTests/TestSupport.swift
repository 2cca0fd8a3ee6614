import Foundation
import TagNormalization

/// A small preset covering every rule, written as a preset file would be.
let rulesPresetJSON = """
    {
      "name": "rules",
      "remove_tags": ["highres", "bad * id", "rating:*", "* commentary"],
      "replace_map": { "a1": "a2", "a2": "a3", "blond_hair": "blonde hair", "pony tail": "ponytail" },
      "implications": { "white shirt": ["shirt"], "shirt": ["clothes"] },
      "protected_tags": ["keep me", "protected prop"],
      "background": {
        "general": ["outdoors", "indoors"],
        "specific": ["power lines", "protected prop"],
        "min_share_percent": 0
      },
      "groups": {
        "identity": ["1girl", "solo", "blonde hair", "ponytail"],
        "composition": ["upper body", "smile"],
        "lighting": ["sunlight"],
        "environment": ["outdoors", "indoors", "tree", "rock", "power lines"],
        "outfit": ["clothes", "shirt", "white shirt"]
      }
    }
    """

/// Parses a preset from JSON text (no `extends`).
func preset(_ json: String, file: String = "test.json") throws -> Preset {
    try Preset.parse(Array(json.utf8), file: file)
}

/// The rules preset, with changes applied.
func rulesPreset(_ change: (inout Preset) -> Void = { _ in }) throws -> Preset {
    var preset = try preset(rulesPresetJSON)
    change(&preset)
    return preset
}

/// Normalizes one caption as a one-caption dataset.
func normalizeOne(_ text: String, preset: Preset, trigger: String? = nil) -> String {
    DatasetNormalizer(preset: preset, triggerWord: trigger).normalize(["a.txt": text]).texts["a.txt"]!
}

/// A fresh temporary folder, removed by `cleanup()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-norm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes bytes at a relative path, creating folders.
    func write(_ relative: String, _ bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    func write(_ relative: String, _ text: String) throws { try write(relative, Array(text.utf8)) }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(relative)), as: UTF8.self)
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent(relative).path) }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// The repository's `presets/` folder, found from this source file.
let repositoryPresets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("presets")

