import Configuration
import Testing

@Test func libraryConfigFileParsesToTheLibraryDefaults() throws {
    let parsed = try SluiceConfig.parse(DefaultConfigFile.libraryText(), file: "sluice.yaml")
    var expected = SluiceConfig()
    expected.profile = .library
    #expect(parsed == expected)
}

@Test func libraryRulesAndStagesAreRead() throws {
    let text = """
        profile: library
        library:
          review: always
          auto_approve_similarity: 85.5
          batch_size: 10
          output: move
          stages: {lookup: false}
          categories:
            - name: vocaloid
              tags_any: ["character:hatsune miku"]
              folder: Vocaloid/{character}
            - has: [copyright]
              rating: [general]
              min_width: 1000
              folder: Fanart/{copyright}
          default_category: Misc
        """
    let library = try SluiceConfig.parse(text, file: "x").library
    #expect(library.review == .always && library.autoApproveSimilarity == 85.5 && library.batchSize == 10 && library.output == .move)
    #expect(!library.stages.lookup && library.stages.organize)
    #expect(library.categories.count == 2 && library.categories[0].name == "vocaloid" && library.categories[0].tagsAny == ["character:hatsune miku"])
    #expect(library.categories[1].has == ["copyright"] && library.categories[1].minWidth == 1000 && library.categories[1].name == nil)
    #expect(library.defaultCategory == "Misc")
}

@Test(arguments: [
    ("library:\n  categories:\n    - has: [character]\n", 3, "'library.categories[0].folder' is required"),
    ("library:\n  categories:\n    - folder: A\n      colour: red\n", 4, "unknown key 'library.categories[0].colour'"),
    ("library:\n  review: sometimes\n", 2, "auto, always, never"),
    ("profile: photos\n", 1, "dataset, library"),
] as [(String, Int, String)])
func brokenLibraryConfigNamesTheLine(_ text: String, _ line: Int, _ mentions: String) {
    do {
        _ = try SluiceConfig.parse(text, file: "sluice.yaml")
        Issue.record("expected an error mentioning \(mentions)")
    } catch {
        #expect(error.line == line, "\(error)")
        #expect(error.description.contains(mentions), "\(error)")
    }
}
