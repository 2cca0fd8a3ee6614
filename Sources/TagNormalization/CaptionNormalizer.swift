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
    var rules: TagRules

    /// One surviving tag: the number of its key's facts (the key as read) and its weight.
    struct Item {
        var id: Int32
        var weight: String?
    }

    /// A caption after steps 1–5. What was dropped is kept as key numbers, turned into text only for a change.
    struct Prepared {
        var main: [Item] = []
        var optional: [Item] = []
        /// Numbers of keys as read that the remove rules deleted, or that were replaced.
        var removed: [Int32] = []
        var replaced: [Int32] = []
        /// Canonical numbers dropped as implied, or as duplicates.
        var redundant: [Int32] = []
        var duplicates: [Int32] = []
        var triggerIndex: Int?
        var warnings: [String] = []
    }

    /// A caption after every rule.
    struct Finished {
        var text: String
        /// Canonical numbers moved to the optional section.
        var moved: [Int32]
        var isReordered: Bool
    }

    /// Steps 1–5; counts the caption's distinct keys as read (`countBefore`) and its canonical keys after these
    /// steps (`countPrepared`, for the frequency rule).
    mutating func prepare(_ text: String) -> Prepared {
        var caption = Prepared()
        var isOptional = false
        rules.beginCaption()
        var keysRead = rules.takeScratch()
        defer { rules.returnScratch(keysRead) }
        var lineWarnings: [String] = []
        CaptionText.forEachRawToken(of: text, warnings: &lineWarnings) { raw in
            switch rules.token(raw) {
            case .empty:
                return
            case .marker:
                if isOptional { caption.warnings.append("a second \(ParsedCaption.optionalMarker) marker was dropped") }
                isOptional = true
            case .tag(let id, let weight):
                keysRead.append(id)
                let flags = rules.flags[id]
                if flags.contains(.removed) {
                    caption.removed.append(Int32(id))
                    return
                }
                if flags.contains(.replaced) { caption.replaced.append(Int32(id)) }
                let canonicalID = rules.canonicalIDs[id]
                guard rules.insert(Int(canonicalID)) else {
                    caption.duplicates.append(canonicalID)
                    return
                }
                if flags.contains(.trigger) {
                    caption.triggerIndex = caption.main.count
                    return
                }
                if isOptional {
                    caption.optional.append(Item(id: Int32(id), weight: weight))
                } else {
                    caption.main.append(Item(id: Int32(id), weight: weight))
                }
            }
        }
        if !lineWarnings.isEmpty { caption.warnings.insert(contentsOf: lineWarnings, at: 0) }
        rules.beginCaption()
        for id in keysRead where rules.insert(id) { rules.countBefore[id] += 1 }
        dropRedundant(&caption)
        for item in caption.main { rules.countPrepared[Int(rules.canonicalIDs[Int(item.id)])] += 1 }
        for item in caption.optional { rules.countPrepared[Int(rules.canonicalIDs[Int(item.id)])] += 1 }
        return caption
    }

    /// Step 5: implications never add a tag; they only drop the general ones a specific tag already says.
    private func dropRedundant(_ caption: inout Prepared) {
        var impliedByMain: [Int] = []
        var impliedByOptional: [Int] = []
        for item in caption.main where rules.flags[Int(item.id)].contains(.implies) {
            impliedByMain.append(contentsOf: rules.facts[Int(item.id)].implies)
        }
        for item in caption.optional where rules.flags[Int(item.id)].contains(.implies) {
            impliedByOptional.append(contentsOf: rules.facts[Int(item.id)].implies)
        }
        guard !impliedByMain.isEmpty || !impliedByOptional.isEmpty else { return }
        func keep(_ item: Item, _ implied: [Int], _ alsoImplied: [Int]) -> Bool {
            let canonicalID = rules.canonicalIDs[Int(item.id)]
            if rules.flags[Int(item.id)].contains(.protected)
                || !(implied.contains(Int(canonicalID)) || alsoImplied.contains(Int(canonicalID)))
            {
                return true
            }
            caption.redundant.append(canonicalID)
            return false
        }
        caption.main.removeAll { !keep($0, impliedByMain, []) }
        caption.optional.removeAll { !keep($0, impliedByMain, impliedByOptional) }
    }

    /// Steps 6 and 7, given `rules.datasetFrequency` for the dataset's `captionCount` captions; counts the keys
    /// written (`countAfter`, by canonical number).
    func finish(_ caption: Prepared, captionCount: Int, countAfter: inout [Int]) -> Finished {
        let share = rules.preset.background.minSharePercent
        var main: [Item] = []
        main.reserveCapacity(caption.main.count)
        var optional: [Item] = []
        optional.reserveCapacity(caption.optional.count + caption.main.count)
        optional.append(contentsOf: caption.optional)
        var moved: [Int32] = []
        for item in caption.main {
            let id = Int(item.id)
            let flags = rules.flags[id]
            var goesToOptional = false
            if !flags.contains(.protected) {
                if flags.contains(.specificBackground) {
                    goesToOptional = true
                } else if share > 0, flags.contains(.inFrequencyScope) {
                    // Below the threshold means strictly fewer: a tag exactly at the share stays.
                    let count = rules.datasetFrequency[Int(rules.canonicalIDs[id])]
                    goesToOptional = Double(count) * 100 < share * Double(captionCount)
                }
            }
            if goesToOptional {
                moved.append(rules.canonicalIDs[id])
                optional.append(item)
            } else {
                main.append(item)
            }
        }
        let orderedMain = ordered(main), orderedOptional = ordered(optional)
        var isReordered = !orderedMain.elementsEqual(main, by: { $0.id == $1.id })
            || !orderedOptional.elementsEqual(optional, by: { $0.id == $1.id })

        // Built as bytes and decoded once: far cheaper than growing a String tag by tag.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24 * (main.count + optional.count + 2))
        func append(_ written: String) {
            if !bytes.isEmpty { bytes.append(contentsOf: [0x2C, 0x20]) }
            bytes.append(contentsOf: written.utf8)
        }
        func append(_ item: Item) {
            let id = Int(item.id)
            countAfter[Int(rules.canonicalIDs[id])] += 1
            let rendered = rules.rendered[id]
            if let weight = item.weight {
                if !bytes.isEmpty { bytes.append(contentsOf: [0x2C, 0x20]) }
                bytes.append(0x28)
                bytes.append(contentsOf: rendered.utf8)
                bytes.append(0x3A)
                bytes.append(contentsOf: weight.utf8)
                bytes.append(0x29)
            } else {
                append(rendered)
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
        let text = String(decoding: bytes, as: UTF8.self)
        return Finished(text: text, moved: moved, isReordered: isReordered)
    }

    /// Sorted by group and place in the group's table; ungrouped tags last in their original order. A stable
    /// insertion sort: captions are short and usually nearly in order.
    func ordered(_ items: [Item]) -> [Item] {
        let ranks = rules.orderRanks
        var sorted = items
        for index in sorted.indices.dropFirst() {
            let item = sorted[index]
            let rank = ranks[Int(item.id)]
            var position = index
            while position > 0, ranks[Int(sorted[position - 1].id)] > rank {
                sorted[position] = sorted[position - 1]
                position -= 1
            }
            if position != index { sorted[position] = item }
        }
        return sorted
    }

    /// What the rules did to a caption, in words, for its `CaptionChange`.
    func change(path: String, before: String, caption: Prepared, finished: Finished) -> CaptionChange {
        let facts = rules.facts
        return CaptionChange(
            path: path, before: before, after: finished.text,
            removed: caption.removed.map { facts[Int($0)].key },
            redundant: caption.redundant.map { facts[Int($0)].key },
            duplicates: caption.duplicates.map { facts[Int($0)].key },
            replaced: caption.replaced.map { CaptionChange.Replacement(from: facts[Int($0)].key, to: facts[Int($0)].canonical) },
            movedToOptional: finished.moved.map { facts[Int($0)].key },
            isReordered: finished.isReordered, warnings: caption.warnings)
    }
}
