/// One tag of a caption: its comparison key and, for prompt-style `(tag:1.2)`, the weight written with it.
public struct CaptionTag: Hashable, Sendable {
    public var key: String
    public var weight: String?

    public init(key: String, weight: String? = nil) {
        self.key = key
        self.weight = weight
    }

    /// Reads one comma-separated token; nil when it is empty.
    public static func parse<S: StringProtocol>(_ token: S) -> CaptionTag? {
        if let (inner, weight) = weightedParts(token) {
            let key = TagKey.of(inner)
            return key.isEmpty ? nil : CaptionTag(key: key, weight: weight)
        }
        let key = TagKey.of(token)
        return key.isEmpty ? nil : CaptionTag(key: key)
    }

    /// The written form: the key in the preset's output form, wrapped as `(tag:weight)` when weighted.
    public func rendered(in form: OutputForm) -> String {
        let text = form.render(key: key)
        guard let weight else { return text }
        return "(" + text + ":" + weight + ")"
    }

    /// Splits `(inner:1.2)` into its inner tag and weight; nil for anything else (kaomoji such as `(o)_(o)` too).
    static func weightedParts<S: StringProtocol>(_ token: S) -> (Substring, String)? {
        let utf8 = Array(token.utf8)
        var start = 0, end = utf8.count
        while start < end, isSpace(utf8[start]) { start += 1 }
        while end > start, isSpace(utf8[end - 1]) { end -= 1 }
        guard end - start >= 4, utf8[start] == 0x28, utf8[end - 1] == 0x29 else { return nil }
        guard let colon = utf8[start..<end].lastIndex(of: 0x3A), colon > start + 1 else { return nil }
        var weightStart = colon + 1, weightEnd = end - 1
        while weightStart < weightEnd, isSpace(utf8[weightStart]) { weightStart += 1 }
        while weightEnd > weightStart, isSpace(utf8[weightEnd - 1]) { weightEnd -= 1 }
        let weightBytes = utf8[weightStart..<weightEnd]
        guard isNumber(weightBytes) else { return nil }
        let whole = String(decoding: utf8[(start + 1)..<colon], as: UTF8.self)
        return (Substring(whole), String(decoding: weightBytes, as: UTF8.self))
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static func isNumber(_ bytes: ArraySlice<UInt8>) -> Bool {
        var digits = 0, dots = 0
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case 0x30...0x39: digits += 1
            case 0x2E: dots += 1
            case 0x2D where offset == 0: break
            default: return false
            }
        }
        return digits > 0 && dots <= 1
    }
}
