import Foundation
import Testing
@testable import TagNormalization

@Suite struct PresetLoadingTests {
    /// Broken JSON and where the error must point.
    @Test(arguments: [
        ("{\n  \"name\": \"x\",\n  \"remove_tags\": [\"a\" \"b\"]\n}", 3, 23, "expected ',' or ']'"),
        ("{\n  \"name\": \"x\",\n}", 3, 1, "trailing comma"),
        ("{\n  \"name\": 'x'\n}", 2, 11, "unexpected character"),
        ("{\"name\": \"x\"", 1, 13, "expected ',' or '}'"),
        ("{\n\t\"name\": \"x\",\n\t\"name\": \"y\"\n}", 3, 2, "duplicate key"),
        ("{\"remove_tags\": [\"é\", x]}", 1, 23, "unexpected character 'x'"),
    ])
    func syntaxErrorsNameFileLineAndColumn(json: String, line: Int, column: Int, message: String) {
        let error = #expect(throws: PresetError.self) { try preset(json, file: "/p/broken.json") }
        guard case .syntax(let file, let errorLine, let errorColumn, let text) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(file == "/p/broken.json")
        #expect(errorLine == line)
        #expect(errorColumn == column)
        #expect(text.contains(message), "\(text)")
    }

    @Test(arguments: [
        ("{\n  \"remove_tag\": []\n}", "remove_tag", 2, 3),
        ("{\n  \"background\": { \"minimum_share\": 3 }\n}", "minimum_share", 2, 19),
        ("{\n  \"groups\": {\n    \"clothes\": []\n  }\n}", "clothes", 3, 5),
        ("{\"final\": {\"optional\": \"keep\"}}", "optional", 1, 12),
    ])
    func unknownKeysAreErrorsByName(json: String, key: String, line: Int, column: Int) throws {
        let error = #expect(throws: PresetError.self) { try preset(json) }
        guard case .unknownKey(_, let name, let errorLine, let errorColumn, let allowed) = error else {
            Issue.record("expected an unknown key, got \(String(describing: error))")
            return
        }
        #expect(name == key)
        #expect(errorLine == line && errorColumn == column)
        #expect(!allowed.isEmpty)
    }

    @Test func wrongTypesAndValuesPointAtTheValue() {
        #expect(throws: PresetError.wrongType(file: "t.json", key: "remove_tags", expected: "an array of strings", found: "a string", line: 1, column: 17)) {
            try preset(#"{"remove_tags": "highres"}"#, file: "t.json")
        }
        #expect(throws: PresetError.invalidValue(file: "t.json", key: "words", message: #""dashes" is not one of "spaces" or "underscores""#, line: 1, column: 22)) {
            try preset(#"{"output": {"words": "dashes"}}"#, file: "t.json")
        }
        #expect(throws: PresetError.invalidValue(file: "t.json", key: "min_share_percent", message: "must be a percentage from 0 to 100", line: 1, column: 38)) {
            try preset(#"{"background": {"min_share_percent": 150}}"#, file: "t.json")
        }
    }

    @Test func aliasChainsResolveToTheLastTag() throws {
        let loaded = try preset(#"{"replace_map": {"a": "b", "b": "c", "c": "d", "x_y": "X Y", "e": "c"}}"#)
        #expect(loaded.replaceMap == ["a": "d", "b": "d", "c": "d", "e": "d"])
    }

    @Test(arguments: [
        (#"{"replace_map": {"a": "b", "b": "a"}}"#, ["a", "b", "a"]),
        (#"{"replace_map": {"x": "a", "a": "b", "b": "c", "c": "a"}}"#, ["a", "b", "c", "a"]),
    ])
    func aliasCyclesAreRejectedNamingTheTags(json: String, cycle: [String]) {
        #expect(throws: PresetError.replaceCycle(file: "test.json", tags: cycle)) { try preset(json) }
        #expect(PresetError.replaceCycle(file: "test.json", tags: cycle).description.contains(cycle.joined(separator: " → ")))
    }

    @Test func implicationsCloseTransitivelyAndRejectCycles() throws {
        let loaded = try preset(#"{"implications": {"white shirt": ["shirt"], "shirt": ["clothes"], "blond shirt": ["white shirt"]}, "replace_map": {"blond shirt": "gold shirt"}}"#)
        #expect(loaded.implications["white shirt"] == ["clothes", "shirt"])
        #expect(loaded.implications["gold shirt"] == ["clothes", "shirt", "white shirt"])
        #expect(throws: PresetError.implicationCycle(file: "test.json", tags: ["a", "b", "a"])) {
            try preset(#"{"implications": {"a": ["b"], "b": ["a"]}}"#)
        }
    }

    @Test func aTagInTwoGroupsIsAnError() {
        #expect(throws: PresetError.tagInTwoGroups(file: "test.json", tag: "smile", groups: ["identity", "composition"], line: 1, column: 52)) {
            try preset(#"{"groups": {"identity": ["smile"], "composition": ["smile"]}}"#)
        }
    }

    @Test func extendsMergesBaseThenChild() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("base.json", #"{"remove_tags": ["highres"], "replace_map": {"a": "b"}, "groups": {"identity": ["1girl"], "outfit": ["hat"]}, "background": {"min_share_percent": 5}}"#)
        try folder.write("child.json", #"{"extends": "base", "name": "kid", "remove_tags": ["lowres"], "replace_map": {"b": "c"}, "groups": {"composition": ["hat"]}}"#)
        let child = try Preset.load(from: folder.url.appendingPathComponent("child.json"))
        #expect(child.name == "kid")
        #expect(child.removeTags == ["highres", "lowres"])
        #expect(child.replaceMap == ["a": "c", "b": "c"])
        #expect(child.groups == ["1girl": .identity, "hat": .composition])
        #expect(child.background.minSharePercent == 5)
        #expect(child.files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["base.json", "child.json"])
    }

    @Test func extendsCyclesAreRejected() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("a.json", #"{"extends": "b"}"#)
        try folder.write("b.json", #"{"extends": "./a.json"}"#)
        let error = #expect(throws: PresetError.self) { try Preset.load(from: folder.url.appendingPathComponent("a.json")) }
        guard case .extendsCycle(let files) = error else {
            Issue.record("expected an extends cycle, got \(String(describing: error))")
            return
        }
        #expect(files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.json", "b.json", "a.json"])
    }

    @Test(arguments: ["anime", "manga", "manhwa"])
    func shippedPresetsLoadAndRoundTripThroughShow(name: String) throws {
        let library = PresetLibrary(directories: [repositoryPresets])
        let loaded = try library.load(name)
        #expect(loaded.groups.count >= 300)
        #expect(loaded.removeTags.contains("highres") && loaded.removeTags.contains("commentary request"))
        #expect(!loaded.background.general.isEmpty && !loaded.background.specific.isEmpty)
        var reloaded = try Preset.parse(Array(loaded.resolvedJSON().utf8), file: loaded.files.last!)
        reloaded.files = loaded.files
        #expect(reloaded == loaded)
    }

    @Test func shippedExtensionsInheritTheAnimeRules() throws {
        let library = PresetLibrary(directories: [repositoryPresets])
        let manga = try library.load("manga")
        #expect(manga.files.count == 2)
        #expect(manga.protectedTags.contains("monochrome"))
        #expect(manga.replaceMap["blond hair"] == "blonde hair")
        #expect(normalizeOne("monochrome, greyscale, 1girl, highres, speech_bubble", preset: manga)
            == "1girl, monochrome, greyscale, #optional, speech bubble")
    }

    @Test func libraryLooksInTheStandardOrderThenTheBuiltIns() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        for (place, name) in [
            ("root/presets", "root"), ("env", "env"), ("config/sluice/presets", "config"), ("data/sluice/presets", "data"),
            ("dirs1/sluice/presets", "dirs1"), ("dirs2/sluice/presets", "dirs2"),
        ] {
            try folder.write("\(place)/anime.json", #"{"name": "\#(name)"}"#)
            try folder.write("\(place)/only-\(name).json", #"{"name": "\#(name)"}"#)
        }
        let base = folder.url.path
        var environment = [
            "SLUICE_PRESETS_DIR": base + "/env", "XDG_CONFIG_HOME": base + "/config", "XDG_DATA_HOME": base + "/data",
            "XDG_DATA_DIRS": base + "/dirs1:relative/ignored:" + base + "/dirs2", "HOME": base + "/home",
        ]
        var library = PresetLibrary.standard(root: folder.url.appendingPathComponent("root"), environment: environment)
        #expect(library.directories.map { String($0.path.dropFirst(base.count)) }
            == ["/root/presets", "/env", "/config/sluice/presets", "/data/sluice/presets", "/dirs1/sluice/presets", "/dirs2/sluice/presets"])
        #expect(library.sources(forName: "anime").count == 7)
        #expect(library.sources(forName: "anime").last == .builtIn(name: "anime"))
        for name in ["root", "env", "config", "data", "dirs1", "dirs2"] {
            #expect(try library.load("only-\(name)").name == name)
        }
        let order = ["root", "env", "config", "data", "dirs1", "dirs2"]
        for (index, name) in order.enumerated() {
            #expect(try library.load("anime").name == name)
            if index + 1 < order.count {
                try FileManager.default.removeItem(at: library.sources(forName: "anime")[0].fileURL!)
            }
        }
        #expect(library.names().contains("manga") && library.names().contains("only-dirs2"))

        // The XDG defaults: ~/.config and ~/.local/share; nothing from the current folder or the binary's.
        environment = ["HOME": base + "/home"]
        try folder.write("home/.config/sluice/presets/mine.json", #"{"name": "mine"}"#)
        try folder.write("home/.local/share/sluice/presets/shared.json", #"{"name": "shared"}"#)
        library = PresetLibrary.standard(environment: environment)
        #expect(try library.load("mine").name == "mine")
        #expect(try library.load("shared").name == "shared")
        #expect(try library.source(forName: "anime") == .builtIn(name: "anime"))
        #expect(throws: PresetError.self) { try library.load("missing") }
    }
}

extension PresetSource {
    var fileURL: URL? {
        if case .file(let url) = self { url } else { nil }
    }
}
