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

    /// One surviving tag: the number of its key's facts (the key as read) and its weight.
    struct Item {
        var id: Int32
        var weight: String?
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
    }

    /// A caption after every rule.
    struct Finished {
        var text: String
        var moved: [String]
        var isReordered: Bool
    }

    private func facts(_ item: Item) -> TagFacts { rules.facts[Int(item.id)] }

    /// Steps 1–5; counts the caption's distinct keys as read (`countBefore`) and its canonical keys after these
    /// steps (`countPrepared`, for the frequency rule).
    func prepare(_ text: String) -> Prepared {
        var caption = Prepared()
        var isOptional = false
        rules.beginCaption()
        var keysRead: [Int] = []
        for raw in CaptionText.rawTokens(of: text, warnings: &caption.warnings) {
            switch rules.token(raw) {
            case .empty:
                continue
            case .marker:
                if isOptional { caption.warnings.append("a second \(ParsedCaption.optionalMarker) marker was dropped") }
                isOptional = true
            case .tag(let id, let weight):
                keysRead.append(id)
                let facts = rules.facts[id]
                if facts.isRemoved {
                    caption.removed.append(facts.key)
                    continue
                }
                if facts.isReplaced {
                    caption.replaced.append(CaptionChange.Replacement(from: facts.key, to: facts.canonical))
                }
                guard rules.insert(facts.canonicalID) else {
                    caption.duplicates.append(facts.canonical)
                    continue
                }
                if facts.isTrigger {
                    caption.triggerIndex = caption.main.count
                    continue
                }
                if isOptional {
                    caption.optional.append(Item(id: Int32(id), weight: weight))
                } else {
                    caption.main.append(Item(id: Int32(id), weight: weight))
                }
            }
        }
        rules.beginCaption()
        for id in keysRead where rules.insert(id) { rules.countBefore[id] += 1 }
        dropRedundant(&caption)
        for item in caption.main { rules.countPrepared[facts(item).canonicalID] += 1 }
        for item in caption.optional { rules.countPrepared[facts(item).canonicalID] += 1 }
        return caption
    }

    /// Step 5: implications never add a tag; they only drop the general ones a specific tag already says.
    private func dropRedundant(_ caption: inout Prepared) {
        var impliedByMain: [Int] = []
        for item in caption.main { impliedByMain.append(contentsOf: facts(item).implies) }
        var impliedByOptional: [Int] = []
        for item in caption.optional { impliedByOptional.append(contentsOf: facts(item).implies) }
        guard !impliedByMain.isEmpty || !impliedByOptional.isEmpty else { return }
        func keep(_ item: Item, _ implied: [Int], _ alsoImplied: [Int]) -> Bool {
            let facts = self.facts(item)
            if facts.isProtected || !(implied.contains(facts.canonicalID) || alsoImplied.contains(facts.canonicalID)) {
                return true
            }
            caption.redundant.append(facts.canonical)
            return false
        }
        caption.main = caption.main.filter { keep($0, impliedByMain, []) }
        caption.optional = caption.optional.filter { keep($0, impliedByMain, impliedByOptional) }
    }

    /// Steps 6 and 7, given `rules.datasetFrequency` for the dataset's `captionCount` captions; counts the keys
    /// written (`countAfter`, by canonical number).
    func finish(_ caption: Prepared, captionCount: Int, countAfter: inout [Int]) -> Finished {
        let share = rules.preset.background.minSharePercent
        var main: [Item] = []
        main.reserveCapacity(caption.main.count)
        var optional = caption.optional
        var moved: [String] = []
        for item in caption.main {
            let facts = self.facts(item)
            var goesToOptional = false
            if !facts.isProtected {
                if facts.isSpecificBackground {
                    goesToOptional = true
                } else if share > 0, facts.isInFrequencyScope {
                    // Below the threshold means strictly fewer: a tag exactly at the share stays.
                    goesToOptional = Double(rules.datasetFrequency[facts.canonicalID]) * 100 < share * Double(captionCount)
                }
            }
            if goesToOptional {
                moved.append(facts.canonical)
                optional.append(item)
            } else {
                main.append(item)
            }
        }
        let orderedMain = ordered(main), orderedOptional = ordered(optional)
        var isReordered = !orderedMain.elementsEqual(main, by: { $0.id == $1.id })
            || !orderedOptional.elementsEqual(optional, by: { $0.id == $1.id })

        var text = ""
        text.reserveCapacity(16 * (main.count + optional.count + 2))
        func append(_ written: String) {
            if !text.isEmpty { text += ", " }
            text += written
        }
        func append(_ item: Item) {
            let facts = self.facts(item)
            countAfter[facts.canonicalID] += 1
            if let weight = item.weight {
                append("(" + facts.rendered + ":" + weight + ")")
            } else {
                append(facts.rendered)
            }
        }
        if let trigger = rules.triggerWord {
            append(trigger)
            if let index = caption.triggerIndex, index != 0 { isReordered = true }
        }
        for item in orderedMain { append(item) }
        if !orderedOptional.isEmpty {
            append(ParsedCaption.optionalMarker)
            for item in orderedOptional { append(item) }
        }
        return Finished(text: text, moved: moved, isReordered: isReordered)
    }

    /// Sorted by group and place in the group's table; ungrouped tags last in their original order (stable).
    func ordered(_ items: [Item]) -> [Item] {
        var isSorted = true
        for index in items.indices.dropFirst() where facts(items[index - 1]).orderRank > facts(items[index]).orderRank {
            isSorted = false
            break
        }
        if isSorted { return items }
        let ranks = items.map { facts($0).orderRank }
        return items.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }.map { items[$0] }
    }
}
