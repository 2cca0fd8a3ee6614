import Testing
@testable import TagNormalization

@Suite struct FinalCaptionCleanerTests {
    @Test(arguments: [
        (Preset.OptionalTags.keep, false, "1girl, smile, #optional, power lines, tree", "1girl, smile, power lines, tree"),
        (.drop, false, "1girl, smile, #optional, power lines, tree", "1girl, smile"),
        (.keep, false, "1girl,,  smile ,1girl, #optional, smile, ", "1girl, smile"),
        (.keep, false, "1girl, smile\r\nupper body\n", "1girl, smile, upper body"),
        (.keep, false, "Long_Hair,  saber \\(fate\\)", "Long_Hair, saber \\(fate\\)"),
        (.keep, true, "white shirt, tree, #optional, rock, smile, 1girl", "1girl, smile, tree, rock, white shirt"),
        (.keep, false, "white shirt, tree, #optional, rock, smile, 1girl", "white shirt, tree, rock, smile, 1girl"),
        (.drop, true, "zeta, white shirt, solo, 1girl, smile", "1girl, solo, smile, white shirt, zeta"),
    ])
    func finalRulesWriteOneCleanLine(optional: Preset.OptionalTags, order: Bool, input: String, output: String) throws {
        let cleaner = FinalCaptionCleaner(options: .init(optionalTags: optional, enforceGroupOrder: order), preset: try rulesPreset())
        #expect(cleaner.clean(input) == output)
        #expect(cleaner.clean(output) == output)
    }

    @Test func triggerWordStaysFirstWhenOrdering() throws {
        let cleaner = FinalCaptionCleaner(options: .init(enforceGroupOrder: true), preset: try rulesPreset(), triggerWord: "mychar")
        #expect(cleaner.clean("smile, 1girl, mychar") == "mychar, 1girl, smile")
    }

    @Test func optionsDefaultToThePresets() throws {
        let preset = try rulesPreset { $0.final = .init(optionalTags: .drop, enforceGroupOrder: false) }
        #expect(FinalCaptionCleaner.Options(preset: preset) == .init(optionalTags: .drop, enforceGroupOrder: false))
    }
}
