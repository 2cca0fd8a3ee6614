import Testing
@testable import TagNormalization

@Suite struct TagKeyTests {
    static let kaomoji = [
        "^_^", ">_<", "o_o", "0_0", "(o)_(o)", "<o>_<o>", "<|>_<|>", "||_||", "@_@", "x_x", "u_u", "=_=", "+_+", "+_-",
        "._.", "3_3", "6_9", ">_o", "|_|",
    ]

    @Test(arguments: kaomoji)
    func kaomojiKeepTheirUnderscores(face: String) {
        #expect(TagKey.of(face) == face)
        #expect(TagKey.of("  \(face.uppercased()) ") == face)
        #expect(OutputForm(words: .underscores).render(key: face) == face)
    }

    @Test func escapedKaomojiReadAsTheFace() {
        #expect(TagKey.of(#"\(o\)_\(o\)"#) == "(o)_(o)")
        #expect(OutputForm(parentheses: .escaped).render(key: "(o)_(o)") == #"\(o\)_\(o\)"#)
    }

    @Test(arguments: [
        ("long_hair", "long hair"),
        ("  Long_Hair  ", "long hair"),
        ("blonde   hair", "blonde hair"),
        ("blonde\u{00A0}hair", "blonde hair"),
        ("\u{00A0}smile\u{00A0}", "smile"),
        ("looking_at__viewer_", "looking at viewer"),
        (#"saber_\(fate\)"#, "saber (fate)"),
        ("saber (fate)", "saber (fate)"),
        ("ÉLÉONORE_Blanc", "éléonore blanc"),
        ("x_x_x", "x x x"),
        (":d", ":d"),
        ("   ", ""),
        ("_", ""),
    ])
    func keyReadsTagsAsDesignSaysStatesThem(raw: String, key: String) {
        #expect(TagKey.of(raw) == key)
    }

    @Test(arguments: [
        ("(blue eyes:1.2)", "blue eyes", "1.2"),
        ("( long_hair : 0.8 )", "long hair", "0.8"),
        (#"(saber \(fate\):1.1)"#, "saber (fate)", "1.1"),
        ("(:3:1.5)", ":3", "1.5"),
    ])
    func weightedTagsKeepTheirWeight(raw: String, key: String, weight: String) {
        #expect(CaptionTag.parse(raw) == CaptionTag(key: key, weight: weight))
    }

    @Test(arguments: ["(o)_(o)", "(tag)", "(tag:high)", "(:1.2)", "re:zero", #"\(tag:1.2\)"#])
    func textThatIsNotAWeightIsATag(raw: String) {
        #expect(CaptionTag.parse(raw)?.weight == nil)
    }

    @Test(arguments: [
        (OutputForm(), "saber (fate)", "saber (fate)"),
        (OutputForm(words: .underscores), "saber (fate)", "saber_(fate)"),
        (OutputForm(parentheses: .escaped), "saber (fate)", #"saber \(fate\)"#),
        (OutputForm(words: .underscores, parentheses: .escaped), "saber (fate)", #"saber_\(fate\)"#),
        (OutputForm(words: .underscores), "x x", "x x"),
    ])
    func outputFormFollowsThePreset(form: OutputForm, key: String, written: String) {
        #expect(form.render(key: key) == written)
        #expect(TagKey.of(written) == key)
    }
}
