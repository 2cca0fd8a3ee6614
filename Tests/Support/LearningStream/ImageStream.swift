import CategoryLearning
import Imaging

/// A generated stream of tagged images with a hidden placement rule the config's rules do not know.
public struct ImageStream {
    public struct Image: Sendable {
        public var name: String
        public var tags: [LearningTag]
    }

    public static let franchises: [(copyright: String, characters: [String])] = [
        ("vocaloid", ["hatsune miku", "kagamine rin", "megurine luka"]),
        ("touhou", ["hakurei reimu", "kirisame marisa", "izayoi sakuya"]),
        ("fate/grand order", ["artoria pendragon", "mash kyrielight"]),
        ("re:zero", ["rem", "emilia"]),
        ("neon genesis evangelion", ["souryuu asuka langley", "ayanami rei"]),
    ]
    public static let general = ["1girl", "solo", "long hair", "smile", "looking at viewer", "short hair", "blue eyes", "skirt",
                          "outdoors", "simple background", "twintails", "school uniform", "holding", "open mouth", "sky"]
    public static let artists = (1...12).map { "artist \($0)" }

    public static func make(count: Int, seed: UInt64 = 14) -> [Image] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            var tags: [LearningTag] = []
            if !random.chance(15) {
                let franchise = franchises[random.below(franchises.count)]
                tags.append(LearningTag(category: "copyright", tag: franchise.copyright))
                tags.append(LearningTag(category: "character", tag: franchise.characters[random.below(franchise.characters.count)]))
            }
            var general = Set<String>()
            for _ in 0..<(3 + random.below(4)) { general.insert(Self.general[random.below(Self.general.count)]) }
            tags += general.sorted().map { LearningTag(category: "general", tag: $0) }
            tags.append(LearningTag(category: "artist", tag: artists[random.below(artists.count)]))
            let ratings = ["general", "general", "general", "sensitive", "questionable", "explicit"]
            tags.append(LearningTag(category: "rating", tag: ratings[random.below(ratings.count)]))
            if random.chance(20) { tags.append(LearningTag(category: "sluice", tag: "sluice/monochrome")) }
            tags.append(LearningTag(category: "sluice", tag: random.chance(60) ? "sluice/aspect:portrait" : "sluice/aspect:landscape"))
            return Image(name: String(format: "img%03d.png", index), tags: tags)
        }
    }

    /// What the config's rules do (the library profile's `Fanart/{copyright}` rule, with `/` and `:` made
    /// folder-safe as `_` the way it does), else Uncategorized.
    public static func ruleCategory(_ tags: [LearningTag]) -> String {
        if let copyright = tags.first(where: { $0.category == "copyright" }) {
            return "Fanart/" + copyright.tag.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "_")
        }
        return "Uncategorized"
    }

    /// The user's own taste, unknown to the rules: Vocaloid apart, manga pages apart, explicit images private.
    public static func hiddenCategory(_ tags: [LearningTag]) -> String {
        if tags.contains(LearningTag(category: "copyright", tag: "vocaloid")) { return "Vocaloid" }
        if tags.contains(LearningTag(category: "sluice", tag: "sluice/monochrome")) { return "Manga" }
        if tags.contains(LearningTag(category: "rating", tag: "explicit")) { return "Private" }
        return ruleCategory(tags)
    }
}

extension SplitMix64 {
    /// A number in `0..<bound` (the stream's own draws, so the learning curve is the same on every run).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
