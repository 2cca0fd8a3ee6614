import Foundation
import Testing
@testable import TagNormalization

@Suite struct BuiltInPresetTests {
    @Test func builtInPresetsMatchThePresetsFolderByteForByte() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: repositoryPresets.path).filter { $0.hasSuffix(".json") }
        #expect(Set(BuiltInPresets.files.keys) == Set(files.map { String($0.dropLast(5)) }),
                "run scripts/generate-builtin-presets.sh")
        for file in files {
            let onDisk = try Data(contentsOf: repositoryPresets.appendingPathComponent(file))
            #expect(Array(onDisk) == Array((BuiltInPresets.files[String(file.dropLast(5))] ?? "").utf8),
                    "\(file) differs from its built-in copy: run scripts/generate-builtin-presets.sh")
        }
    }

    @Test(arguments: ["anime", "manga", "manhwa"])
    func builtInsLoadWithoutAnyFolderAndEqualTheFiles(name: String) throws {
        let builtIn = try PresetLibrary(directories: []).load(name)
        let fromFiles = try PresetLibrary(directories: [repositoryPresets], includesBuiltIns: false).load(name)
        #expect(builtIn.resolvedJSON() == fromFiles.resolvedJSON())
        #expect(builtIn.files.allSatisfy { $0.hasPrefix("<built-in>/") })
    }

    @Test func aUserPresetExtendingABuiltInByNameResolves() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("mine.json", #"{"extends": "manga", "remove_tags": ["speech bubble"]}"#)
        let mine = try Preset.load(from: folder.url.appendingPathComponent("mine.json"))
        #expect(mine.files == ["<built-in>/anime.json", "<built-in>/manga.json", folder.url.appendingPathComponent("mine.json").path])
        #expect(mine.removeTags.contains("speech bubble") && mine.protectedTags.contains("monochrome"))
    }

    @Test func aPresetShadowingABuiltInMayExtendIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("presets/anime.json", #"{"extends": "anime", "description": "mine", "remove_tags": ["solo"]}"#)
        let library = PresetLibrary(directories: [folder.url.appendingPathComponent("presets")])
        let anime = try library.load("anime")
        #expect(anime.description == "mine")
        #expect(anime.removeTags.contains("solo") && anime.removeTags.contains("highres"))
        #expect(anime.files.first == "<built-in>/anime.json")
        // manga extends "anime" by name, so it picks up the shadowing preset.
        #expect(try library.load("manga").removeTags.contains("solo"))
    }

    @Test func extendingAMissingNameNamesTheFileAndLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("x.json", "{\n  \"extends\": \"nope\"\n}")
        let error = #expect(throws: PresetError.self) { try Preset.load(from: folder.url.appendingPathComponent("x.json")) }
        guard case .invalidValue(_, "extends", _, 2, _) = error else {
            Issue.record("expected an invalid extends, got \(String(describing: error))")
            return
        }
    }
}
