import Configuration
import Library
import Testing

@Suite("Categorizer: ordered rules, first match wins, explained")
struct CategorizerTests {
    static let rules: [SluiceConfig.CategoryRuleConfig] = {
        var vocaloid = SluiceConfig.CategoryRuleConfig(name: "vocaloid", folder: "Vocaloid/{character}")
        vocaloid.tagsAny = ["character:hatsune_miku", "character:kagamine rin"]
        var explicit = SluiceConfig.CategoryRuleConfig(name: "nsfw", folder: "NSFW")
        explicit.rating = ["questionable", "explicit"]
        var characters = SluiceConfig.CategoryRuleConfig(name: "characters", folder: "Characters/{character}")
        characters.has = ["character"]
        var wallpapers = SluiceConfig.CategoryRuleConfig(name: "wallpapers", folder: "Wallpapers/{orientation}")
        wallpapers.minWidth = 1920
        wallpapers.tagsNone = ["1girl"]
        var fanart = SluiceConfig.CategoryRuleConfig(name: "fanart", folder: "Fanart/{copyright}")
        fanart.has = ["copyright"]
        var animated = SluiceConfig.CategoryRuleConfig(folder: "Animated")
        animated.format = ["gif"]
        // Built-in analysis tags (`sluice/…`), by bare name and as `sluice:` category tags.
        var manga = SluiceConfig.CategoryRuleConfig(name: "manga", folder: "Manga")
        manga.tagsAny = ["sluice/monochrome", "sluice/greyscale"]
        manga.tagsNone = ["sluice/photo"]
        var strips = SluiceConfig.CategoryRuleConfig(name: "strips", folder: "Strips")
        strips.tagsAll = ["sluice:sluice/aspect:tall-strip"]
        var photos = SluiceConfig.CategoryRuleConfig(name: "photos", folder: "Photos/{orientation}")
        photos.tagsAll = ["sluice/photo"]
        return [vocaloid, explicit, characters, wallpapers, fanart, animated, manga, strips, photos]
    }()

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var tags: [LibraryTag]
        var width = 800
        var height = 1200
        var format = "png"
        var folder: String
        var rule: Int?
        var reasonContains: String
        var testDescription: String { label }
    }

    static func tag(_ category: String, _ name: String) -> LibraryTag { LibraryTag(category: category, name: name) }

    static let cases: [Case] = [
        Case(label: "first matching rule wins over later ones", tags: [tag("character", "hatsune miku"), tag("copyright", "vocaloid"), tag("rating", "general")],
             folder: "Vocaloid/hatsune miku", rule: 0, reasonContains: "has character:hatsune_miku"),
        Case(label: "rating rule before characters", tags: [tag("character", "hu tao (genshin impact)"), tag("rating", "explicit")],
             folder: "NSFW", rule: 1, reasonContains: "rating explicit"),
        Case(label: "template filled with the first character", tags: [tag("character", "hu tao (genshin impact)"), tag("character", "zhongli (genshin impact)")],
             folder: "Characters/hu tao (genshin impact)", rule: 2, reasonContains: "{character} = hu tao (genshin impact)"),
        Case(label: "a slash in a tag stays inside one folder name", tags: [tag("copyright", "fate/stay night")],
             folder: "Fanart/fate_stay night", rule: 4, reasonContains: "{copyright} = fate/stay night"),
        Case(label: "image facts and tags_none", tags: [tag("general", "scenery")], width: 2560, height: 1440,
             folder: "Wallpapers/landscape", rule: 3, reasonContains: "width ≥ 1920"),
        Case(label: "tags_none excludes", tags: [tag("general", "1girl")], width: 2560, height: 1440,
             folder: "Uncategorized", rule: nil, reasonContains: "has 1girl (tags_none)"),
        Case(label: "format rule", tags: [], format: "gif", folder: "Animated", rule: 5, reasonContains: "format gif"),
        Case(label: "nothing matches: default, with every rule's reason", tags: [tag("general", "smile")],
             folder: "Uncategorized", rule: nil, reasonContains: "rule 3 (characters): no character tag"),
        Case(label: "a built-in analysis tag matches by its sluice/ name", tags: [tag("general", "comic"), tag("sluice", "sluice/aspect:portrait"), tag("sluice", "sluice/greyscale")],
             folder: "Manga", rule: 6, reasonContains: "has sluice/greyscale"),
        Case(label: "tags_none on an analysis tag excludes", tags: [tag("sluice", "sluice/monochrome"), tag("sluice", "sluice/photo")],
             folder: "Photos/portrait", rule: 8, reasonContains: "has all of sluice/photo"),
        Case(label: "a sluice: category tag with a colon in its name", tags: [tag("sluice", "sluice/aspect:tall-strip")],
             folder: "Strips", rule: 7, reasonContains: "has all of sluice:sluice/aspect:tall-strip"),
        Case(label: "an analysis tag in another category does not match a sluice: rule", tags: [tag("general", "sluice/aspect:tall-strip")],
             folder: "Uncategorized", rule: nil, reasonContains: "rule 8 (strips): lacks sluice:sluice/aspect:tall-strip"),
        Case(label: "a dangerous name is made safe", tags: [tag("copyright", "../..")], folder: "Fanart/_", rule: 4, reasonContains: "{copyright}"),
    ]

    @Test(arguments: cases)
    func decides(_ example: Case) {
        let categorizer = Categorizer(rules: Self.rules.map(CategoryRule.init), defaultCategory: "Uncategorized")
        let facts = ImageFacts(sha256: "", md5: "", bytes: 1, width: example.width, height: example.height, format: example.format, perceptualHash: nil)
        let decision = categorizer.decide(CategorizationInput(tags: example.tags, facts: facts, origin: "md5"))
        #expect(decision.folder == example.folder)
        #expect(decision.ruleIndex == example.rule)
        #expect(decision.decidedBy == (example.rule == nil ? .fallback : .rule))
        #expect(decision.reason.contains(example.reasonContains), "\(decision.reason)")
    }

    struct AlwaysVocaloid: CategorySuggester {
        func suggest(for input: CategorizationInput) -> CategorySuggestion? {
            input.first("character") == "hatsune miku" ? CategorySuggestion(folder: "Learned/Miku", explanation: "14 of 15 moved there") : nil
        }
    }

    @Test func learnedSuggestionComesBeforeTheRules() {
        let categorizer = Categorizer(rules: Self.rules.map(CategoryRule.init), defaultCategory: "Misc", suggesters: [AlwaysVocaloid()])
        let miku = categorizer.decide(CategorizationInput(tags: [Self.tag("character", "hatsune miku")], facts: nil, origin: "md5"))
        #expect(miku.folder == "Learned/Miku" && miku.decidedBy == .suggestion && miku.reason == "learned: 14 of 15 moved there")
        let other = categorizer.decide(CategorizationInput(tags: [Self.tag("character", "rin")], facts: nil, origin: "md5"))
        #expect(other.folder == "Characters/rin" && other.decidedBy == .rule)
    }

    struct UnsureLearner: CategorySuggester {
        func suggest(for input: CategorizationInput) -> CategorySuggestion? {
            CategorySuggestion(folder: "Learned/Maybe", explanation: "2 of 5 images tagged `general:smile` were moved to Learned/Maybe/", isUsed: false)
        }
    }

    @Test func unusedProposalIsNotedButTheRulesDecide() {
        let categorizer = Categorizer(rules: Self.rules.map(CategoryRule.init), defaultCategory: "Misc", suggesters: [UnsureLearner()])
        let decision = categorizer.decide(CategorizationInput(tags: [Self.tag("character", "rin")], facts: nil, origin: "md5"))
        #expect(decision.folder == "Characters/rin" && decision.decidedBy == .rule && decision.suggested == "Learned/Maybe")
        #expect(decision.reason.hasPrefix("rule 3 (characters)") && decision.reason.contains("learned, not used: 2 of 5"), "\(decision.reason)")
    }

    @Test(arguments: [
        ("Fanart", "Fanart"), ("a:b*c?", "a_b_c_"), (".hidden", "hidden"), ("..", nil), ("  spaced   out  ", "spaced out"),
        ("CON", "CON_"), ("name.", "name"), ("tab\there", "tab_here"),
    ] as [(String, String?)])
    func folderNamesAreSafe(_ input: String, _ expected: String?) {
        #expect(FolderName.safe(input) == expected)
    }

    @Test func numberedNamesForClashes() {
        #expect(NumberedName.numbered("a.jpg", 1) == "a.jpg")
        #expect(NumberedName.numbered("a.jpg", 2) == "a (2).jpg")
        #expect(NumberedName.numbered("noext", 3) == "noext (3)")
        #expect(NumberedName.free(for: "a.png") { ["a.png", "a (2).png"].contains($0) } == "a (3).png")
    }
}
