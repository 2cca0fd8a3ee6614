import Foundation
import Testing
@testable import TagNormalization

/// Presets and captions written to break the readers: deep nesting, broken escapes, control characters.
@Suite struct HostileInputTests {
    @Test func presetNestedFiftyThousandLevelsIsASyntaxErrorWithPosition() {
        let json = "{\"remove_tags\": " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "}"
        let error = #expect(throws: PresetError.self) { try preset(json, file: "/p/deep.json") }
        guard case .syntax(let file, let line, let column, let message) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(file == "/p/deep.json")
        #expect(line == 1)
        // The object is level 1, so the 256th array (the 257th level) starts at byte 16 + 255.
        #expect(column == 16 + 255 + 1)
        #expect(message.contains("nested deeper than \(JSONParser.maximumDepth) levels"), "\(message)")
    }

    @Test func presetNestedToTheLimitStillParses() throws {
        let depth = JSONParser.maximumDepth - 1
        let json = "{\"x\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        var parser = JSONParser(Array(json.utf8))
        #expect(throws: Never.self) { try parser.parseDocument() }
    }

    @Test(arguments: ["\"\\uD800\\u0041\"", "\"\\uDBFF\\uDBFF\"", "\"\\uD83D\\u0000\""])
    func highSurrogateFollowedByANonLowSurrogateIsAnError(json: String) {
        var parser = JSONParser(Array(json.utf8))
        let error = #expect(throws: JSONSyntaxError.self) { try parser.parseDocument() }
        #expect(error?.message.contains("surrogate") == true, "\(String(describing: error))")
    }

    @Test func validSurrogatePairDecodes() throws {
        var parser = JSONParser(Array("\"\\uD83D\\uDE00\"".utf8))
        guard case .string(let text) = try parser.parseDocument().kind else { Issue.record("not a string"); return }
        #expect(text == "😀")
    }

    @Test(arguments: [
        ("so\u{0}lo, 1girl", ["solo", "1girl"]),
        ("\u{0}\u{0}\u{0}, smile", ["smile"]),
        ("a\u{7F}b, c\u{1B}[31md", ["ab", "c[31md"]),
        ("x\u{85}y, z\u{9F}", ["xy", "z"]),
        ("tab\there, \u{1}", ["tab here"]),
    ])
    func controlCharactersAreRemovedFromCaptionsWithAWarning(text: String, keys: [String]) {
        let caption = CaptionText.parse(text)
        #expect(caption.main.map(\.key) == keys)
        #expect(caption.warnings.contains { $0.contains("control characters") }, "\(caption.warnings)")
    }

    @Test func captionWithoutControlCharactersGetsNoControlWarning() {
        let caption = CaptionText.parse("1girl, solo, café")
        #expect(caption.warnings.isEmpty)
    }

    @Test func normalizedAndFinalCaptionsNeverCarryANul() throws {
        let rules = try preset(rulesPresetJSON)
        let normalized = DatasetNormalizer(preset: rules).normalize(["a.txt": "so\u{0}lo, \u{0}\u{0}, smile"])
        let text = try #require(normalized.texts["a.txt"])
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "\(text.debugDescription)")
        let final = FinalCaptionCleaner(options: .init()).clean("so\u{0}lo, \u{0}, smile")
        #expect(final == "solo, smile")
    }
}
