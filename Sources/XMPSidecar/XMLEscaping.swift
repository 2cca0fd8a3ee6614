/// Escaping for XML 1.0 text and attribute values.
enum XMLEscaping {
    /// Whether XML 1.0 can carry `scalar` at all (most C0 controls and U+FFFE/U+FFFF it cannot, even escaped).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `text` without the characters XML cannot carry.
    static func removingDisallowed(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(isAllowed) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter(isAllowed))
        return String(scalars)
    }

    /// Appends `text` escaped for element content (`&`, `<`, `>`; CR as a reference so it survives parsing).
    static func appendText(_ text: String, to output: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output += Array("&amp;".utf8)
            case UInt8(ascii: "<"): output += Array("&lt;".utf8)
            case UInt8(ascii: ">"): output += Array("&gt;".utf8)
            case 0x0D: output += Array("&#13;".utf8)
            default: output.append(byte)
            }
        }
    }

    /// Appends `value` escaped for an attribute quoted with `quote`, whitespace controls as references.
    static func appendAttribute(_ value: String, quote: UInt8, to output: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output += Array("&amp;".utf8)
            case UInt8(ascii: "<"): output += Array("&lt;".utf8)
            case UInt8(ascii: ">"): output += Array("&gt;".utf8)
            case UInt8(ascii: "\"") where quote == UInt8(ascii: "\""): output += Array("&quot;".utf8)
            case UInt8(ascii: "'") where quote == UInt8(ascii: "'"): output += Array("&apos;".utf8)
            case 0x09: output += Array("&#9;".utf8)
            case 0x0A: output += Array("&#10;".utf8)
            case 0x0D: output += Array("&#13;".utf8)
            default: output.append(byte)
            }
        }
    }
}
