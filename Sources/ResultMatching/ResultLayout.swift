/// The entries of an auto-tagger's result archive, sorted into images and the captions beside them.
///
/// CivitAI names entries by list index (`000.png`, `001.jpg`, … `1000.png` past 999), writes `NNN.txt` only for a
/// non-empty label, and returns `.jpeg` as `.jpg`; a caption pairs with the image of the same stem in the same folder.
public struct ResultLayout: Sendable, Equatable {
    /// Image entry names (jpg, jpeg, png, webp in any case), in index order where names are indices.
    public var images: [String]
    /// Image entry name → its caption entry name; images without one get an empty label.
    public var captions: [String: String]
    /// Caption entries with no image of the same stem.
    public var orphanCaptions: [String]
    /// Everything else (folders, other files): ignored, but worth a log line.
    public var otherEntries: [String]

    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

    public init(entryNames: [String]) {
        var imagesByStem: [String: String] = [:]
        var captionsByStem: [String: String] = [:]
        var other: [String] = []
        for name in entryNames {
            guard !name.hasSuffix("/"), let (stem, ext) = Self.split(name) else {
                if !name.hasSuffix("/") { other.append(name) }
                continue
            }
            if Self.imageExtensions.contains(ext) {
                if imagesByStem[stem] == nil { imagesByStem[stem] = name } else { other.append(name) }
            } else if ext == "txt" {
                captionsByStem[stem] = name
            } else {
                other.append(name)
            }
        }
        images = imagesByStem.values.sorted(by: Self.indexOrder)
        captions = [:]
        for (stem, image) in imagesByStem {
            if let caption = captionsByStem[stem] { captions[image] = caption }
        }
        orphanCaptions = captionsByStem.filter { imagesByStem[$0.key] == nil }.map(\.value).sorted(by: Self.indexOrder)
        otherEntries = other.sorted()
    }

    /// The list index in a CivitAI entry name (`007.png` → 7, `1000.png` → 1000), or nil for other names.
    public static func index(of name: String) -> Int? {
        guard let (stem, _) = split(name) else { return nil }
        let base = stem.split(separator: "/").last.map(String.init) ?? stem
        guard base.count >= 3, base.allSatisfy(\.isASCII), base.allSatisfy(\.isNumber) else { return nil }
        return Int(base)
    }

    /// The name CivitAI gives the entry at `index` for an upload with `originalExtension` (`jpeg` becomes `jpg`).
    public static func entryName(index: Int, originalExtension: String) -> String {
        let digits = String(index)
        let padded = String(repeating: "0", count: max(0, 3 - digits.count)) + digits
        return padded + "." + normalizedExtension(originalExtension)
    }

    /// The lowercase extension CivitAI returns: `jpeg` → `jpg`.
    public static func normalizedExtension(_ ext: String) -> String {
        let lower = ext.lowercased()
        return lower == "jpeg" ? "jpg" : lower
    }

    /// Path without extension, and the lowercase extension.
    static func split(_ name: String) -> (String, String)? {
        guard let dot = name.lastIndex(of: "."), !name[name.index(after: dot)...].contains("/") else { return nil }
        return (String(name[..<dot]), name[name.index(after: dot)...].lowercased())
    }

    static func indexOrder(_ first: String, _ second: String) -> Bool {
        switch (index(of: first), index(of: second)) {
        case let (a?, b?) where a != b: return a < b
        case (_?, nil): return true
        case (nil, _?): return false
        default: return first < second
        }
    }
}

/// What CivitAI does to a label on the way back, undone where it can be.
public enum ReturnedCaption {
    /// The caption without a prepended trigger word (compared case-insensitively, `_` equal to a space), trimmed.
    ///
    /// CivitAI may prepend the training trigger word as the first tag; the dataset's own trigger (if any) is kept
    /// first again later by normalization, so stripping it here avoids a duplicate.
    public static func removingTrigger(_ trigger: String?, from caption: String) -> String {
        let text = caption.trimmingWhitespace()
        guard let trigger, !trigger.trimmingWhitespace().isEmpty else { return text }
        let key = { (tag: Substring) in tag.trimmingWhitespace().lowercased().replacingUnderscores() }
        let wanted = key(Substring(trigger))
        guard let comma = text.firstIndex(of: ",") else {
            return key(Substring(text)) == wanted ? "" : text
        }
        guard key(text[..<comma]) == wanted else { return text }
        return text[text.index(after: comma)...].trimmingWhitespace()
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }
}
