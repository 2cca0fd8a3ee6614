import Testing
@testable import TagNormalization

/// One row of a rule table: a caption in, the caption the rules must write.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let input: String
    let output: String
    var testDescription: String { "\(rule): \(input)" }
}

@Suite struct NormalizationRuleTests {
    static let removal: [RuleCase] = [
        RuleCase(rule: "exact", input: "1girl, highres, smile", output: "1girl, smile"),
        RuleCase(rule: "exact, underscores and case", input: "1girl, HighRes, smile", output: "1girl, smile"),
        RuleCase(rule: "glob", input: "1girl, bad pixiv id, bad_twitter_id, smile", output: "1girl, smile"),
        RuleCase(rule: "glob with colon", input: "rating:general, 1girl, rating:explicit", output: "1girl"),
        RuleCase(rule: "glob suffix", input: "english commentary, 1girl, commentary", output: "1girl, commentary"),
        RuleCase(rule: "protected survives", input: "keep me, highres", output: "keep me"),
    ]

    static let replacement: [RuleCase] = [
        RuleCase(rule: "alias", input: "blond_hair, 1girl", output: "1girl, blonde hair"),
        RuleCase(rule: "chain a1→a2→a3", input: "a1", output: "a3"),
        RuleCase(rule: "middle of chain", input: "a2", output: "a3"),
        RuleCase(rule: "alias and canonical dedup", input: "a1, a3, a2", output: "a3"),
        RuleCase(rule: "alias keeps its weight", input: "(pony_tail:1.3)", output: "(ponytail:1.3)"),
    ]

    static let implication: [RuleCase] = [
        RuleCase(rule: "specific drops general", input: "shirt, white shirt", output: "white shirt"),
        RuleCase(rule: "transitive", input: "clothes, white shirt, shirt", output: "white shirt"),
        RuleCase(rule: "never adds", input: "white shirt", output: "white shirt"),
        RuleCase(rule: "general alone stays", input: "shirt", output: "shirt"),
        RuleCase(rule: "main drops optional copy", input: "white shirt, #optional, shirt", output: "white shirt"),
        RuleCase(
            rule: "optional does not drop main", input: "shirt, #optional, white shirt", output: "shirt, #optional, white shirt"),
    ]

    static let optionalSection: [RuleCase] = [
        RuleCase(rule: "kept", input: "1girl, #optional, tree", output: "1girl, #optional, tree"),
        RuleCase(rule: "rules apply inside", input: "1girl, #optional, highres, a1", output: "1girl, #optional, a3"),
        RuleCase(rule: "main beats optional duplicate", input: "tree, 1girl, #optional, tree", output: "1girl, tree"),
        RuleCase(rule: "empty section dropped", input: "1girl, #optional", output: "1girl"),
        RuleCase(rule: "specific background moves", input: "1girl, power lines, tree", output: "1girl, tree, #optional, power lines"),
        RuleCase(rule: "protected specific stays", input: "protected prop, 1girl", output: "1girl, protected prop"),
        RuleCase(rule: "general background stays", input: "outdoors, 1girl", output: "1girl, outdoors"),
        RuleCase(
            rule: "moved tags follow existing ones", input: "power lines, 1girl, #optional, rock",
            output: "1girl, #optional, rock, power lines"),
    ]

    static let ordering: [RuleCase] = [
        RuleCase(
            rule: "identity → composition → lighting → environment → outfit",
            input: "white shirt, tree, sunlight, smile, 1girl", output: "1girl, smile, sunlight, tree, white shirt"),
        RuleCase(rule: "table order inside a group", input: "blonde hair, solo, 1girl", output: "1girl, solo, blonde hair"),
        RuleCase(
            rule: "ungrouped keep their order after grouped", input: "zeta, 1girl, alpha, smile, mu",
            output: "1girl, smile, zeta, alpha, mu"),
        RuleCase(rule: "optional ordered too", input: "1girl, #optional, white shirt, rock", output: "1girl, #optional, rock, white shirt"),
    ]

    static let writtenForms: [RuleCase] = [
        RuleCase(rule: "escaped parentheses read", input: #"saber_\(fate\), 1girl"#, output: "1girl, saber (fate)"),
        RuleCase(rule: "weights kept", input: "(smile:1.2), 1girl", output: "1girl, (smile:1.2)"),
        RuleCase(rule: "kaomoji kept", input: "^_^, 1girl, o_o", output: "1girl, ^_^, o_o"),
        RuleCase(rule: "duplicates by key", input: "1girl, 1GIRL, 1_girl, 1girl", output: "1girl, 1 girl"),
        RuleCase(rule: "separators", input: "1girl,smile ,  tree,", output: "1girl, smile, tree"),
        RuleCase(rule: "lines joined", input: "1girl\nsmile", output: "1girl, smile"),
    ]

    @Test(arguments: removal + replacement + implication + optionalSection + ordering + writtenForms)
    func ruleWritesTheExpectedCaption(_ row: RuleCase) throws {
        let preset = try rulesPreset()
        #expect(normalizeOne(row.input, preset: preset) == row.output)
        #expect(normalizeOne(row.output, preset: preset) == row.output, "normalizing the result again changes nothing")
    }

    @Test(arguments: [
        RuleCase(rule: "added first", input: "1girl, smile", output: "mychar, 1girl, smile"),
        RuleCase(rule: "moved first", input: "1girl, smile, MyChar", output: "mychar, 1girl, smile"),
        RuleCase(rule: "from optional", input: "1girl, #optional, my_char", output: "mychar, 1girl"),
        RuleCase(rule: "never removed", input: "1girl, mychar, mychar", output: "mychar, 1girl"),
    ])
    func triggerWordIsKeptFirst(_ row: RuleCase) throws {
        let preset = try rulesPreset()
        let trigger = row.rule == "from optional" ? "my_char" : "mychar"
        let expected = row.rule == "from optional" ? "my_char, 1girl" : row.output
        #expect(normalizeOne(row.input, preset: preset, trigger: trigger) == expected)
        #expect(normalizeOne(expected, preset: preset, trigger: trigger) == expected)
    }

    @Test func outputFormOfThePresetIsUsed() throws {
        let preset = try rulesPreset { $0.output = OutputForm(words: .underscores, parentheses: .escaped) }
        let text = normalizeOne("blonde hair, saber (fate), (upper body:1.1), ^_^", preset: preset)
        #expect(text == #"blonde_hair, (upper_body:1.1), saber_\(fate\), ^_^"#)
        #expect(normalizeOne(text, preset: preset) == text)
    }

    /// 20 captions, threshold 10%: a tag in exactly 2 captions stays, in 1 caption moves to optional; a protected
    /// or general background tag in 1 caption stays.
    @Test func frequencyRuleMovesOnlyTagsStrictlyBelowTheShare() throws {
        let preset = try rulesPreset {
            $0.background.minSharePercent = 10
            $0.groups["keep me"] = .environment
            $0.groupPositions["keep me"] = 99
        }
        var captions: [String: String] = [:]
        for index in 0..<20 { captions["\(index).txt"] = "1girl" }
        captions["0.txt"] = "1girl, tree, rock, outdoors, keep me"
        captions["1.txt"] = "1girl, tree"
        let result = DatasetNormalizer(preset: preset).normalize(captions)
        #expect(result.texts["0.txt"] == "1girl, outdoors, tree, keep me, #optional, rock")
        #expect(result.texts["1.txt"] == "1girl, tree")
        #expect(result.report.tagsMovedToOptional == 1)
        let again = DatasetNormalizer(preset: preset).normalize(result.texts)
        #expect(again.texts == result.texts)
    }

    @Test func frequencyScopeAllCoversUngroupedTags() throws {
        let preset = try rulesPreset {
            $0.background.minSharePercent = 50
            $0.background.frequencyScope = .all
        }
        let result = DatasetNormalizer(preset: preset).normalize(["a.txt": "1girl, rare", "b.txt": "1girl, outdoors"])
        #expect(result.texts["a.txt"] == "1girl, rare")
        let stricter = try rulesPreset {
            $0.background.minSharePercent = 60
            $0.background.frequencyScope = .all
        }
        let moved = DatasetNormalizer(preset: stricter).normalize(["a.txt": "1girl, rare", "b.txt": "1girl, outdoors"])
        #expect(moved.texts["a.txt"] == "1girl, #optional, rare")
        #expect(moved.texts["b.txt"] == "1girl, outdoors", "general background tags stay")
    }

    @Test func reportCountsEveryKindOfChange() throws {
        let preset = try rulesPreset()
        let result = DatasetNormalizer(preset: preset).normalize([
            "a.txt": "highres, a1, shirt, white shirt, 1girl, 1girl, power lines",
            "b.txt": "1girl, smile",
        ])
        let report = result.report
        #expect(report.captionCount == 2)
        #expect(report.filesChanged == 1)
        #expect(report.tagsRemoved == 1)
        #expect(report.tagsReplaced == 1)
        #expect(report.tagsRedundant == 1)
        #expect(report.duplicatesRemoved == 1)
        #expect(report.tagsMovedToOptional == 1)
        #expect(report.captionsReordered == 1)
        #expect(report.topTagsBefore.first == NormalizationReport.TagCount(tag: "1girl", captions: 2))
        #expect(!report.topTagsAfter.contains { $0.tag == "highres" })
        #expect(result.changes.map(\.path) == ["a.txt"])
        #expect(result.changes[0].replaced == [CaptionChange.Replacement(from: "a1", to: "a3")])
        let summary = report.summary()
        #expect(summary.contains("changed 1 of 2 captions") && summary.contains("moved to optional:      1"))
    }
}
