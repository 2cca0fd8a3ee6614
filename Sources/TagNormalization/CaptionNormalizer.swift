/// The per-caption rules, in this order (DESIGN §3):
/// 1. parse (lines joined, empty tags dropped, `#optional` splits main from optional);
/// 2. remove: exact tags and glob patterns (tested on the tag and on its canonical form);
/// 3. replace: alias → canonical (chains resolved when the preset loaded);
/// 4. dedup by key (the first occurrence wins, so a main tag beats its optional copy);
/// 5. implications: a tag made redundant by a more specific main tag is dropped anywhere, by an optional one
///    only in the optional section;
/// 6. background: specific-background tags and, with the dataset's counts, rare in-scope tags go to optional;
/// 7. order: trigger word first, then identity → composition → lighting → environment → outfit (within a group,
///    in the order of the preset's table), then ungrouped tags in their original order; the optional section is
///    ordered the same way.
/// Protected tags and the trigger word are never removed, replaced or moved. Steps 1–5 need one caption;
/// step 6 needs the whole dataset, so `DatasetNormalizer` runs `prepare` on every caption before `finish`.
struct CaptionNormalizer {
    let rules: TagRules

    /// One surviving tag.
    struct Item {
        var facts: TagFacts
        var weight: String?
        var key: String { facts.canonical }
        var rendered: String {
            guard let weight else { return facts.rendered }
            return "(" + facts.rendered + ":" + weight + ")"
        }
    }

    /// A caption after steps 1–5.
    struct Prepared {
        var main: [Item] = []
        var optional: [Item] = []
        var removed: [String] = []
        var redundant: [String] = []
        var duplicates: [String] = []
        var replaced: [CaptionChange.Replacement] = []
        var triggerIndex: Int?
        var warnings: [String] = []

        /// Distinct keys left in the caption, for the dataset's frequency counts.
        var keys: Set<String> { Set(main.map(\.key)).union(optional.map(\.key)) }
    }

    /// A caption after every rule.
    struct Finished {
        var text: String
        /// The keys written, trigger first.
        var keys: [String]
        var moved: [String]
        var isReordered: Bool
    }

    /// Steps 1–5; adds the caption's distinct keys as read to `keysBefore`.
    func prepare(_ text: String, keysBefore: inout [String: Int]) -> Prepared {
        var caption = Prepared()
        var seen: Set<String> = []
        var seenBefore: Set<String> = []
        var isOptional = false
        for raw in CaptionText.rawTokens(of: text, warnings: &caption.warnings) {
            switch rules.token(raw) {
            case .empty:
                continue
            case .marker:
                if isOptional { caption.warnings.append("a second \(ParsedCaption.optionalMarker) marker was dropped") }
                isOptional = true
            case .tag(let facts, let weight):
                if seenBefore.insert(facts.key).inserted { keysBefore[facts.key, default: 0] += 1 }
                if facts.isRemoved {
                    caption.removed.append(facts.key)
                    continue
                }
                if facts.isReplaced {
                    caption.replaced.append(CaptionChange.Replacement(from: facts.key, to: facts.canonical))
                }
                guard seen.insert(facts.canonical).inserted else {
                    caption.duplicates.append(facts.canonical)
                    continue
                }
                if facts.isTrigger {
                    caption.triggerIndex = caption.main.count
                    continue
                }
                if isOptional {
                    caption.optional.append(Item(facts: facts, weight: weight))
                } else {
                    caption.main.append(Item(facts: facts, weight: weight))
                }
            }
        }
        dropRedundant(&caption)
        return caption
    }

    /// Step 5: implications never add a tag; they only drop the general ones a specific tag already says.
    private func dropRedundant(_ caption: inout Prepared) {
        var impliedByMain: Set<String> = []
        for item in caption.main where !item.facts.implies.isEmpty { impliedByMain.formUnion(item.facts.implies) }
        var impliedByAny = impliedByMain
        for item in caption.optional where !item.facts.implies.isEmpty { impliedByAny.formUnion(item.facts.implies) }
        guard !impliedByAny.isEmpty else { return }
        func keep(_ item: Item, _ implied: Set<String>) -> Bool {
            if item.facts.isProtected || !implied.contains(item.key) { return true }
            caption.redundant.append(item.key)
            return false
        }
        caption.main = caption.main.filter { keep($0, impliedByMain) }
        caption.optional = caption.optional.filter { keep($0, impliedByAny) }
    }

    /// Steps 6 and 7, given how many of the dataset's `captionCount` captions hold each key.
    func finish(_ caption: Prepared, frequency: [String: Int], captionCount: Int) -> Finished {
        let share = rules.preset.background.minSharePercent
        var main: [Item] = []
        var optional = caption.optional
        var moved: [String] = []
        for item in caption.main {
            let facts = item.facts
            var goesToOptional = false
            if !facts.isProtected {
                if facts.isSpecificBackground {
                    goesToOptional = true
                } else if share > 0, facts.isInFrequencyScope {
                    // Below the threshold means strictly fewer: a tag exactly at the share stays.
                    goesToOptional = Double(frequency[item.key] ?? 0) * 100 < share * Double(captionCount)
                }
            }
            if goesToOptional {
                moved.append(item.key)
                optional.append(item)
            } else {
                main.append(item)
            }
        }
        let unorderedMain = main, unorderedOptional = optional
        main = Self.ordered(main)
        optional = Self.ordered(optional)
        var isReordered = !main.elementsEqual(unorderedMain, by: { $0.key == $1.key })
            || !optional.elementsEqual(unorderedOptional, by: { $0.key == $1.key })

        var parts: [String] = []
        var keys: [String] = []
        parts.reserveCapacity(main.count + optional.count + 2)
        if let trigger = rules.triggerWord, let triggerKey = rules.triggerKey {
            parts.append(trigger)
            keys.append(triggerKey)
            if let index = caption.triggerIndex, index != 0 { isReordered = true }
        }
        for item in main {
            parts.append(item.rendered)
            keys.append(item.key)
        }
        if !optional.isEmpty {
            parts.append(ParsedCaption.optionalMarker)
            for item in optional {
                parts.append(item.rendered)
                keys.append(item.key)
            }
        }
        return Finished(text: parts.joined(separator: ", "), keys: keys, moved: moved, isReordered: isReordered)
    }

    /// Sorted by group and place in the group's table; ungrouped tags last in their original order (stable).
    static func ordered(_ items: [Item]) -> [Item] {
        var isSorted = true
        for index in items.indices.dropFirst() where items[index - 1].facts.orderRank > items[index].facts.orderRank {
            isSorted = false
            break
        }
        if isSorted { return items }
        return items.enumerated()
            .sorted { ($0.element.facts.orderRank, $0.offset) < ($1.element.facts.orderRank, $1.offset) }
            .map(\.element)
    }
}
