import Imaging
import Testing
@testable import TagNormalization

/// Generated datasets (seeded, so a failure names a reproducible seed) checked for the engine's promises.
@Suite struct PropertyTests {
    /// Builds a caption from real preset vocabulary written in messy ways: aliases, removed tags, case, underscores,
    /// escapes, weights, NBSP, empty tags, markers, duplicates, kaomoji and unknown tags.
    static func caption(vocabulary: [String], using random: inout SplitMix64) -> String {
        var tokens: [String] = []
        for _ in 0..<Int.random(in: 0...40, using: &random) {
            var tag = vocabulary.randomElement(using: &random)!
            switch Int.random(in: 0..<14, using: &random) {
            case 0: tag = tag.replacingOccurrences(of: " ", with: "_")
            case 1: tag = tag.uppercased()
            case 2: tag = "(\(tag):\(Int.random(in: 1...15, using: &random) / 10).\(Int.random(in: 0...9, using: &random)))"
            case 3: tag = tag.replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
            case 4: tag = "\u{00A0}\(tag) "
            case 5: tag = ""
            case 6: tag = Int.random(in: 0..<4, using: &random) == 0 ? "#optional" : tag
            case 7: tag = ["^_^", ">_<", "o_o", "x_x", "(o)_(o)", "|_|"].randomElement(using: &random)!
            case 8: tag = "unknown tag \(Int.random(in: 0..<50, using: &random))"
            default: break
            }
            tokens.append(tag)
        }
        let separator = [", ", ",", " , ", ",\n"].randomElement(using: &random)!
        return tokens.joined(separator: separator)
    }

    static func dataset(preset: Preset, seed: UInt64, count: Int) -> [String: String] {
        var random = SplitMix64(seed: seed)
        var vocabulary = Array(preset.groups.keys).sorted()
        vocabulary += preset.replaceMap.keys.sorted() + preset.removeTags.sorted() + Array(preset.implications.keys).sorted()
        vocabulary += ["rating:general", "bad twitter id", "chinese commentary"]
        var captions: [String: String] = [:]
        for index in 0..<count { captions["\(index % 7)/\(index).txt"] = caption(vocabulary: vocabulary, using: &random) }
        return captions
    }

    @Test(arguments: [1, 42, 2026] as [UInt64])
    func normalizingTwiceChangesNothing(seed: UInt64) throws {
        for name in ["anime", "manga"] {
            var preset = try PresetLibrary(directories: [repositoryPresets]).load(name)
            preset.background.minSharePercent = 8
            for trigger in [nil, "my_trigger"] as [String?] {
                let normalizer = DatasetNormalizer(preset: preset, triggerWord: trigger)
                let once = normalizer.normalize(Self.dataset(preset: preset, seed: seed, count: 150))
                let twice = normalizer.normalize(once.texts)
                #expect(twice.texts == once.texts, "seed \(seed), preset \(name)")
                #expect(twice.report.filesChanged == 0)
                #expect(twice.changes.isEmpty)
            }
        }
    }

    @Test(arguments: [7, 8] as [UInt64])
    func everyOutputTagIsAccountedFor(seed: UInt64) throws {
        var preset = try PresetLibrary(directories: [repositoryPresets]).load("anime")
        preset.background.minSharePercent = 10
        let captions = Self.dataset(preset: preset, seed: seed, count: 200)
        let result = DatasetNormalizer(preset: preset, triggerWord: "trig").normalize(captions)
        for (path, before) in captions {
            let input = CaptionText.parse(before).allTags.map(\.key)
            let allowed = Set(input).union(input.map { preset.replaceMap[$0] ?? $0 }).union(["trig"])
            let output = CaptionText.parse(result.texts[path]!)
            for tag in output.allTags {
                #expect(allowed.contains(tag.key), "seed \(seed): \(path) gained \(tag.key)")
            }
            // Nothing removed unless a rule says so.
            let kept = Set(output.allTags.map(\.key))
            for key in input {
                let canonical = preset.replaceMap[key] ?? key
                let isRemoved = preset.removeTags.contains(key) || preset.removeTags.contains(canonical)
                    || preset.removePatterns.contains { GlobPattern($0).matches(key) || GlobPattern($0).matches(canonical) }
                let isImplied = kept.contains { preset.implications[$0]?.contains(canonical) ?? false }
                #expect(kept.contains(canonical) || isRemoved || isImplied, "seed \(seed): \(path) lost \(key)")
            }
            #expect(output.main.first?.key == "trig")
            #expect(!result.texts[path]!.contains("\n"))
        }
    }

    @Test func normalizationIsDeterministicAcrossRuns() throws {
        let preset = try PresetLibrary(directories: [repositoryPresets]).load("anime")
        let captions = Self.dataset(preset: preset, seed: 99, count: 1200)
        let first = DatasetNormalizer(preset: preset).normalize(captions)
        let second = DatasetNormalizer(preset: preset).normalize(captions)
        #expect(first.texts == second.texts)
        #expect(first.report == second.report)
    }
}
