import Foundation

/// A preset compiled for fast lookups: numbers every distinct key it meets, caches its facts and the reading of
/// every distinct token, and keeps per-key counters in arrays. A value each worker owns (so the per-tag loop pays
/// no reference counting or exclusivity checks).
struct TagRules {
    let preset: Preset
    /// The trigger word as written (kept first in every caption), and its key.
    let triggerWord: String?
    let triggerKey: String?
    /// Facts by number.
    private(set) var facts: [TagFacts] = []
    /// The hot facts again, as plain values by number, so the per-tag loop copies no strings (no reference counting).
    private(set) var canonicalIDs: [Int32] = []
    private(set) var flags: [Flags] = []
    private(set) var orderRanks: [Int] = []
    private(set) var rendered: [String] = []
    private var scratch: [Int] = []

    /// Yes/no facts of a key, packed.
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let removed = Flags(rawValue: 1 << 0)
        static let replaced = Flags(rawValue: 1 << 1)
        static let protected = Flags(rawValue: 1 << 2)
        static let trigger = Flags(rawValue: 1 << 3)
        static let specificBackground = Flags(rawValue: 1 << 4)
        static let inFrequencyScope = Flags(rawValue: 1 << 5)
        static let implies = Flags(rawValue: 1 << 6)
    }
    /// Per key number: captions holding the key as read (before), and the canonical key after the per-caption rules.
    var countBefore: [Int] = []
    var countPrepared: [Int] = []
    /// Per canonical key number: captions holding it in the whole dataset (set between the two passes).
    var datasetFrequency: [Int] = []
    /// Per key number: the caption that last marked it (cheap per-caption sets).
    private var stamps: [Int] = []
    private var currentStamp = 0
    private let removePatterns: [GlobPattern]
    private var numbers: [String: Int] = [:]
    private var tokens = TokenTable<Token>()

    /// One comma-separated token, read once.
    enum Token {
        case empty
        case marker
        case tag(id: Int, weight: String?)
    }

    init(preset: Preset, triggerWord: String?) {
        self.preset = preset
        let trigger = (triggerWord ?? preset.triggerWord)?.trimmingCharacters(in: .whitespaces)
        let key = trigger.map { TagKey.of($0) }
        self.triggerWord = key?.isEmpty == false ? trigger : nil
        self.triggerKey = key?.isEmpty == false ? key : nil
        self.removePatterns = preset.removePatterns.map(GlobPattern.init)
    }

    /// Reads a raw token (cached by its bytes).
    mutating func token(_ raw: Substring) -> Token {
        var raw = raw
        return raw.withUTF8 { bytes in
            if let known = tokens.value(for: bytes) { return known }
            let token: Token
            if let tag = CaptionTag.parse(Substring(decoding: bytes, as: UTF8.self)) {
                token = CaptionText.isMarker(tag) ? .marker : .tag(id: number(of: tag.key), weight: tag.weight)
            } else {
                token = .empty
            }
            tokens.insert(token, for: bytes)
            return token
        }
    }

    /// An empty array to reuse for one caption (saves an allocation per caption).
    mutating func takeScratch() -> [Int] {
        var array = scratch
        scratch = []
        array.removeAll(keepingCapacity: true)
        return array
    }

    mutating func returnScratch(_ array: [Int]) { scratch = array }

    /// Starts a new per-caption set: every `insert` before the next call counts once.
    mutating func beginCaption() { currentStamp += 1 }

    /// Marks a key for the current caption; false when it was already marked.
    mutating func insert(_ id: Int) -> Bool {
        if stamps[id] == currentStamp { return false }
        stamps[id] = currentStamp
        return true
    }

    /// The number of a key, computing its facts the first time.
    mutating func number(of key: String) -> Int {
        if let known = numbers[key] { return known }
        let isProtectedKey = key == triggerKey || preset.protectedTags.contains(key)
        let canonical = isProtectedKey ? key : (preset.replaceMap[key] ?? key)
        // Chains are resolved when the preset loads, so a canonical key is its own canonical form.
        let canonicalID = canonical == key ? facts.count : number(of: canonical)
        let id = facts.count
        let isTrigger = canonical == triggerKey
        let isProtected = isProtectedKey || isTrigger || preset.protectedTags.contains(canonical)
        let groupKey = preset.groups[canonical] != nil ? canonical : key
        let group = preset.groups[groupKey]
        let isGeneral = preset.background.general.contains(canonical)
        let isSpecific = preset.background.specific.contains(canonical)
        let isInScope: Bool
        switch preset.background.frequencyScope {
        case .background: isInScope = !isGeneral && (isSpecific || group == .environment)
        case .all: isInScope = !isGeneral
        }
        var keyFlags: Flags = []
        if !isProtected && (matchesRemove(key) || matchesRemove(canonical)) { keyFlags.insert(.removed) }
        if canonical != key { keyFlags.insert(.replaced) }
        if isProtected { keyFlags.insert(.protected) }
        if isTrigger { keyFlags.insert(.trigger) }
        if isSpecific { keyFlags.insert(.specificBackground) }
        if isInScope && !isProtected { keyFlags.insert(.inFrequencyScope) }
        if preset.implications[canonical] != nil { keyFlags.insert(.implies) }
        let orderRank = Self.orderRank(group: group, position: preset.groupPositions[groupKey] ?? 0)
        let rendered = preset.output.render(key: canonical)

        numbers[key] = id
        facts.append(TagFacts(id: id, canonicalID: canonicalID, key: key, canonical: canonical, rendered: rendered, implies: [], orderRank: orderRank))
        canonicalIDs.append(Int32(canonicalID))
        flags.append(keyFlags)
        orderRanks.append(orderRank)
        self.rendered.append(rendered)
        countBefore.append(0)
        countPrepared.append(0)
        stamps.append(0)
        // Implied keys are numbered once this key exists, so they may be keys not met yet.
        facts[id].implies = (preset.implications[canonical] ?? []).map { number(of: $0) }
        return id
    }

    /// Group first, then the position in the group's table; ungrouped tags after every group.
    static func orderRank(group: TagGroup?, position: Int) -> Int {
        guard let group else { return TagGroup.allCases.count << 32 }
        return group.rank << 32 | position
    }

    private func matchesRemove(_ key: String) -> Bool {
        preset.removeTags.contains(key) || removePatterns.contains { $0.matches(key) }
    }
}
