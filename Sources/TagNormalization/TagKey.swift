/// The comparison key of a tag (DESIGN §3): trimmed, lowercased, `\(` `\)` unescaped, underscores read as
/// spaces except in kaomoji, whitespace (NBSP and tabs too) collapsed to single spaces.
public enum TagKey {
    /// Kaomoji whose underscores are part of the face, so they are never read as spaces.
    public static let kaomoji: Set<String> = [
        "^_^", ">_<", "o_o", "0_0", "(o)_(o)", "<o>_<o>", "<|>_<|>", "||_||", "@_@", "x_x", "u_u", "=_=",
        "+_+", "+_-", "._.", "3_3", "6_9", ">_o", "|_|",
    ]

    /// The key of one raw tag (no weight syntax); empty when the tag holds nothing but whitespace.
    public static func of<S: StringProtocol>(_ raw: S) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var isASCII = true
        var pendingSpace = false
        var hasUnderscore = false
        var previous: UInt8 = 0
        var iterator = raw.utf8.makeIterator()
        var lookahead: UInt8? = nil
        func next() -> UInt8? {
            if let byte = lookahead { lookahead = nil; return byte }
            return iterator.next()
        }
        while var byte = next() {
            // NBSP (C2 A0), tabs and line breaks all count as one space.
            if byte == 0xC2 {
                let following = iterator.next()
                if following == 0xA0 { byte = 0x20 } else { lookahead = following }
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace { bytes.append(0x20); pendingSpace = false }
            if byte >= 0x80 { isASCII = false }
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            // `\(` and `\)` read as `(` and `)`.
            if (byte == 0x28 || byte == 0x29) && previous == 0x5C && bytes.last == 0x5C {
                bytes.removeLast()
            }
            if byte == 0x5F { hasUnderscore = true }
            bytes.append(byte)
            previous = byte
        }
        var key = String(decoding: bytes, as: UTF8.self)
        if !isASCII { key = key.lowercased() }
        guard hasUnderscore, !kaomoji.contains(key) else { return key }
        return collapsingUnderscores(key)
    }

    /// Reads underscores as spaces, then collapses and trims the spaces again.
    private static func collapsingUnderscores(_ key: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count)
        var pendingSpace = false
        for byte in key.utf8 {
            if byte == 0x5F || byte == 0x20 {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace { bytes.append(0x20); pendingSpace = false }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
